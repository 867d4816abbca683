/**
 * Pairwise features of particle pairs from their four-vectors, as ParticleTransformer uses
 * them (Qu, Li, Qian, arXiv:2202.03772). For candidates a and b with transverse momenta pT
 * (GeV), rapidities y and azimuths φ (radians), the inputs are
 *
 * - Δ = sqrt((y_a − y_b)² + (φ_a − φ_b)²), with φ_a − φ_b wrapped into [−π, π];
 * - kT = min(pT_a, pT_b)·Δ;
 * - z = min(pT_a, pT_b) / (pT_a + pT_b);
 * - m² = (E_a + E_b)² − |p_a + p_b|²;
 *
 * and the features are (ln kT, ln z, ln Δ, ln m²). Each argument of a logarithm is raised to
 * at least `pairLogFloor` first, so collinear or massless pairs give a finite value.
 *
 * The computation runs on typed arrays in double precision, because it needs no gradient: it
 * depends only on the inputs. A candidate is real when its pT is positive and its four-vector
 * is finite; every other candidate is padding. Pairs with a padding candidate and self-pairs
 * (a = b) get all-zero features and a pair mask of 0.
 */

/** Number of pairwise features: ln kT, ln z, ln Δ, ln m². */
export const numPairFeatures = 4;

/** Smallest argument of the logarithms in the pairwise features. ln(1e-8) ≈ −18.4. */
export const pairLogFloor = 1e-8;

/** Column indices of one candidate group's four-vector features; exactly one of `mass` and `energy` is set. */
export interface FourVectorColumns {
  pt: number;
  eta: number;
  phi: number;
  /** Column of the mass (GeV); the energy follows as sqrt(m² + |p|²). */
  mass?: number;
  /** Column of the energy (GeV). */
  energy?: number;
}

/**
 * Copy the four-vectors of one candidate group into `target`, the [jets, candidates, 4] array
 * (pT, η, φ, E) of the whole token sequence, starting at candidate slot `firstSlot`.
 *
 * `values` is the group's [jets, groupCandidates, features] array. Negative masses count as 0.
 */
export function gatherFourVectors(
  values: ArrayLike<number>,
  shape: { numJets: number; numCandidates: number; numFeatures: number },
  columns: FourVectorColumns,
  target: Float32Array,
  targetCandidates: number,
  firstSlot: number,
): void {
  const { numJets, numCandidates, numFeatures } = shape;
  for (let jet = 0; jet < numJets; jet++) {
    for (let c = 0; c < numCandidates; c++) {
      const row = (jet * numCandidates + c) * numFeatures;
      const pt = values[row + columns.pt];
      const eta = values[row + columns.eta];
      let energy: number;
      if (columns.energy !== undefined) {
        energy = values[row + columns.energy];
      } else {
        const mass = Math.max(columns.mass === undefined ? 0 : values[row + columns.mass], 0);
        const p = pt * Math.cosh(eta);
        energy = Math.sqrt(mass * mass + p * p);
      }
      const out = ((jet * targetCandidates) + firstSlot + c) * 4;
      target[out] = pt;
      target[out + 1] = eta;
      target[out + 2] = values[row + columns.phi];
      target[out + 3] = energy;
    }
  }
}

/** Return the candidate mask [jets, candidates]: 1 for a real candidate, 0 for padding. */
export function candidateMask(fourVectors: Float32Array, numJets: number, numCandidates: number): Float32Array {
  const mask = new Float32Array(numJets * numCandidates);
  for (let i = 0; i < mask.length; i++) {
    const pt = fourVectors[4 * i];
    const finite =
      Number.isFinite(pt) && Number.isFinite(fourVectors[4 * i + 1]) && Number.isFinite(fourVectors[4 * i + 2]) && Number.isFinite(fourVectors[4 * i + 3]);
    mask[i] = finite && pt > 0 ? 1 : 0;
  }
  return mask;
}

/** Pairwise features of every jet with their pair mask. */
export interface PairFeatures {
  /** [jets, candidates, candidates, 4]: ln kT, ln z, ln Δ, ln m²; 0 where the pair mask is 0. */
  features: Float32Array;
  /** [jets, candidates, candidates]: 1 for a pair of two different real candidates, else 0. */
  pairMask: Float32Array;
}

/**
 * Compute the pairwise features of all candidate pairs from `fourVectors`, the
 * [jets, candidates, 4] array (pT, η, φ, E) that `gatherFourVectors` fills, and `mask` from
 * `candidateMask`.
 */
export function computePairFeatures(fourVectors: Float32Array, mask: Float32Array, numJets: number, numCandidates: number): PairFeatures {
  const n = numCandidates;
  const features = new Float32Array(numJets * n * n * numPairFeatures);
  const pairMask = new Float32Array(numJets * n * n);
  // Per-candidate kinematics of one jet, reused across jets.
  const px = new Float64Array(n);
  const py = new Float64Array(n);
  const pz = new Float64Array(n);
  const energy = new Float64Array(n);
  const rapidity = new Float64Array(n);

  for (let jet = 0; jet < numJets; jet++) {
    for (let c = 0; c < n; c++) {
      if (mask[jet * n + c] === 0) continue;
      const base = (jet * n + c) * 4;
      const pt = fourVectors[base];
      const phi = fourVectors[base + 2];
      px[c] = pt * Math.cos(phi);
      py[c] = pt * Math.sin(phi);
      pz[c] = pt * Math.sinh(fourVectors[base + 1]);
      // An energy below |p| (rounding, or an inconsistent input) is raised to |p|, a massless candidate.
      const momentum = Math.hypot(pt, pz[c]);
      energy[c] = Math.max(fourVectors[base + 3], momentum);
      rapidity[c] = rapidityOf(pt, pz[c], energy[c]);
    }

    for (let a = 0; a < n; a++) {
      if (mask[jet * n + a] === 0) continue;
      const ptA = fourVectors[(jet * n + a) * 4];
      const phiA = fourVectors[(jet * n + a) * 4 + 2];
      for (let b = 0; b < n; b++) {
        if (b === a || mask[jet * n + b] === 0) continue;
        const ptB = fourVectors[(jet * n + b) * 4];
        const phiB = fourVectors[(jet * n + b) * 4 + 2];
        const deltaY = rapidity[a] - rapidity[b];
        const deltaPhi = wrapAngle(phiA - phiB);
        const deltaR = Math.sqrt(deltaY * deltaY + deltaPhi * deltaPhi);
        const ptMin = Math.min(ptA, ptB);
        const sumE = energy[a] + energy[b];
        const sumX = px[a] + px[b];
        const sumY = py[a] + py[b];
        const sumZ = pz[a] + pz[b];
        const massSquared = sumE * sumE - sumX * sumX - sumY * sumY - sumZ * sumZ;

        const pair = (jet * n + a) * n + b;
        pairMask[pair] = 1;
        const out = pair * numPairFeatures;
        features[out] = safeLog(ptMin * deltaR);
        features[out + 1] = safeLog(ptMin / (ptA + ptB));
        features[out + 2] = safeLog(deltaR);
        features[out + 3] = safeLog(massSquared);
      }
    }
  }
  return { features, pairMask };
}

/** Natural logarithm of max(x, pairLogFloor). */
function safeLog(x: number): number {
  return Math.log(Math.max(x, pairLogFloor));
}

/** Wrap an angle difference into [−π, π]. */
export function wrapAngle(angle: number): number {
  return angle - 2 * Math.PI * Math.round(angle / (2 * Math.PI));
}

/**
 * Rapidity y = ½·ln((E + pz)/(E − pz)), written as sign(pz)·ln((E + |pz|)/mT) with
 * mT² = E² − pz², so that E − pz never cancels for large |η|. Requires E ≥ |p| and pT > 0.
 */
function rapidityOf(pt: number, pz: number, energy: number): number {
  const momentumSquared = pt * pt + pz * pz;
  const massSquared = Math.max(energy * energy - momentumSquared, 0);
  const transverseMass = Math.sqrt(massSquared + pt * pt);
  const y = Math.log((energy + Math.abs(pz)) / transverseMass);
  return pz < 0 ? -y : y;
}
