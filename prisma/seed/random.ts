/**
 * A small seeded PRNG (mulberry32) for the demo seed: the same seed gives the same
 * sequence on every machine and every run, so unit codes, floors and later the history
 * come out identical. Not for anything secret.
 */

/** The demo's fixed seed. Changing it changes every generated layout. */
const DEMO_SEED = 0x486f6c64; // "Hold"

export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** An index chosen with probability proportional to its weight. */
  weightedIndex(weights: readonly number[]): number;
  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[];
}

/** FNV-1a, 32-bit: turns a label into a seed. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * A seed for one named stream (e.g. a facility code), so adding a facility or a step
 * does not shift the numbers drawn for the others.
 */
export function seedFor(label: string, base = DEMO_SEED): number {
  return (fnv1a(label) ^ base) >>> 0;
}

export function createRandom(seed: number): Random {
  let state = seed >>> 0;

  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));

  return {
    next,
    int,
    chance: (p) => next() < p,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new Error("Cannot pick from an empty list.");
      return items[int(0, items.length - 1)]!;
    },
    weightedIndex(weights) {
      const total = weights.reduce((sum, w) => sum + Math.max(0, w), 0);
      if (total <= 0) throw new Error("Cannot choose among weights that are all zero.");
      let point = next() * total;
      for (let i = 0; i < weights.length; i++) {
        point -= Math.max(0, weights[i]!);
        if (point < 0) return i;
      }
      return weights.length - 1;
    },
    shuffle<T>(items: readonly T[]): T[] {
      const out = [...items];
      for (let i = out.length - 1; i > 0; i--) {
        const j = int(0, i);
        [out[i], out[j]] = [out[j]!, out[i]!];
      }
      return out;
    },
  };
}
