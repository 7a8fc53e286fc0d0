/**
 * The batch size of a task whose pipeline says `batchSize: auto`: it follows the rate the
 * server actually sustains, aiming at transactions of about `targetMs` each — long enough
 * that round trips and commits are a small share, short enough that a retry or a split
 * costs little. A memory error halves it at once. Pure: the engine reports what happened.
 */
export interface AdaptiveSettings {
  readonly initial: number;
  readonly min: number;
  readonly max: number;
  readonly targetMs: number;
}

const ADAPTIVE_DEFAULTS: AdaptiveSettings = { initial: 2000, min: 100, max: 50_000, targetMs: 500 };

export class AdaptiveBatchSize {
  private readonly settings: AdaptiveSettings;
  private size: number;

  constructor(settings: AdaptiveSettings = ADAPTIVE_DEFAULTS) {
    this.settings = settings;
    this.size = settings.initial;
  }

  get current(): number {
    return this.size;
  }

  /** A transaction of `rows` rows committed in `ms`. */
  observe(rows: number, ms: number): void {
    // A short final batch says little about the rate of full ones.
    if (rows < this.size / 2) return;
    const ideal = (rows * this.settings.targetMs) / Math.max(ms, 1);
    // At most doubling or halving per batch, and only half way there: one slow commit
    // (a checkpoint, a garbage collection) must not swing the size.
    const bounded = Math.min(this.size * 2, Math.max(this.size / 2, ideal));
    this.size = this.clamp(Math.round((this.size + bounded) / 2));
  }

  /** The server ran out of memory for a batch of `rows` rows. */
  shrink(rows: number): void {
    this.size = this.clamp(Math.floor(Math.min(this.size, rows) / 2));
  }

  private clamp(size: number): number {
    return Math.max(this.settings.min, Math.min(this.settings.max, size));
  }
}
