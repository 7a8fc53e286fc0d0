import type { BookmarkManager } from "neo4j-driver";
import type { AnyErrorCode } from "../error-codes.js";
import { errorInfo } from "../errors.js";
import { failureKind } from "./failure-kind.js";
import type { BatchMarker } from "./checkpoint-store.js";
import type { BatchShape } from "../plan/batch-parameters.js";
import type { Row } from "../plan/row-mapper.js";
import type { BatchSink } from "./batch-sink.js";
import { retryTransient, type RetrySettings } from "./retry-transient.js";
import { addCounters, zeroCounters, type ServerCounters } from "./server-counters.js";

export interface RowRejection {
  /** Position of the row in the batch given to `write`. */
  readonly index: number;
  readonly code: AnyErrorCode;
  readonly message: string;
}

export interface BatchOutcome {
  readonly counters: ServerCounters;
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
  readonly shape?: BatchShape;
  readonly bookmarks: BookmarkManager;
  /** The marker for the rows from `start` to `end` (exclusive), written with them. */
  readonly marker?: (start: number, end: number) => BatchMarker;
  readonly onRetry?: (attempt: number, error: unknown) => void;
}


/**
 * Writes a batch whatever the server says: transient failures are retried with backoff
 * within a budget, a batch too large for the server's
 * memory is halved, and a batch with refused rows is halved until those rows stand alone
 * and can be reported, so that every other row is written. What a failure means is
 * failure-kind.ts's decision; how long to wait is backoff.ts's.
 */
export class BatchWriter {
  private readonly sink: BatchSink;
  /** How long a batch keeps being retried after its first transient failure, and the timers for it. */
  private readonly settings: RetrySettings;

  constructor(sink: BatchSink, settings: RetrySettings) {
    this.sink = sink;
    this.settings = settings;
  }

  async write(request: WriteRequest): Promise<BatchOutcome> {
    const outcome: Mutable<BatchOutcome> = { counters: zeroCounters(), unmatched: [], rejected: [], retries: 0, transactions: 0, tooLarge: false };
    await this.writeRange(request, 0, request.rows.length, outcome);
    return outcome;
  }

  private async writeRange(request: WriteRequest, start: number, end: number, outcome: Mutable<BatchOutcome>): Promise<void> {
    const rows = start === 0 && end === request.rows.length ? request.rows : request.rows.slice(start, end);
    const { now = Date.now } = this.settings;
    try {
      let transactionMs = 0;
      const result = await retryTransient(
        async () => {
          const began = now();
          const written = await this.sink.write({ cypher: request.cypher, rows, shape: request.shape, bookmarks: request.bookmarks, marker: request.marker?.(start, end) });
          transactionMs = now() - began;
          return written;
        },
        this.settings,
        (attempt, error) => {
          outcome.retries++;
          request.onRetry?.(attempt, error);
        },
      );
      addCounters(outcome.counters, result.counters);
      // The statement numbers the rows it was given; a half's rows start at `start`.
      outcome.unmatched.push(...result.unmatched.map((index) => index + start));
      outcome.transactions++;
      if (rows === request.rows) outcome.transactionMs = transactionMs;
    } catch (error) {
      const kind = failureKind(error);
      if (kind === "retry" || kind === "fatal") throw error;
      if (kind === "split") outcome.tooLarge = true;
      if (end - start === 1) {
        outcome.rejected.push({ index: start, ...errorInfo(error) });
        return;
      }
      const middle = start + Math.ceil((end - start) / 2);
      await this.writeRange(request, start, middle, outcome);
      await this.writeRange(request, middle, end, outcome);
    }
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
