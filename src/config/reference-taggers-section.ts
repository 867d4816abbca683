/**
 * The chain config's `reference_taggers` section: scores kept as spectators, such as
 * NanoAOD's Jet_btagDeepFlavB, that ROCCurve and Report evaluate on the same test jets as
 * the trained model, with the ratio of the model's mistag rate over the reference's.
 *
 *     reference_taggers:
 *       DeepFlavB: { score: Jet_btagDeepFlavB, signal: [b], background: [light] }
 */
import { didYouMean } from '../errors.js';
import type { ChainReferenceTagger } from './types.js';
import { checkKeys, invalid, readObject, readString, readStringList, requireKey, type ValidationContext } from './validate.js';

/**
 * Reads `reference_taggers`. Each score must be one of `spectators`, and the signal and
 * background classes must be distinct classes of `classNames`.
 */
export function readReferenceTaggers(
  ctx: ValidationContext,
  value: unknown,
  spectators: readonly string[],
  classNames: readonly string[],
): ChainReferenceTagger[] {
  const object = readObject(ctx, 'reference_taggers', value);
  return Object.entries(object).map(([name, item]) => {
    const key = `reference_taggers.${name}`;
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) {
      invalid(ctx, key, `'${name}' must start with a letter and contain only letters, digits and '_', because it names output files`);
    }
    const spec = readObject(ctx, key, item);
    checkKeys(ctx, key, spec, ['score', 'signal', 'background']);
    const spectator = readString(ctx, `${key}.score`, requireKey(ctx, key, spec, 'score'));
    if (!spectators.includes(spectator)) {
      const known = spectators.length === 0 ? 'the config has no spectators' : `the spectators are ${spectators.join(', ')}`;
      invalid(ctx, `${key}.score`, `'${spectator}' is not a spectator (${known}); add it under spectators.${didYouMean(spectator, [...spectators])}`);
    }
    const signal = readStringList(ctx, `${key}.signal`, requireKey(ctx, key, spec, 'signal'));
    const background = readStringList(ctx, `${key}.background`, requireKey(ctx, key, spec, 'background'));
    for (const [role, names] of [['signal', signal], ['background', background]] as const) {
      for (const className of names) {
        if (!classNames.includes(className)) {
          invalid(ctx, `${key}.${role}`, `'${className}' is not one of the classes ${classNames.join(', ')}.${didYouMean(className, [...classNames])}`);
        }
      }
    }
    for (const className of background) {
      if (signal.includes(className)) invalid(ctx, `${key}.background`, `class '${className}' is both signal and background`);
    }
    return { name, spectator, signal, background };
  });
}
