import { backoffDelay, DEFAULT_BACKOFF, type BackoffSettings } from "./backoff.js";
import { failureKind } from "./failure-kind.js";

export interface RetrySettings {
  /** How long an action keeps being retried after its first transient failure. */
  readonly retryBudgetMs: number;
  readonly backoff?: BackoffSettings;
  /** Timers, injectable so tests control time. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly now?: () => number;
  /** Once aborted, no further attempt is made: the last failure is thrown at once. */
  readonly signal?: AbortSignal;
}

const realSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });

/**
 * Runs `action` until it succeeds, retrying what failure-kind.ts calls transient with the
 * waits backoff.ts gives, until the budget is spent or the signal aborts; any other
 * failure, or the last transient one, is thrown. Only for actions that are safe to repeat:
 * a batch with its marker, an idempotent checkpoint statement.
 */
export async function retryTransient<T>(action: () => Promise<T>, settings: RetrySettings, onRetry?: (attempt: number, error: unknown) => void): Promise<T> {
  const { sleep = realSleep, now = Date.now, backoff = DEFAULT_BACKOFF, signal } = settings;
  let firstFailure: number | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      return await action();
    } catch (error) {
      if (failureKind(error) !== "retry") throw error;
      firstFailure ??= now();
      if (now() - firstFailure >= settings.retryBudgetMs || signal?.aborted) throw error;
      onRetry?.(attempt, error);
      await sleep(backoffDelay(attempt, backoff), signal);
      if (signal?.aborted) throw error;
    }
  }
}
