import { describe, expect, it } from "vitest";
import { Neo4jError } from "neo4j-driver";
import { BatchWriter } from "../../../src/run/batch-writer.js";
import { stageBookmarks } from "../../../src/run/stage-bookmarks.js";
import type { BatchSink, BatchWrite } from "../../../src/run/batch-sink.js";

/** A sink that fails as told: the writer's splitting and retrying are graphload's own logic. */
function sinkFailing(fail: (rows: readonly unknown[], call: number) => Error | undefined): { sink: BatchSink; calls: unknown[][] } {
  const calls: unknown[][] = [];
  const sink = {
    async write(batch: BatchWrite) {
      const rows = batch.parameters.rows as unknown[];
      calls.push([...rows]);
      const error = fail(rows, calls.length);
      if (error) throw error;
      return { counters: { nodesCreated: rows.length }, unmatched: [] };
    },
  } as unknown as BatchSink;
  return { sink, calls };
}

const neo4jError = (code: string) => new Neo4jError(`failed: ${code}`, code, "", "");
const batchOf = (n: number) => ({ parameters: { rows: Array.from({ length: n }, (_, i) => ({ id: i })) }, size: n });

describe("BatchWriter", () => {
  it("halves a batch until the refused rows stand alone, writing every other row", async () => {
    const bad = new Set([2, 5]);
    const { sink, calls } = sinkFailing((batch) =>
      batch.some((row) => bad.has((row as { id: number }).id)) ? neo4jError("Neo.ClientError.Schema.ConstraintValidationFailed") : undefined,
    );
    const outcome = await new BatchWriter(sink, { retryBudgetMs: 0 }).write({ cypher: "", ...batchOf(8), bookmarks: stageBookmarks([]) });
    expect(outcome.rejected.map((r) => [r.index, r.code])).toEqual([
      [2, "Neo.ClientError.Schema.ConstraintValidationFailed"],
      [5, "Neo.ClientError.Schema.ConstraintValidationFailed"],
    ]);
    expect(outcome.counters.nodesCreated).toBe(6);
    expect(outcome.transactions).toBe(4);
    expect(calls.length).toBe(11);
  });

  it("splits a batch that exceeds the server's memory, then writes all of it", async () => {
    const { sink } = sinkFailing((batch) => (batch.length > 2 ? neo4jError("Neo.TransientError.General.MemoryPoolOutOfMemoryError") : undefined));
    const outcome = await new BatchWriter(sink, { retryBudgetMs: 0 }).write({ cypher: "", ...batchOf(8), bookmarks: stageBookmarks([]) });
    expect(outcome).toMatchObject({ rejected: [], transactions: 4, counters: { nodesCreated: 8 } });
  });

  it("retries transient failures with backoff until they pass", async () => {
    const waits: number[] = [];
    const { sink } = sinkFailing((_batch, call) => (call < 4 ? neo4jError("ServiceUnavailable") : undefined));
    const writer = new BatchWriter(sink, {
      retryBudgetMs: 60_000,
      now: () => 0,
      sleep: async (ms) => void waits.push(ms),
      backoff: { initialMs: 100, maxMs: 1000, multiplier: 2, random: () => 1 },
    });
    const outcome = await writer.write({ cypher: "", ...batchOf(3), bookmarks: stageBookmarks([]) });
    expect(waits).toEqual([100, 200, 400]);
    expect(outcome.retries).toBe(3);
  });

  it("gives up when the retry budget is spent, and at once on a fatal error", async () => {
    let clock = 0;
    const { sink } = sinkFailing(() => neo4jError("SessionExpired"));
    const writer = new BatchWriter(sink, { retryBudgetMs: 1000, now: () => clock, sleep: async (ms) => void (clock += ms) });
    await expect(writer.write({ cypher: "", ...batchOf(2), bookmarks: stageBookmarks([]) })).rejects.toMatchObject({ code: "SessionExpired" });
    expect(clock).toBeGreaterThanOrEqual(1000);

    const syntax = sinkFailing(() => neo4jError("Neo.ClientError.Statement.SyntaxError"));
    await expect(new BatchWriter(syntax.sink, { retryBudgetMs: 1000 }).write({ cypher: "", ...batchOf(4), bookmarks: stageBookmarks([]) })).rejects.toMatchObject({
      code: "Neo.ClientError.Statement.SyntaxError",
    });
    expect(syntax.calls).toHaveLength(1);
  });

  it("reports rows without endpoints at their place in the whole batch, also after a split", async () => {
    const calls: unknown[][] = [];
    const sink = {
      async write(batch: BatchWrite) {
        const rows = batch.parameters.rows as unknown[];
        calls.push([...rows]);
        const ids = rows.map((row) => (row as { id: number }).id);
        if (ids.includes(1)) throw neo4jError("Neo.ClientError.Schema.ConstraintValidationFailed");
        // Like the generated statement: positions among the rows it was given.
        return { counters: {}, unmatched: ids.flatMap((id, position) => (id === 6 ? [position] : [])) };
      },
    } as unknown as BatchSink;
    const outcome = await new BatchWriter(sink, { retryBudgetMs: 0 }).write({ cypher: "", ...batchOf(8), bookmarks: stageBookmarks([]) });
    expect(outcome.rejected.map((r) => r.index)).toEqual([1]);
    expect(outcome.unmatched).toEqual([6]);
  });
});
