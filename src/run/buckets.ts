/**
 * Buckets: what lets batches run side by side without touching the same thing. A key (of a
 * node a row merges, or of a node a relationship row locks) falls in one of `buckets`
 * buckets by its hash (plan/key-hash.ts); batches whose buckets are disjoint may run
 * at once (batch-scheduler.ts), and rows are grouped into lanes by their buckets
 * (batcher.ts).
 *
 * "Mix and batch" uses them against the node locks that make parallel relationship writes
 * deadlock: a row touches the buckets of its two endpoints. (Neo4j's record store also
 * locks the neighbouring relationships of a node's chain, which may belong to nodes of any
 * bucket, so deadlocks become rarer, not impossible; they are retried like any other.
 * bench/RESULTS.md has the measurements.) Merge mode uses them for its guarantee: rows
 * merging the same key share a bucket, so they never run in two transactions at once.
 */

/** The bucket of a key's hash (plan/key-hash.ts), 0 … buckets − 1. */
export function bucketOf(hash: number, buckets: number): number {
  return (hash >>> 0) % buckets;
}

/** The lane of a row whose keys are in buckets `a` and `b`: 0 … buckets·(buckets+1)/2 − 1. */
export function laneOf(a: number, b: number, buckets: number): number {
  const low = Math.min(a, b);
  const high = Math.max(a, b);
  // Lanes of bucket pairs (low, high), row by row of the upper triangle.
  return low * buckets - (low * (low - 1)) / 2 + (high - low);
}

/** Enough buckets that `concurrency` batches usually find disjoint ones, and no more: every lane buffers a batch. */
export function bucketsFor(concurrency: number): number {
  return 2 * concurrency + 2;
}
