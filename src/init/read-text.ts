import { inferType } from "./infer-type.js";

const CANDIDATES = [",", ";", "\t", "|"];
const LINES_LOOKED_AT = 20;

/**
 * The delimiter of CSV text: the format's own unless it splits the first lines into one
 * field each, or into varying numbers, while another splits them all alike (`;` is common
 * in `.csv` files from locales with a decimal comma).
 */
export function detectDelimiter(text: string, own: string): string {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/).slice(0, LINES_LOOKED_AT + 1);
  // The last line of a sample may be cut short.
  const sample = (lines.length > LINES_LOOKED_AT ? lines.slice(0, LINES_LOOKED_AT) : lines).filter((line) => line !== "").join("\n");
  const fields = (delimiter: string): number => {
    const counts = new Set(parseCsv(sample, delimiter).map((record) => record.length));
    return counts.size === 1 ? [...counts][0] : 0;
  };
  if (fields(own) > 1) return own;
  let best = own;
  let bestFields = 1;
  for (const delimiter of CANDIDATES) {
    const count = fields(delimiter);
    if (count > bestFields) {
      best = delimiter;
      bestFields = count;
    }
  }
  return best;
}

const DATA_TYPES = new Set(["integer", "float", "date", "localdatetime", "datetime"]);

/** A first line of numbers and dates only is data, not a header: no one names every column `1996-07-04`. */
export function looksLikeData(record: readonly string[]): boolean {
  return record.length > 0 && record.every((cell) => cell.trim() !== "" && DATA_TYPES.has(inferType([cell.trim()]).type ?? ""));
}

const LF = 10;
const CR = 13;

/**
 * CSV text as records, the way a run's reader takes it (RFC 4180 with `""` inside quotes;
 * a quote inside an unquoted field, or after a closing one, kept as written; blank lines
 * skipped), but several times faster than the general parser: a sample is read in full on
 * every `init`. A record cut short by the end of a sample, inside quotes, is dropped.
 */
export function parseCsv(text: string, delimiter: string, quote = '"'): string[][] {
  const records: string[][] = [];
  const separator = delimiter.charCodeAt(0);
  const quoteCode = quote.charCodeAt(0);
  const end = text.length;
  let at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let record: string[] = [];
  while (at <= end) {
    let field: string;
    if (text.charCodeAt(at) === quoteCode) {
      let value = "";
      let from = at + 1;
      for (;;) {
        const close = text.indexOf(quote, from);
        if (close === -1) return records;
        value += text.slice(from, close);
        if (text.charCodeAt(close + 1) === quoteCode) {
          value += quote;
          from = close + 2;
          continue;
        }
        at = close + 1;
        break;
      }
      const rest = at;
      while (at < end && !isBreak(text.charCodeAt(at), separator)) at++;
      field = value + text.slice(rest, at);
    } else {
      const from = at;
      while (at < end && !isBreak(text.charCodeAt(at), separator)) at++;
      field = text.slice(from, at);
    }
    record.push(field);
    const code = at < end ? text.charCodeAt(at) : -1;
    if (code === separator) {
      at++;
      continue;
    }
    if (code === CR && text.charCodeAt(at + 1) === LF) at++;
    at++;
    if (record.length > 1 || record[0] !== "") records.push(record);
    record = [];
    if (code === -1) break;
  }
  return records;
}

function isBreak(code: number, separator: number): boolean {
  return code === separator || code === LF || code === CR;
}
