/**
 * Batch latencies counted in logarithmic bins, four per doubling (bins about 19 % wide),
 * from under a millisecond to about fifteen minutes: a percentile read from it is off by
 * at most half a bin, whatever the number of batches, in a fixed 100 words or so.
 */
const BINS_PER_DOUBLING = 4;
/** Bin 0 holds everything below 2^-2 ms. */
const OFFSET = 2 * BINS_PER_DOUBLING;
const BINS = OFFSET + 20 * BINS_PER_DOUBLING;

function binOf(ms: number): number {
  if (!(ms > 0)) return 0;
  const bin = Math.floor(Math.log2(ms) * BINS_PER_DOUBLING) + OFFSET;
  return bin < 0 ? 0 : bin >= BINS ? BINS - 1 : bin;
}

/** The lower bound of bin `bin`, in ms. */
const lowerBound = (bin: number): number => 2 ** ((bin - OFFSET) / BINS_PER_DOUBLING);

export class LatencyHistogram {
  private readonly bins = new Uint32Array(BINS);
  count = 0;
  min = Infinity;
  max = 0;

  add(ms: number): void {
    this.bins[binOf(ms)]++;
    this.count++;
    if (ms < this.min) this.min = ms;
    if (ms > this.max) this.max = ms;
  }

  merge(other: LatencyHistogram): this {
    for (let bin = 0; bin < BINS; bin++) this.bins[bin] += other.bins[bin];
    this.count += other.count;
    this.min = Math.min(this.min, other.min);
    this.max = Math.max(this.max, other.max);
    return this;
  }

  /**
   * The latency `fraction` (0…1) of the batches took at most: the geometric middle of the
   * bin it falls in, kept within the exact minimum and maximum; undefined when empty.
   */
  percentile(fraction: number): number | undefined {
    if (this.count === 0) return undefined;
    const rank = Math.max(1, Math.ceil(fraction * this.count));
    let seen = 0;
    for (let bin = 0; bin < BINS; bin++) {
      seen += this.bins[bin];
      if (seen >= rank) {
        const middle = Math.sqrt(lowerBound(bin) * lowerBound(bin + 1));
        return Math.min(this.max, Math.max(this.min, middle));
      }
    }
    return this.max;
  }
}
