import { isRetryableError } from "neo4j-driver";
import { MEMORY, neo4jCode, STATEMENT_LEVEL } from "./neo4j-codes.js";

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

/**
 * The driver sometimes reports a connection lost in mid-conversation (reset by a peer, a
 * proxy or a restarting server) as a non-retriable `ProtocolError` carrying the socket's
 * message; it is a lost connection all the same, and the batch's marker makes a retry safe.
 */
const LOST_CONNECTION = /Failed to connect to server|Connection was closed by server|Connection lost|ECONNRESET|ECONNREFUSED|EPIPE/;

export function failureKind(error: unknown): FailureKind {
  const code = neo4jCode(error);
  if (MEMORY.test(code)) return "split";
  if (isRetryableError(error)) return "retry";
  if (code === "ProtocolError" && LOST_CONNECTION.test(String((error as { message?: unknown }).message))) return "retry";
  if (code.startsWith("Neo.ClientError.") && !STATEMENT_LEVEL.some((prefix) => code.startsWith(prefix))) return "rows";
  return "fatal";
}
