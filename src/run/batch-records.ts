import { MAX_JOINED_LENGTH } from "../plan/batch-parameters.js";
import type { SourceRecord } from "../source/source-record.js";

/** The source records of a batch by position, for what reads them back: dead letters, a part's marker, a failure's place. */
export interface BatchRecords {
  readonly length: number;
  at(index: number): SourceRecord | undefined;
}

/**
 * A closed batch's records as it waits for its transaction. Records of text (CSV and TSV)
 * from one file are kept as one string of all their values, where each value ends, and
 * their lines; any other records stay as they are. A waiting batch lives long enough for the
 * garbage collector to copy what it holds into the old generation, and each record's object
 * and strings cost it more than one string (bench/RESULTS.md, "Batches that wait as their
 * parameters").
 */
export function packRecords(records: readonly SourceRecord[]): BatchRecords {
  return TextRecords.of(records) ?? records;
}

/** Several batches' records one after the other. */
export function joinRecords(parts: readonly BatchRecords[]): BatchRecords {
  return parts.length === 1 ? parts[0] : new JoinedRecords(parts);
}

class JoinedRecords implements BatchRecords {
  private readonly parts: readonly BatchRecords[];
  /** Where each part ends. */
  private readonly ends: number[] = [];

  constructor(parts: readonly BatchRecords[]) {
    this.parts = parts;
    let end = 0;
    for (const part of parts) this.ends.push((end += part.length));
  }

  get length(): number {
    return this.ends.length === 0 ? 0 : this.ends[this.ends.length - 1];
  }

  at(index: number): SourceRecord | undefined {
    if (!Number.isInteger(index) || index < 0) return undefined;
    for (let part = 0; part < this.parts.length; part++) {
      if (index < this.ends[part]) return this.parts[part].at(part === 0 ? index : index - this.ends[part - 1]);
    }
    return undefined;
  }
}

class TextRecords implements BatchRecords {
  private readonly names: readonly string[];
  private readonly file: string | undefined;
  private readonly lines: Float64Array;
  /** Every value of every record, in order, one after the other. */
  private readonly text: string;
  /** Where each value ends in `text`. */
  private readonly ends: Int32Array;

  private constructor(names: readonly string[], file: string | undefined, lines: Float64Array, text: string, ends: Int32Array) {
    this.names = names;
    this.file = file;
    this.lines = lines;
    this.text = text;
    this.ends = ends;
  }

  /** The records packed, or undefined when one holds a value other than text, or other columns or another file than the first. */
  static of(records: readonly SourceRecord[]): TextRecords | undefined {
    if (records.length === 0) return undefined;
    const first = records[0];
    const names = Object.keys(first.values);
    const width = names.length;
    if (width === 0) return undefined;
    const values = new Array<string>(records.length * width);
    const ends = new Int32Array(records.length * width);
    const lines = new Float64Array(records.length);
    let end = 0;
    let cell = 0;
    for (let i = 0; i < records.length; i++) {
      const record = records[i];
      if (record.file !== first.file) return undefined;
      lines[i] = record.line;
      let j = 0;
      for (const name in record.values) {
        const value = record.values[name];
        if (name !== names[j++] || typeof value !== "string") return undefined;
        end += value.length;
        ends[cell] = end;
        values[cell++] = value;
      }
      if (j !== width || end > MAX_JOINED_LENGTH) return undefined;
    }
    return new TextRecords(names, first.file, lines, values.join(""), ends);
  }

  get length(): number {
    return this.lines.length;
  }

  at(index: number): SourceRecord | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) return undefined;
    const { names, file, ends, text } = this;
    const values: Record<string, string> = {};
    for (let j = 0, cell = index * names.length; j < names.length; j++, cell++) values[names[j]] = text.slice(cell === 0 ? 0 : ends[cell - 1], ends[cell]);
    return { kind: "record", line: this.lines[index], values, ...(file === undefined ? {} : { file }) };
  }
}
