/**
 * FNV-1a over a key's text, namespace first, then each value: stable across runs and
 * processes, so the lanes rows fall in are the same when a run is resumed. Integers hash
 * like their text, whether they travel as numbers or as Integer objects. A hash is a signed
 * 32-bit integer, which V8 keeps unboxed in the sets and maps it goes into; as an unsigned one,
 * half of them would be a heap number allocated for each set or map they join.
 */
export const KEY_HASH_SEED = 0x811c9dc5;

/** Folds one part of a key (its text) into `hash`, with a separator so ["ab","c"] and ["a","bc"] differ. */
export function hashPart(hash: number, text: string): number {
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= 0x1f;
  return Math.imul(hash, 0x01000193);
}

export function keyHash(key: readonly unknown[]): number {
  let hash = KEY_HASH_SEED;
  for (let k = 0; k < key.length; k++) hash = hashPart(hash, String(key[k]));
  return hash;
}
