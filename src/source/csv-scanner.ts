/** How a CSV or TSV text is split: `quote` "" reads quotes as text; `trim` drops spaces, tabs and form feeds around fields. */
export interface CsvSyntax {
  readonly delimiter: string;
  readonly quote: string;
  readonly trim: boolean;
}

/** A record's fields and the line it starts on. */
export interface ScannedRecord {
  readonly fields: string[];
  readonly line: number;
}

const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const FORM_FEED = 12;
const BOM = 0xfeff;

const enum Mode {
  /** Before a field's first character. */
  FieldStart,
  Unquoted,
  Quoted,
  /** Past a quoted field's closing quote. */
  Closed,
}

/**
 * Splits CSV text into records, a chunk at a time: RFC 4180 quoting with `""` for a quote,
 * records ended by `\r\n`, `\n` or `\r` (mixed in one file too), a byte order mark at the start dropped, line breaks kept inside
 * quoted fields and counted. Text is kept as written where the quoting is irregular: quotes
 * inside an unquoted field, and text after a closing quote (the field is then everything
 * from its opening quote to the delimiter). A blank line is one empty field. A field that
 * spans chunks is carried in pieces, so no text is scanned twice and a quoted field never
 * closed costs no more than its length. Pure: the caller brings the text and takes the records.
 *
 * Written here rather than taken from a library: csv-parse, which handles all of this, costs
 * about 6 µs a record (half of what a whole import spends per row on the client), and the
 * fast parsers lose data on irregular input (uDSV folds a record's extra fields into its last
 * one and a short record into the next; Papa Parse reads the rest of the file into one field
 * after `"x"y` and keeps the `\r` of mixed line ends). The test compares this scanner with csv-parse.
 */
export class CsvScanner {
  private readonly delimiter: string;
  private readonly delimiterCode: number;
  private readonly quote: string;
  private readonly quoteCode: number;
  private readonly trim: boolean;
  /**
   * Characters kept back from a chunk's end, so a delimiter of several characters is never
   * cut in two. Only then: text joined to the held characters scans slower than a decoded chunk.
   */
  private readonly holdBack: number;
  private held = "";
  /** Some text has come: a byte order mark is looked for only before it. */
  private begun = false;
  /** A record ended with `\r` at a chunk's end: a `\n` starting the next chunk belongs to it. */
  private afterCR = false;
  private mode = Mode.FieldStart;
  private fields: string[] = [];
  /** The current field's text from earlier chunks; for a quoted field, as written between the quotes. */
  private pieces: string[] = [];
  /** Blanks after a closing quote, dropped unless text follows them. */
  private blanks = "";
  /** The field started with a quote: `""` is read as a quote, unless text follows the closing quote. */
  private quoted = false;
  private escaped = false;
  /** The field started with a quote, so it may hold line breaks. */
  private multiline = false;
  private line = 1;
  private recordLine = 1;

  constructor(syntax: CsvSyntax) {
    this.delimiter = syntax.delimiter;
    this.delimiterCode = syntax.delimiter.charCodeAt(0);
    this.quote = syntax.quote;
    this.quoteCode = syntax.quote === "" ? -1 : syntax.quote.charCodeAt(0);
    this.trim = syntax.trim;
    this.holdBack = syntax.delimiter.length - 1;
  }

  /** The records `text` completes, appended to `out`. */
  push(text: string, out: ScannedRecord[]): void {
    let all = this.held === "" ? text : this.held + text;
    if (!this.begun && all.length > 0) {
      this.begun = true;
      if (all.charCodeAt(0) === BOM) all = all.slice(1);
    }
    this.held = all.slice(this.scan(all, Math.max(0, all.length - this.holdBack), out));
  }

  /**
   * The last records, appended to `out`. Returns the line of a record whose quoted field is
   * never closed (it runs to the end of the input, so nothing of it is kept), else undefined.
   */
  end(out: ScannedRecord[]): number | undefined {
    const all = this.held;
    this.held = "";
    this.scan(all, all.length, out);
    if (this.mode === Mode.Quoted) return this.recordLine;
    if (this.mode !== Mode.FieldStart || this.fields.length > 0) {
      this.endField("");
      this.endRecord(out);
    }
    return undefined;
  }

  /**
   * Scans `text` from its start to at least `end`, looking past `end` only for the rest of a
   * delimiter. Returns where it stopped: the next chunk's text follows on from there.
   */
  private scan(text: string, end: number, out: ScannedRecord[]): number {
    const { delimiterCode, quoteCode } = this;
    let start = 0;
    let i = 0;
    while (i < end) {
      switch (this.mode) {
        case Mode.FieldStart: {
          if (this.fields.length === 0) {
            if (this.afterCR) {
              this.afterCR = false;
              if (text.charCodeAt(i) === LF) {
                i++;
                break;
              }
            }
            this.recordLine = this.line;
          }
          if (this.trim) while (i < end && isBlank(text.charCodeAt(i)) && !this.atDelimiter(text, i)) i++;
          if (i === end) break;
          if (text.charCodeAt(i) === quoteCode) {
            this.mode = Mode.Quoted;
            this.quoted = true;
            this.multiline = true;
            start = ++i;
          } else {
            this.mode = Mode.Unquoted;
            start = i;
          }
          break;
        }
        case Mode.Unquoted: {
          let code = 0;
          for (; i < end; i++) {
            code = text.charCodeAt(i);
            if (code === delimiterCode || code === LF || code === CR) break;
          }
          if (i === end) break;
          if (code === delimiterCode) {
            if (!this.atDelimiter(text, i)) {
              i++;
              break;
            }
            this.endField(text.slice(start, i));
            i += this.delimiter.length;
            this.mode = Mode.FieldStart;
          } else {
            this.endField(text.slice(start, i));
            i = this.endLine(text, i, out);
          }
          break;
        }
        case Mode.Quoted: {
          const at = text.indexOf(this.quote, i);
          if (at === -1 || at >= end) {
            i = end;
          } else if (text.charCodeAt(at + 1) === quoteCode) {
            this.escaped = true;
            i = at + 2;
          } else {
            // A quote ending the chunk is taken as closing; if the next chunk starts with a quote, the two were a `""`.
            this.pieces.push(text.slice(start, at));
            i = at + 1;
            this.mode = Mode.Closed;
          }
          break;
        }
        case Mode.Closed: {
          if (this.blanks === "" && text.charCodeAt(i) === quoteCode) {
            this.pieces.push(this.quote);
            this.escaped = true;
            this.mode = Mode.Quoted;
            start = i++;
            break;
          }
          const from = i;
          if (this.trim) while (i < end && isBlank(text.charCodeAt(i)) && !this.atDelimiter(text, i)) i++;
          if (i > from) this.blanks += text.slice(from, i);
          if (i === end) break;
          const code = text.charCodeAt(i);
          if (code === LF || code === CR) {
            this.endField("");
            i = this.endLine(text, i, out);
          } else if (this.atDelimiter(text, i)) {
            this.endField("");
            i += this.delimiter.length;
            this.mode = Mode.FieldStart;
          } else {
            // Text after the closing quote: the field is kept as written, quotes and all.
            this.pieces = [this.quote + this.pieces.join("") + this.quote + this.blanks];
            this.quoted = false;
            this.escaped = false;
            this.mode = Mode.Unquoted;
            start = i;
          }
          this.blanks = "";
          break;
        }
      }
    }
    // A field that runs on past what was scanned keeps its text so far.
    if ((this.mode === Mode.Unquoted || this.mode === Mode.Quoted) && start < i) this.pieces.push(text.slice(start, i));
    return i;
  }

  private atDelimiter(text: string, at: number): boolean {
    return text.charCodeAt(at) === this.delimiterCode && (this.delimiter.length === 1 || text.startsWith(this.delimiter, at));
  }

  /** Ends the current field with its last piece of text. */
  private endField(last: string): void {
    if (this.pieces.length === 0 && !this.multiline && !this.trim) {
      this.fields.push(last);
      return;
    }
    let value = this.pieces.length === 0 ? last : this.pieces.join("") + last;
    if (this.pieces.length > 0) this.pieces = [];
    if (this.multiline) {
      this.line += lineBreaks(value);
      this.multiline = false;
      if (this.quoted) {
        if (this.escaped) value = value.replaceAll(this.quote + this.quote, this.quote);
        this.quoted = this.escaped = false;
        this.fields.push(value);
        return;
      }
    }
    this.fields.push(this.trim ? trimEnd(value) : value);
  }

  /** Ends the record at the line break at `at`; returns where the next record starts. */
  private endLine(text: string, at: number, out: ScannedRecord[]): number {
    this.endRecord(out);
    this.line++;
    if (text.charCodeAt(at) !== CR) return at + 1;
    if (at + 1 === text.length) this.afterCR = true;
    return text.charCodeAt(at + 1) === LF ? at + 2 : at + 1;
  }

  private endRecord(out: ScannedRecord[]): void {
    out.push({ fields: this.fields, line: this.recordLine });
    this.fields = [];
    this.mode = Mode.FieldStart;
  }
}

function isBlank(code: number): boolean {
  return code === SPACE || code === TAB || code === FORM_FEED;
}

function trimEnd(value: string): string {
  let end = value.length;
  while (end > 0 && isBlank(value.charCodeAt(end - 1))) end--;
  return end === value.length ? value : value.slice(0, end);
}

/** Line breaks inside a quoted field: `\r\n` counts once. */
function lineBreaks(value: string): number {
  if (value.indexOf("\n") === -1 && value.indexOf("\r") === -1) return 0;
  let count = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === LF || (code === CR && value.charCodeAt(i + 1) !== LF)) count++;
  }
  return count;
}
