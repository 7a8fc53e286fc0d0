import { isInt } from "neo4j-driver";
import { isDriverValue } from "../convert/driver-value.js";
import { redactSecrets } from "../mask-secrets.js";

/** At most `max` characters, the cut marked. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * A rejected record as text: a malformed line's raw text as it is, column values as JSON
 * (integers exact, temporal and spatial values as their Cypher text, bytes by their size),
 * never more than `max` characters, credentials masked.
 */
export function recordText(row: unknown, max = 2000): string {
  let text: string;
  if (typeof row === "string") text = row;
  else {
    try {
      text = JSON.stringify(row, jsonValue) ?? String(row);
    } catch {
      text = String(row);
    }
  }
  // Masked before the cut, so that a cut cannot leave part of a password unmasked.
  return truncate(redactSecrets(text.slice(0, 2 * max)), max);
}

function jsonValue(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (isInt(value)) return value.inSafeRange() ? value.toNumber() : value.toString();
  if (isDriverValue(value)) return String(value);
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  if (typeof value === "object" && value !== null && "type" in value && (value as { type: unknown }).type === "Buffer") {
    const data = (value as { data?: unknown }).data;
    return `<${Array.isArray(data) ? data.length : "?"} bytes>`;
  }
  return value;
}
