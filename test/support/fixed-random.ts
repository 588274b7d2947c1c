/** A random source that always returns `value`, so jittered delays are exact. */
export function fixedRandom(value: number): () => number {
  return function random(): number {
    return value;
  };
}
