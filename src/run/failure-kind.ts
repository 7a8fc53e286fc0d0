import { isRetriableError } from "neo4j-driver";

/**
 * What to do about a batch that failed, decided in this one place:
 * - `retry`: the same batch may succeed later (transient errors, lost connections,
 *   unavailable servers);
 * - `split`: the batch is too large for the server's memory; halves may fit;
 * - `rows`: some rows of the batch are refused (constraint, type, value errors); halving
 *   isolates them so that every other row is written;
 * - `fatal`: no batch of this task can succeed (syntax, security, a missing database).
 */
export type FailureKind = "retry" | "split" | "rows" | "fatal";

const MEMORY = /MemoryPoolOutOfMemoryError|MemoryLimit|OutOfMemory/;

/**
 * The driver sometimes reports a connection lost in mid-conversation (reset by a peer, a
 * proxy or a restarting server) as a non-retriable `ProtocolError` carrying the socket's
 * message; it is a lost connection all the same, and the batch's marker makes a retry safe.
 */
const LOST_CONNECTION = /Failed to connect to server|Connection was closed by server|Connection lost|ECONNRESET|ECONNREFUSED|EPIPE/;

/** Client errors that say nothing about particular rows: the statement or session is wrong. */
const STATEMENT_LEVEL = [
  "Neo.ClientError.Security.",
  "Neo.ClientError.Database.",
  "Neo.ClientError.Request.",
  "Neo.ClientError.Transaction.",
  "Neo.ClientError.Cluster.",
  "Neo.ClientError.Statement.SyntaxError",
  "Neo.ClientError.Statement.ParameterMissing",
  "Neo.ClientError.Procedure.ProcedureNotFound",
];

export function failureKind(error: unknown): FailureKind {
  const code = typeof (error as { code?: unknown })?.code === "string" ? (error as { code: string }).code : "";
  if (MEMORY.test(code)) return "split";
  if (isRetriableError(error)) return "retry";
  if (code === "ProtocolError" && LOST_CONNECTION.test(String((error as { message?: unknown }).message))) return "retry";
  if (code.startsWith("Neo.ClientError.") && !STATEMENT_LEVEL.some((prefix) => code.startsWith(prefix))) return "rows";
  return "fatal";
}
