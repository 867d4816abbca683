import assert from 'node:assert/strict';
import { test } from 'node:test';
import { candidateMask, computePairFeatures, gatherFourVectors, pairLogFloor, wrapAngle } from '../../src/models/tfjs/pair-features.js';

/** Cartesian four-momentum (px, py, pz, E) of (pT, η, φ, m), written out without the module's helpers. */
function cartesian(pt: number, eta: number, phi: number, mass: number): [number, number, number, number] {
  const px = pt * Math.cos(phi);
  const py = pt * Math.sin(phi);
  const pz = pt * Math.sinh(eta);
  return [px, py, pz, Math.sqrt(mass * mass + px * px + py * py + pz * pz)];
}

/** ln kT, ln z, ln ΔR, ln m² from the textbook formulas, rapidity as ½ ln((E + pz)/(E − pz)). */
function handPairFeatures(a: number[], b: number[]): number[] {
  const pa = cartesian(a[0], a[1], a[2], a[3]);
  const pb = cartesian(b[0], b[1], b[2], b[3]);
  const rapidity = (p: number[]): number => 0.5 * Math.log((p[3] + p[2]) / (p[3] - p[2]));
  let deltaPhi = a[2] - b[2];
  while (deltaPhi > Math.PI) deltaPhi -= 2 * Math.PI;
  while (deltaPhi < -Math.PI) deltaPhi += 2 * Math.PI;
  const deltaR = Math.hypot(rapidity(pa) - rapidity(pb), deltaPhi);
  const ptMin = Math.min(a[0], b[0]);
  const e = pa[3] + pb[3];
  const massSquared = e * e - (pa[0] + pb[0]) ** 2 - (pa[1] + pb[1]) ** 2 - (pa[2] + pb[2]) ** 2;
  return [Math.log(ptMin * deltaR), Math.log(ptMin / (a[0] + b[0])), Math.log(deltaR), Math.log(massSquared)];
}

/** Run the module on one jet of candidates given as (pT, η, φ, m) rows. */
function pairFeaturesOf(candidates: number[][]): { features: Float32Array; pairMask: Float32Array; mask: Float32Array } {
  const n = candidates.length;
  const values = new Float32Array(candidates.flat());
  const fourVectors = new Float32Array(n * 4);
  gatherFourVectors(values, { numJets: 1, numCandidates: n, numFeatures: 4 }, { pt: 0, eta: 1, phi: 2, mass: 3 }, fourVectors, n, 0);
  const mask = candidateMask(fourVectors, 1, n);
  return { ...computePairFeatures(fourVectors, mask, 1, n), mask };
}

function assertClose(actual: ArrayLike<number>, expected: number[], tolerance: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tolerance, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

test('pair features match hand computation', () => {
  const a = [10, 0.5, 0.1, 0.14];
  const b = [5, -0.2, 3.0, 0.5];
  const { features, pairMask } = pairFeaturesOf([a, b]);
  const expected = handPairFeatures(a, b);
  // Spot check of the formulas themselves: z = 5/15 and ln ΔR for Δy ≈ 0.7, Δφ = −2.9.
  assert.ok(Math.abs(expected[1] - Math.log(1 / 3)) < 1e-12);
  assert.ok(Math.abs(Math.exp(expected[2]) - 2.99) < 0.02, `ΔR = ${Math.exp(expected[2])}`);
  assertClose(features.subarray(4, 8), expected, 1e-5, 'pair (0, 1)');
  assertClose(features.subarray(8, 12), expected, 1e-5, 'pair (1, 0)');
  assert.deepEqual(Array.from(pairMask), [0, 1, 1, 0]);
  assertClose(features.subarray(0, 4), [0, 0, 0, 0], 0, 'self-pair (0, 0)');
});

test('pair features wrap delta phi', () => {
  const a = [20, 1.2, 3.0, 0];
  const b = [8, 1.0, -3.0, 0];
  const { features } = pairFeaturesOf([a, b]);
  const expected = handPairFeatures(a, b);
  assertClose(features.subarray(4, 8), expected, 1e-5, 'pair (0, 1)');
  // |Δφ| = 2π − 6 ≈ 0.283, not 6: ΔR is well below 1.
  assert.ok(Math.exp(features[6]) < 0.4, `ΔR = ${Math.exp(features[6])}`);
  assert.ok(Math.abs(wrapAngle(6) - (6 - 2 * Math.PI)) < 1e-12);
});

test('pair features accept energy column', () => {
  const a = [10, 0.5, 0.1, 0.14];
  const b = [5, -0.2, 3.0, 0.5];
  const withEnergy = [a, b].map((c) => [c[0], c[1], c[2], cartesian(c[0], c[1], c[2], c[3])[3]]);
  const values = new Float32Array(withEnergy.flat());
  const fourVectors = new Float32Array(8);
  gatherFourVectors(values, { numJets: 1, numCandidates: 2, numFeatures: 4 }, { pt: 0, eta: 1, phi: 2, energy: 3 }, fourVectors, 2, 0);
  const mask = candidateMask(fourVectors, 1, 2);
  const { features } = computePairFeatures(fourVectors, mask, 1, 2);
  assertClose(features.subarray(4, 8), handPairFeatures(a, b), 1e-4, 'pair (0, 1) from energy');
});

test('pair features skip padding and zero pt', () => {
  const real = [10, 0.5, 0.1, 0.14];
  const zeroPt = [0, 0.3, 1.0, 0];
  const padding = [0, 0, 0, 0];
  const nonFinite = [Number.NaN, 0.1, 0.2, 0];
  const { features, pairMask, mask } = pairFeaturesOf([real, zeroPt, padding, nonFinite]);
  assert.deepEqual(Array.from(mask), [1, 0, 0, 0]);
  assert.ok(pairMask.every((m) => m === 0));
  assert.ok(features.every((f) => f === 0));
});

test('pair features finite for collinear massless pair', () => {
  const a = [10, 0.5, 0.1, 0];
  const { features, pairMask } = pairFeaturesOf([a, [...a], [4, 3.5, -2.0, 0]]);
  assert.equal(pairMask[1], 1);
  assert.ok(features.every((f) => Number.isFinite(f)));
  const floor = Math.log(pairLogFloor);
  // Identical directions: ΔR = 0, kT = 0 and m² = 0, so three logarithms sit at the floor.
  assertClose([features[4], features[6], features[7]], [floor, floor, floor], 1e-3, 'collinear pair (0, 1)');
  assertClose([features[5]], [Math.log(0.5)], 1e-6, 'collinear z');
});

test('pair features of two jets are independent', () => {
  const jet0 = [[10, 0.5, 0.1, 0.14], [5, -0.2, 3.0, 0.5], [0, 0, 0, 0]];
  const jet1 = [[30, -1.0, 2.0, 1.0], [0, 0, 0, 0], [7, -1.1, 2.2, 0.1]];
  const values = new Float32Array([...jet0.flat(), ...jet1.flat()]);
  const fourVectors = new Float32Array(2 * 3 * 4);
  gatherFourVectors(values, { numJets: 2, numCandidates: 3, numFeatures: 4 }, { pt: 0, eta: 1, phi: 2, mass: 3 }, fourVectors, 3, 0);
  const mask = candidateMask(fourVectors, 2, 3);
  const { features } = computePairFeatures(fourVectors, mask, 2, 3);
  const pair = (jet: number, a: number, b: number): Float32Array => features.subarray(((jet * 3 + a) * 3 + b) * 4, ((jet * 3 + a) * 3 + b + 1) * 4);
  assertClose(pair(0, 0, 1), handPairFeatures(jet0[0], jet0[1]), 1e-5, 'jet 0 pair (0, 1)');
  assertClose(pair(1, 0, 2), handPairFeatures(jet1[0], jet1[2]), 1e-5, 'jet 1 pair (0, 2)');
  assertClose(pair(1, 0, 1), [0, 0, 0, 0], 0, 'jet 1 pair with padding');
});
