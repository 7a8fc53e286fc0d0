import type { BookmarkManager } from "neo4j-driver";
import type { AnyErrorCode } from "../error-codes.js";
import { errorInfo } from "../errors.js";
import { failureKind } from "./failure-kind.js";
import type { BatchMarker } from "./checkpoint-store.js";
import { batchParameters, parameterRows, ROWS, type BatchShape } from "../plan/batch-parameters.js";
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
  /** The batch's rows as the statement's parameters, in the form `shape` says (batch-parameters.ts); absent: `$rows`. */
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly shape?: BatchShape;
  /** How many rows the parameters hold. */
  readonly size: number;
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
    const shape = request.shape ?? ROWS;
    let rows: readonly unknown[] | undefined;
    // Only a failed batch is sent in parts: its rows are read back from its parameters then.
    const part = (start: number, end: number): Readonly<Record<string, unknown>> =>
      start === 0 && end === request.size ? request.parameters : batchParameters(shape, (rows ??= parameterRows(shape, request.parameters)).slice(start, end));
    await this.writeRange(request, part, 0, request.size, outcome);
    return outcome;
  }

  private async writeRange(request: WriteRequest, part: Part, start: number, end: number, outcome: Mutable<BatchOutcome>): Promise<void> {
    const whole = start === 0 && end === request.size;
    const parameters = part(start, end);
    const { now = Date.now } = this.settings;
    try {
      let transactionMs = 0;
      const result = await retryTransient(
        async () => {
          const began = now();
          const written = await this.sink.write({ cypher: request.cypher, parameters, shape: request.shape, bookmarks: request.bookmarks, marker: request.marker?.(start, end) });
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
      if (whole) outcome.transactionMs = transactionMs;
    } catch (error) {
      const kind = failureKind(error);
      if (kind === "retry" || kind === "fatal") throw error;
      if (kind === "split") outcome.tooLarge = true;
      if (end - start === 1) {
        outcome.rejected.push({ index: start, ...errorInfo(error) });
        return;
      }
      const middle = start + Math.ceil((end - start) / 2);
      await this.writeRange(request, part, start, middle, outcome);
      await this.writeRange(request, part, middle, end, outcome);
    }
  }
}

/** The parameters of the batch's rows from `start` to `end` (exclusive). */
type Part = (start: number, end: number) => Readonly<Record<string, unknown>>;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
