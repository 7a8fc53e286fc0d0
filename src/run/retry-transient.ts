import { backoffDelay, DEFAULT_BACKOFF, type BackoffSettings } from "./backoff.js";
import { failureKind } from "./failure-kind.js";

export interface RetrySettings {
  /** How long an action keeps being retried after its first transient failure. */
  readonly retryBudgetMs: number;
  readonly backoff?: BackoffSettings;
  /** Timers, injectable so tests control time. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `action` until it succeeds, retrying what failure-kind.ts calls transient with the
 * waits backoff.ts gives, until the budget is spent; any other failure, or the last
 * transient one, is thrown. Only for actions that are safe to repeat: a batch with its
 * marker, an idempotent checkpoint statement.
 */
export async function retryTransient<T>(action: () => Promise<T>, settings: RetrySettings, onRetry?: (attempt: number, error: unknown) => void): Promise<T> {
  const { sleep = realSleep, now = Date.now, backoff = DEFAULT_BACKOFF } = settings;
  let firstFailure: number | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      return await action();
    } catch (error) {
      if (failureKind(error) !== "retry") throw error;
      firstFailure ??= now();
      if (now() - firstFailure >= settings.retryBudgetMs) throw error;
      onRetry?.(attempt, error);
      await sleep(backoffDelay(attempt, backoff));
    }
  }
}
