import { backoffDelay, DEFAULT_BACKOFF, type BackoffSettings } from "./backoff.js";
import { errorInfo } from "./error-info.js";
import { failureKind } from "./failure-kind.js";
import type { BatchMarker } from "./checkpoint-store.js";
import type { Row } from "../plan/row-mapper.js";
import type { BatchSink } from "./batch-sink.js";
import { addCounters, zeroCounters, type ServerCounters } from "./server-counters.js";

export interface BatchWriterSettings {
  /** How long a batch keeps being retried after its first transient failure. */
  readonly retryBudgetMs: number;
  readonly backoff?: BackoffSettings;
  /** Timers, injectable so tests control time. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

export interface RowRejection {
  /** Position of the row in the batch given to `write`. */
  readonly index: number;
  readonly code: string;
  readonly message: string;
}

export interface BatchOutcome {
  readonly counters: ServerCounters;
  readonly bookmarks: string[];
  /** Positions of rows that wrote nothing because an endpoint was missing. */
  readonly unmatched: number[];
  /** Rows the server refused, isolated by splitting the batch. */
  readonly rejected: RowRejection[];
  readonly retries: number;
  /** Transactions committed: one, or more when the batch was split. */
  readonly transactions: number;
  /** How long the batch's transaction took, when it went in one piece. */
  readonly transactionMs?: number;
  /** The server had too little memory for the batch as a whole. */
  readonly tooLarge: boolean;
}

export interface WriteRequest {
  readonly cypher: string;
  readonly rows: readonly Row[];
  readonly bookmarks: readonly string[];
  /** The marker for the rows from `start` to `end` (exclusive), written with them. */
  readonly marker?: (start: number, end: number) => BatchMarker;
  readonly onRetry?: (attempt: number, error: unknown) => void;
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Writes a batch whatever the server says: transient failures are retried with backoff
 * within a budget, a batch too large for the server's
 * memory is halved, and a batch with refused rows is halved until those rows stand alone
 * and can be reported, so that every other row is written. What a failure means is
 * failure-kind.ts's decision; how long to wait is backoff.ts's.
 */
export class BatchWriter {
  private readonly sink: BatchSink;
  private readonly settings: Required<BatchWriterSettings>;

  constructor(sink: BatchSink, settings: BatchWriterSettings) {
    this.sink = sink;
    this.settings = { backoff: DEFAULT_BACKOFF, sleep: realSleep, now: Date.now, ...settings };
  }

  async write(request: WriteRequest): Promise<BatchOutcome> {
    const outcome: Mutable<BatchOutcome> = { counters: zeroCounters(), bookmarks: [], unmatched: [], rejected: [], retries: 0, transactions: 0, tooLarge: false };
    await this.writeRange(request, 0, request.rows.length, outcome);
    return outcome;
  }

  private async writeRange(request: WriteRequest, start: number, end: number, outcome: Mutable<BatchOutcome>): Promise<void> {
    const rows = start === 0 && end === request.rows.length ? request.rows : request.rows.slice(start, end);
    let firstFailure: number | undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        const began = this.settings.now();
        const result = await this.sink.write({
          cypher: request.cypher,
          rows,
          bookmarks: request.bookmarks,
          marker: request.marker?.(start, end),
        });
        addCounters(outcome.counters, result.counters);
        outcome.bookmarks.push(...result.bookmarks);
        // Relationship rows carry their position in the whole batch, so no offset applies.
        outcome.unmatched.push(...result.unmatched);
        outcome.transactions++;
        if (rows === request.rows) outcome.transactionMs = this.settings.now() - began;
        return;
      } catch (error) {
        const kind = failureKind(error);
        if (kind === "retry") {
          firstFailure ??= this.settings.now();
          if (this.settings.now() - firstFailure >= this.settings.retryBudgetMs) throw error;
          outcome.retries++;
          request.onRetry?.(attempt, error);
          await this.settings.sleep(backoffDelay(attempt, this.settings.backoff));
          continue;
        }
        if (kind === "fatal") throw error;
        if (kind === "split") outcome.tooLarge = true;
        if (end - start === 1) {
          outcome.rejected.push({ index: start, ...errorInfo(error) });
          return;
        }
        const middle = start + Math.ceil((end - start) / 2);
        await this.writeRange(request, start, middle, outcome);
        await this.writeRange(request, middle, end, outcome);
        return;
      }
    }
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
