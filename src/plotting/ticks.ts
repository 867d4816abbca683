/** Axis ticks and tick labels for linear and base-10 log axes. */

/**
 * Returns the step 1, 2 or 5 times a power of ten closest above `span / targetCount`, and
 * at least `minStep`.
 */
export function niceStep(span: number, targetCount: number, minStep = 0): number {
  const raw = Math.max(span / Math.max(1, targetCount), minStep);
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  // the tolerance keeps a span of 1.2000000000000002 over 6 at step 0.2, not 0.5
  const fraction = raw / power - 1e-9;
  if (fraction <= 1) return power;
  if (fraction <= 2) return 2 * power;
  if (fraction <= 5) return 5 * power;
  return 10 * power;
}

/**
 * Returns the multiples of a nice step (at least `minStep`) that lie in [min, max], both
 * ends included with a tolerance of 1e-9 steps, at about `targetCount` intervals.
 */
export function linearTicks(min: number, max: number, targetCount = 6, minStep = 0): number[] {
  if (!(max > min)) return [min];
  const step = niceStep(max - min, targetCount, minStep);
  const first = Math.ceil(min / step - 1e-9);
  const last = Math.floor(max / step + 1e-9);
  const ticks: number[] = [];
  for (let k = first; k <= last; k++) ticks.push(roundToStep(k * step, step));
  return ticks;
}

/** Widens [min, max] outwards to multiples of a nice step; a zero-width range grows to ±1 (or ±10%). */
export function niceLinearDomain(min: number, max: number, targetCount = 6): [number, number] {
  if (!(max > min)) {
    const half = min === 0 ? 1 : Math.abs(min) * 0.1;
    return [min - half, max + half];
  }
  const step = niceStep(max - min, targetCount);
  return [roundToStep(Math.floor(min / step + 1e-9) * step, step), roundToStep(Math.ceil(max / step - 1e-9) * step, step)];
}

/**
 * Returns the decades (major ticks) and the 2..9 multiples between them (minor ticks)
 * inside [min, max], for a log axis with 0 < min < max.
 */
export function logTicks(min: number, max: number): { major: number[]; minor: number[] } {
  const major: number[] = [];
  const minor: number[] = [];
  const low = Math.floor(Math.log10(min) + 1e-9);
  const high = Math.ceil(Math.log10(max) - 1e-9);
  for (let exponent = low; exponent <= high; exponent++) {
    const decade = decadeValue(exponent);
    if (isInside(decade, min, max)) major.push(decade);
    for (let multiple = 2; multiple <= 9; multiple++) {
      const value = multiple * decade;
      if (isInside(value, min, max)) minor.push(value);
    }
  }
  return { major, minor };
}

/** Widens [min, max] (both positive) to whole decades. */
export function logDomain(min: number, max: number): [number, number] {
  let low = Math.floor(Math.log10(min) + 1e-9);
  let high = Math.ceil(Math.log10(max) - 1e-9);
  if (high <= low) high = low + 1;
  if (!Number.isFinite(low)) low = high - 1;
  return [decadeValue(low), decadeValue(high)];
}

/** Returns the largest power of ten at or below a positive value (0.004 gives 0.001). */
export function decadeFloor(value: number): number {
  return decadeValue(Math.floor(Math.log10(value) + 1e-9));
}

const SUPERSCRIPT_DIGITS = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];

/** Formats a power of ten as "1", "10" or "10⁻³" (Unicode superscripts). */
export function formatDecade(value: number): string {
  const exponent = Math.round(Math.log10(value));
  if (exponent === 0) return '1';
  if (exponent === 1) return '10';
  const digits = String(Math.abs(exponent))
    .split('')
    .map((digit) => SUPERSCRIPT_DIGITS[Number(digit)])
    .join('');
  return `10${exponent < 0 ? '⁻' : ''}${digits}`;
}

/** Formats a linear tick with as many decimals as the tick step needs ("0.25", "1500"). */
export function formatLinearTick(value: number, step: number): string {
  const decimals = Math.max(0, Math.min(12, -Math.floor(Math.log10(step) + 1e-9)));
  const text = value.toFixed(decimals);
  // toFixed writes "-0" for small negative rounding residues
  return Number(text) === 0 ? (0).toFixed(decimals) : text;
}

function decadeValue(exponent: number): number {
  // 10 ** -4 is 0.00009999999999999999 in V8; parsing "1e-4" gives the nearest double
  return Number(`1e${exponent}`);
}

function isInside(value: number, min: number, max: number): boolean {
  return value >= min * (1 - 1e-9) && value <= max * (1 + 1e-9);
}

function roundToStep(value: number, step: number): number {
  const decimals = Math.max(0, Math.min(15, -Math.floor(Math.log10(step)) + 1));
  return Number(value.toFixed(decimals));
}
