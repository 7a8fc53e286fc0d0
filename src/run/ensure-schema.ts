import type { BookmarkManager } from "neo4j-driver";
import type { SchemaOperation } from "../plan/schema-operations.js";
import type { BatchSink } from "./batch-sink.js";
import { errorInfo } from "../errors.js";
import { failureKind } from "./failure-kind.js";
import { isSchemaAlreadyThere } from "./neo4j-codes.js";
import { retryTransient, type RetrySettings } from "./retry-transient.js";
import type { RunContext } from "./run-context.js";
import { heldBookmarks, stageBookmarks } from "./stage-bookmarks.js";

/**
 * Makes sure of the constraints and indexes the plan asks for, before anything is written.
 * One that cannot be created (duplicates already in the database, a conflicting index) is
 * a warning in the summary, and the run goes on: graphload's own guarantees do not depend
 * on it. Returns the bookmarks the first stage starts from.
 */
export async function ensureSchema(context: RunContext, operations: readonly SchemaOperation[], bookmarks: readonly string[]): Promise<readonly string[]> {
  const chain = stageBookmarks(bookmarks);
  for (const operation of operations) {
    if (context.failure) break;
    const { name, description } = operation;
    try {
      const result = await runOnce(context.options.sink, operation.cypher, chain, context.options.retry);
      const created = (result.counters.constraintsAdded ?? 0) + (result.counters.indexesAdded ?? 0) > 0;
      context.emit({ type: "schema", outcome: { name, description, result: created ? "created" : "present" }, counters: result.counters });
    } catch (error) {
      if (isSchemaAlreadyThere(error)) {
        context.emit({ type: "schema", outcome: { name, description, result: "present" }, counters: {} });
        continue;
      }
      if (failureKind(error) === "retry") throw error;
      context.emit({ type: "schema", outcome: { name, description, result: "failed", message: errorInfo(error).message }, counters: {} });
    }
  }
  return heldBookmarks(chain);
}

function runOnce(sink: BatchSink, cypher: string, bookmarks: BookmarkManager, retry: RetrySettings) {
  return retryTransient(() => sink.runStatement(cypher, bookmarks), retry);
}
