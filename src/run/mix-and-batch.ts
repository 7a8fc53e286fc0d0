/**
 * "Mix and batch": relationship rows grouped so that batches running at once never touch
 * the same node, against the node locks that make parallel relationship writes deadlock.
 * (Neo4j's record store also locks the neighbouring relationships of a node's chain, which
 * may belong to nodes of any bucket, so deadlocks become rarer, not impossible; they are
 * retried like any other. bench/RESULTS.md has the measurements.) Every node falls
 * in one of `buckets` buckets by a hash of its key values; a row touches the buckets of its
 * two endpoints, and rows are grouped into lanes, one per unordered pair of buckets. Two
 * batches may run together only when their buckets are disjoint (lane-dispatcher.ts).
 *
 * Only key values are hashed, not labels: the same node reached through either endpoint
 * always lands in the same bucket, whatever the two endpoint labels are.
 */

/** FNV-1a over the keys' text: stable across runs and processes, so lanes are deterministic. */
export function bucketOf(key: readonly unknown[], buckets: number): number {
  let hash = 0x811c9dc5;
  for (let k = 0; k < key.length; k++) {
    const text = String(key[k]);
    for (let i = 0; i < text.length; i++) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193);
    }
    hash ^= 0x1f;
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % buckets;
}

/** The lane of a row whose endpoints are in buckets `a` and `b`: 0 … buckets·(buckets+1)/2 − 1. */
export function laneOf(a: number, b: number, buckets: number): number {
  const low = Math.min(a, b);
  const high = Math.max(a, b);
  // Lanes of bucket pairs (low, high), row by row of the upper triangle.
  return low * buckets - (low * (low - 1)) / 2 + (high - low);
}

/** The buckets each lane touches, by lane: one bucket for lanes within a bucket, two otherwise. */
export function laneBuckets(buckets: number): number[][] {
  const lanes: number[][] = [];
  for (let low = 0; low < buckets; low++) {
    for (let high = low; high < buckets; high++) lanes.push(low === high ? [low] : [low, high]);
  }
  return lanes;
}

/** Enough buckets that `concurrency` batches usually find disjoint pairs, and no more: every lane buffers a batch. */
export function bucketsFor(concurrency: number): number {
  return 2 * concurrency + 2;
}
