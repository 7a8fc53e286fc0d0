/**
 * How long to wait before retry number `attempt` (1-based): exponential with full jitter,
 * capped, so that many writers retrying at once spread out instead of hitting a recovering
 * server together. `random` is injectable so tests get exact delays.
 */
export interface BackoffSettings {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly multiplier: number;
  readonly random?: () => number;
}

export const DEFAULT_BACKOFF: BackoffSettings = { initialMs: 250, maxMs: 10_000, multiplier: 2 };

export function backoffDelay(attempt: number, settings: BackoffSettings = DEFAULT_BACKOFF): number {
  const ceiling = Math.min(settings.maxMs, settings.initialMs * settings.multiplier ** (attempt - 1));
  const random = settings.random ?? Math.random;
  // Half fixed, half random: never zero, never all writers on the same tick.
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
