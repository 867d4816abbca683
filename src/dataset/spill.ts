/**
 * A temporary on-disk store of processed jets, so that dataset construction keeps only the
 * per-jet label, pT and η in memory (12 bytes per jet) while it waits for the shuffle. The
 * wide arrays (global features, candidate groups, spectators) are appended to one raw
 * float32 file each and read back row by row for every output chunk.
 */

import { closeSync, mkdirSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { JetLayout } from './jet-arrays.js';
import type { JetArrays } from './types.js';

interface SpillFile {
  name: string;
  fd: number;
  /** float32 values per jet. */
  width: number;
}

function concatFloat32(parts: Float32Array[]): Float32Array {
  const result = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    result.set(part, offset);
    offset += part.length;
  }
  return result;
}

/** Jets spilled to `dir`, in append order. Call {@link JetSpill.close} to delete the files. */
export class JetSpill {
  numJets = 0;
  private readonly files: SpillFile[];
  private readonly labels: Int32Array[] = [];
  private readonly pts: Float32Array[] = [];
  private readonly etas: Float32Array[] = [];

  /** Creates `dir` and one file per wide array of `layout`. */
  constructor(
    private readonly dir: string,
    layout: JetLayout,
  ) {
    mkdirSync(dir, { recursive: true });
    const arrays: Array<[string, number]> = [['global', layout.globalFeatures.length]];
    for (const group of layout.groups) arrays.push([group.name, group.maxCandidates * group.features.length]);
    if (layout.spectators && layout.spectators.length > 0) arrays.push(['spectators', layout.spectators.length]);
    this.files = arrays.map(([name, width]) => ({ name, width, fd: openSync(path.join(dir, `${name}.f32`), 'w+') }));
  }

  private wide(jets: JetArrays, name: string): Float32Array | undefined {
    if (name === 'global') return jets.global;
    if (name === 'spectators') return jets.spectators;
    return jets.groups[name];
  }

  /** Appends jets whose arrays match the layout given to the constructor. */
  append(jets: JetArrays): void {
    for (const file of this.files) {
      const values = this.wide(jets, file.name) ?? new Float32Array(jets.numJets * file.width);
      const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
      writeSync(file.fd, bytes, 0, bytes.length, this.numJets * file.width * 4);
    }
    this.labels.push(jets.label);
    this.pts.push(jets.pt);
    this.etas.push(jets.eta);
    this.numJets += jets.numJets;
  }

  /** Returns label, pT and η of all spilled jets [jets], concatenated in append order. */
  kinematics(): { label: Int32Array; pt: Float32Array; eta: Float32Array } {
    const label = new Int32Array(this.numJets);
    let offset = 0;
    for (const part of this.labels) {
      label.set(part, offset);
      offset += part.length;
    }
    return { label, pt: concatFloat32(this.pts), eta: concatFloat32(this.etas) };
  }

  /**
   * Reads the jets at `indices`, in that order. `small` contains label, pT, η and weight of
   * all jets [jets]. The wide arrays come from the files, one read per jet and array.
   */
  gather(indices: Int32Array, small: { label: Int32Array; pt: Float32Array; eta: Float32Array; weight: Float32Array }): JetArrays {
    const m = indices.length;
    const read = (file: SpillFile): Float32Array => {
      const result = new Float32Array(m * file.width);
      const rowBytes = file.width * 4;
      if (rowBytes === 0) return result;
      const bytes = new Uint8Array(result.buffer);
      for (let j = 0; j < m; j++) readSync(file.fd, bytes, j * rowBytes, rowBytes, indices[j] * rowBytes);
      return result;
    };
    const groups: Record<string, Float32Array> = {};
    let global: Float32Array = new Float32Array(0);
    let spectators: Float32Array | undefined;
    for (const file of this.files) {
      const values = read(file);
      if (file.name === 'global') global = values;
      else if (file.name === 'spectators') spectators = values;
      else groups[file.name] = values;
    }
    const pick = <T extends Float32Array | Int32Array>(source: T, target: T): T => {
      for (let j = 0; j < m; j++) target[j] = source[indices[j]];
      return target;
    };
    return {
      numJets: m,
      global,
      groups,
      ...(spectators ? { spectators } : {}),
      label: pick(small.label, new Int32Array(m)),
      weight: pick(small.weight, new Float32Array(m)),
      pt: pick(small.pt, new Float32Array(m)),
      eta: pick(small.eta, new Float32Array(m)),
    };
  }

  /** Closes and deletes the spill files. */
  close(): void {
    for (const file of this.files) closeSync(file.fd);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
