import { InvalidValue } from "./invalid-value.js";

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * A map written as a Cypher map literal, the way neo4j-admin's files write points:
 * `{x: 1, y: 2, crs: cartesian}` or `{latitude: 55.6, longitude: 12.9, crs: 'WGS-84'}`. Keys are
 * bare or quoted; a value is a number, or text, quoted (single or double) or bare. Only flat
 * maps: a point needs nothing more.
 */
export function parseMapLiteral(text: string): Record<string, string | number> {
  const body = text.trim();
  if (!body.startsWith("{") || !body.endsWith("}")) throw new InvalidValue("expected a map such as {x: 1, y: 2}");
  const map: Record<string, string | number> = {};
  const inner = body.slice(1, -1).trim();
  if (inner === "") return map;
  for (const entry of splitEntries(inner)) {
    const colon = entry.indexOf(":");
    if (colon <= 0) throw new InvalidValue(`expected key: value, found ${JSON.stringify(entry.trim())}`);
    const key = unquote(entry.slice(0, colon).trim());
    const raw = entry.slice(colon + 1).trim();
    if (raw === "") throw new InvalidValue(`no value for "${key}"`);
    map[key] = isQuoted(raw) ? unquote(raw) : NUMBER.test(raw) ? Number(raw) : raw;
  }
  return map;
}

/** Splits on the commas outside quotes. */
function splitEntries(text: string): string[] {
  const entries: string[] = [];
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === "'" || char === '"') {
      quote = char;
    } else if (char === ",") {
      entries.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (quote) throw new InvalidValue("a quote is never closed");
  entries.push(text.slice(start));
  return entries;
}

function isQuoted(text: string): boolean {
  return text.length >= 2 && (text[0] === "'" || text[0] === '"') && text.at(-1) === text[0];
}

function unquote(text: string): string {
  return isQuoted(text) ? text.slice(1, -1) : text;
}
