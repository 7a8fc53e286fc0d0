import { MAX_JOINED_LENGTH, TEXT_SEPARATOR } from "../plan/batch-parameters.js";
import type { SourceRecord } from "../source/source-record.js";

/** The source records of a batch by position, for what reads them back: dead letters, a part's marker, a failure's place. */
export interface BatchRecords {
  readonly length: number;
  at(index: number): SourceRecord | undefined;
}

/**
 * A closed batch's records as it waits for its transaction. Records of text (CSV and TSV)
 * from one file are kept as one string of their values and their lines; any other records
 * stay as they are. A waiting batch lives long enough for the garbage collector to copy what
 * it holds into the old generation, and a record's object and strings cost it more than the
 * one string (bench/RESULTS.md, "Batches that wait hold their rows as parameters").
 */
export function packRecords(records: readonly SourceRecord[]): BatchRecords {
  return TextRecords.of(records) ?? records;
}

class TextRecords implements BatchRecords {
  private readonly names: readonly string[];
  private readonly file: string | undefined;
  private readonly lines: Float64Array;
  /** Every value of every record, in order, joined by TEXT_SEPARATOR. */
  private readonly text: string;
  private cells: string[] | undefined;

  private constructor(names: readonly string[], file: string | undefined, lines: Float64Array, text: string) {
    this.names = names;
    this.file = file;
    this.lines = lines;
    this.text = text;
  }

  /** The records packed, or undefined when one holds a value other than text the separator cannot split. */
  static of(records: readonly SourceRecord[]): TextRecords | undefined {
    if (records.length === 0) return undefined;
    const first = records[0];
    const names = Object.keys(first.values);
    const width = names.length;
    if (width === 0) return undefined;
    const cells = new Array<string>(records.length * width);
    const lines = new Float64Array(records.length);
    let length = 0;
    let cell = 0;
    for (let i = 0; i < records.length; i++) {
      const { file, line, values } = records[i];
      if (file !== first.file) return undefined;
      lines[i] = line;
      let j = 0;
      for (const name in values) {
        const value = values[name];
        if (name !== names[j++] || typeof value !== "string" || value.includes(TEXT_SEPARATOR)) return undefined;
        cells[cell++] = value;
        length += value.length + 1;
      }
      if (j !== width) return undefined;
    }
    if (length > MAX_JOINED_LENGTH) return undefined;
    return new TextRecords(names, first.file, lines, cells.join(TEXT_SEPARATOR));
  }

  get length(): number {
    return this.lines.length;
  }

  at(index: number): SourceRecord | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) return undefined;
    const cells = (this.cells ??= this.text.split(TEXT_SEPARATOR));
    const { names, file } = this;
    const values: Record<string, string> = {};
    for (let j = 0, at = index * names.length; j < names.length; j++, at++) values[names[j]] = cells[at];
    return { kind: "record", line: this.lines[index], values, ...(file === undefined ? {} : { file }) };
  }
}
