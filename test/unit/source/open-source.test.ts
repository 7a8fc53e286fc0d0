import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import type { CsvOptions, SourceFormat, SourceSpec } from "../../../src/model/pipeline.js";
import { openSource } from "../../../src/source/open-source.js";
import type { RecordSource, SourceItem } from "../../../src/source/source-record.js";

const FIXTURES = resolve(import.meta.dirname, "../../../fixtures/formats");
const CSV: CsvOptions = { delimiter: ",", quote: '"', header: true };
const TSV: CsvOptions = { ...CSV, delimiter: "\t" };
const temp = mkdtempSync(join(tmpdir(), "graphload-source-"));

afterAll(() => rmSync(temp, { recursive: true, force: true }));

function fileSpec(path: string, format: SourceFormat = "csv", csv: CsvOptions = format === "tsv" ? TSV : CSV): SourceSpec {
  return { kind: "file", path, format, gzip: path.endsWith(".gz"), csv };
}

function stdinSpec(format: SourceFormat, gzip = false, csv: CsvOptions = CSV): SourceSpec {
  return { kind: "stdin", format, gzip, csv };
}

let written = 0;
function tempFile(content: string | Buffer, extension = ".csv"): string {
  const path = join(temp, `file-${written++}${extension}`);
  writeFileSync(path, content);
  return path;
}

async function readAll(source: RecordSource): Promise<SourceItem[]> {
  const items: SourceItem[] = [];
  for await (const item of source.records()) items.push(item);
  return items;
}

async function read(spec: SourceSpec): Promise<SourceItem[]> {
  return readAll(openSource(spec));
}

async function readCsv(content: string | Buffer, csv: CsvOptions = CSV): Promise<SourceItem[]> {
  return read(fileSpec(tempFile(content), "csv", csv));
}

async function failure(items: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await items.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeDefined();
  return error as { code: string; message: string };
}

const PEOPLE_CSV = [
  { kind: "record", line: 2, values: { id: "1", name: "Alice", age: "34", note: "plain" } },
  { kind: "record", line: 3, values: { id: "2", name: "Smith, Bob", age: "41", note: 'said "hi"' } },
  { kind: "record", line: 4, values: { id: "3", name: "Carol", age: "29", note: "two\nlines" } },
  { kind: "record", line: 6, values: { id: "4", name: "Dave", age: "", note: "" } },
];

const PEOPLE_TSV = [
  { kind: "record", line: 2, values: { id: "1", name: "Alice", age: "34" } },
  { kind: "record", line: 3, values: { id: "2", name: "Bob Smith", age: "41" } },
];

const PEOPLE_JSONL = [
  { kind: "record", line: 1, values: { id: 1, name: "Alice", age: 34, tags: ["a", "b"] } },
  { kind: "record", line: 3, values: { id: 2, name: "Bob", age: 41.5, active: true } },
  { kind: "malformed", line: 4, raw: "not json", code: "GL_MALFORMED_JSON", message: expect.stringContaining("not valid JSON") },
  { kind: "malformed", line: 5, raw: "[1, 2]", code: "GL_MALFORMED_JSON", message: "the line is not a JSON object" },
  { kind: "record", line: 6, values: { id: 3, name: "Carol", born: "1990-01-02", manager: null } },
];

describe("CSV and TSV sources", () => {
  it("reads a header and records, with the line each record starts on", async () => {
    expect(await read(fileSpec(join(FIXTURES, "people.csv")))).toEqual(PEOPLE_CSV);
  });

  it("reads TSV", async () => {
    expect(await read(fileSpec(join(FIXTURES, "people.tsv"), "tsv"))).toEqual(PEOPLE_TSV);
  });

  it("replaces the header's names with explicit columns", async () => {
    const items = await read(fileSpec(join(FIXTURES, "people.tsv"), "tsv", { ...TSV, columns: ["key", "fullName", "years"] }));
    expect(items[0]).toEqual({ kind: "record", line: 2, values: { key: "1", fullName: "Alice", years: "34" } });
  });

  it("reads a file without a header, with its own delimiter and quote", async () => {
    const csv = { delimiter: ";", quote: "'", header: false, columns: ["id", "name", "age"] };
    expect(await read(fileSpec(join(FIXTURES, "no-header.csv"), "csv", csv))).toEqual([
      { kind: "record", line: 1, values: { id: "1", name: "Alice; A.", age: "34" } },
      { kind: "record", line: 2, values: { id: "2", name: "Bob 'B'", age: "41" } },
    ]);
  });

  it("reads quotes as text when quoting is off", async () => {
    expect(await readCsv('a\tb\n"1\t2"\n', { ...TSV, quote: "" })).toEqual([{ kind: "record", line: 2, values: { a: '"1', b: '2"' } }]);
  });

  it("takes a multi-character delimiter", async () => {
    expect(await readCsv("a||b\n1||x|y\n", { ...CSV, delimiter: "||" })).toEqual([{ kind: "record", line: 2, values: { a: "1", b: "x|y" } }]);
  });

  it("needs columns when there is no header", async () => {
    const error = await failure(readCsv("1,2\n", { ...CSV, header: false }));
    expect(error.code).toBe("GL_NO_COLUMNS");
  });

  it("strips a UTF-8 byte order mark", async () => {
    expect(await readCsv("\uFEFFid,name\n1,Ä\n")).toEqual([{ kind: "record", line: 2, values: { id: "1", name: "Ä" } }]);
  });

  it("handles CRLF line ends, also inside quoted fields, and a last line without one", async () => {
    expect(await readCsv('id,note\r\n1,"a\r\nb"\r\n2,c\r\n3,d')).toEqual([
      { kind: "record", line: 2, values: { id: "1", note: "a\r\nb" } },
      { kind: "record", line: 4, values: { id: "2", note: "c" } },
      { kind: "record", line: 5, values: { id: "3", note: "d" } },
    ]);
  });

  it("skips blank lines but counts them", async () => {
    expect(await readCsv("\nid,name\n\n1,a\r\n\r\n\n2,b\n\n")).toEqual([
      { kind: "record", line: 4, values: { id: "1", name: "a" } },
      { kind: "record", line: 7, values: { id: "2", name: "b" } },
    ]);
  });

  it("reads a blank line of a one-column file as an empty value", async () => {
    expect(await readCsv("id\n1\n\n2\n")).toEqual([
      { kind: "record", line: 2, values: { id: "1" } },
      { kind: "record", line: 3, values: { id: "" } },
      { kind: "record", line: 4, values: { id: "2" } },
    ]);
  });

  it("keeps stray quotes inside unquoted fields", async () => {
    expect(await readCsv('size,name\n5" disk,"x"y\n')).toEqual([{ kind: "record", line: 2, values: { size: '5" disk', name: '"x"y' } }]);
  });

  it("sets aside a record with the wrong number of fields and reads on", async () => {
    expect(await readCsv('id,name\n1,a\n2,"b,c",d\n"3\nx"\n4,e\n')).toEqual([
      { kind: "record", line: 2, values: { id: "1", name: "a" } },
      { kind: "malformed", line: 3, raw: '2,"b,c",d', code: "GL_MALFORMED_RECORD", message: "expected 2 fields, found 3" },
      { kind: "malformed", line: 4, raw: '"3\nx"', code: "GL_MALFORMED_RECORD", message: "expected 2 fields, found 1" },
      { kind: "record", line: 6, values: { id: "4", name: "e" } },
    ]);
  });

  it("reports a quoted field that is never closed, at the line its record starts", async () => {
    expect(await readCsv('id,name\n1,a\n2,"b\n3,c\n')).toEqual([
      { kind: "record", line: 2, values: { id: "1", name: "a" } },
      { kind: "malformed", line: 3, raw: "", code: "GL_MALFORMED_RECORD", message: "a quoted field is never closed" },
    ]);
  });

  it("sets aside a record that is not valid UTF-8 and keeps a genuine U+FFFD", async () => {
    const content = Buffer.concat([
      Buffer.from("id,name\n1,caf\u00e9\n2,"),
      Buffer.from([0x63, 0x61, 0x66, 0xe9]),
      Buffer.from("\n3,\uFFFD\n4,"),
      Buffer.from([0xed, 0xa0, 0x80]),
      Buffer.from("\n5,ok\n"),
    ]);
    expect(await readCsv(content)).toEqual([
      { kind: "record", line: 2, values: { id: "1", name: "café" } },
      { kind: "malformed", line: 3, raw: "2,caf\uFFFD", code: "GL_INVALID_UTF8", message: "the record is not valid UTF-8" },
      { kind: "record", line: 4, values: { id: "3", name: "\uFFFD" } },
      { kind: "malformed", line: 5, raw: "4,\uFFFD\uFFFD\uFFFD", code: "GL_INVALID_UTF8", message: "the record is not valid UTF-8" },
      { kind: "record", line: 6, values: { id: "5", name: "ok" } },
    ]);
  });

  it("tells invalid UTF-8 from genuine U+FFFD with a delimiter that is not ASCII", async () => {
    const content = Buffer.concat([Buffer.from("a§b\n\uFFFD§1\n"), Buffer.from([0x78, 0xa7, 0xc2]), Buffer.from("§2\nz§3\n")]);
    expect(await readCsv(content, { ...CSV, delimiter: "§" })).toEqual([
      { kind: "record", line: 2, values: { a: "\uFFFD", b: "1" } },
      { kind: "malformed", line: 3, raw: "x\uFFFD\uFFFD§2", code: "GL_INVALID_UTF8", message: "the record is not valid UTF-8" },
      { kind: "record", line: 4, values: { a: "z", b: "3" } },
    ]);
  });

  it("refuses a header that is not valid UTF-8", async () => {
    const error = await failure(readCsv(Buffer.concat([Buffer.from("id,na"), Buffer.from([0xff]), Buffer.from("me\n1,a\n")])));
    expect(error.code).toBe("GL_MALFORMED_HEADER");
  });

  it("refuses repeated column names and a header that does not fit the columns", async () => {
    expect((await failure(readCsv("id,name,id\n1,a,2\n"))).code).toBe("GL_DUPLICATE_NAME");
    expect((await failure(readCsv("id,name\n1,a\n", { ...CSV, columns: ["a", "b", "c"] }))).code).toBe("GL_MALFORMED_HEADER");
    expect(await readCsv("id,,\n1,,\n")).toEqual([{ kind: "record", line: 2, values: { id: "1", "": "" } }]);
  });

  it("yields nothing for an empty file or a header alone", async () => {
    expect(await readCsv("")).toEqual([]);
    expect(await readCsv("id,name\n")).toEqual([]);
  });

  it("numbers lines right across many chunks", async () => {
    const rows = ["id,note"];
    const expected: { line: number; id: string }[] = [];
    let line = 2;
    for (let i = 0; i < 60_000; i++) {
      const note = i % 7 === 0 ? `"multi\nline ${i}, é"` : i % 5 === 0 ? `"quoted ${i}"` : `plain ${i} ü`;
      expected.push({ line, id: String(i) });
      rows.push(`${i},${note}`);
      line += i % 7 === 0 ? 2 : 1;
    }
    const items = await readCsv(`${rows.join("\n")}\n`);
    expect(items.map((item) => ({ line: item.line, id: item.kind === "record" ? item.values.id : item.raw }))).toEqual(expected);
  });
});

describe("JSON Lines sources", () => {
  it("keeps JSON types, skips blank lines and sets aside lines that are no JSON object", async () => {
    expect(await read(fileSpec(join(FIXTURES, "people.jsonl"), "jsonl"))).toEqual(PEOPLE_JSONL);
  });

  it("handles a byte order mark, CRLF and a last line without a line end", async () => {
    const path = tempFile('\uFEFF{"a": 1}\r\n\r\n{"a": 2}', ".jsonl");
    expect(await read(fileSpec(path, "jsonl"))).toEqual([
      { kind: "record", line: 1, values: { a: 1 } },
      { kind: "record", line: 3, values: { a: 2 } },
    ]);
  });

  it("sets aside a line that is not valid UTF-8 and reads on", async () => {
    const path = tempFile(Buffer.concat([Buffer.from('{"a": "x"}\n{"a": "'), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n{"a": "é"}\n')]), ".jsonl");
    expect(await read(fileSpec(path, "jsonl"))).toEqual([
      { kind: "record", line: 1, values: { a: "x" } },
      { kind: "malformed", line: 2, raw: '{"a": "\uFFFD("}', code: "GL_INVALID_UTF8", message: "the line is not valid UTF-8" },
      { kind: "record", line: 3, values: { a: "é" } },
    ]);
  });

  it("splits lines right across many chunks", async () => {
    const lines = Array.from({ length: 50_000 }, (_, i) => JSON.stringify({ i, text: "ünïcödé ".repeat(i % 4) }));
    const items = await read(fileSpec(tempFile(lines.join("\n"), ".jsonl"), "jsonl"));
    expect(items).toHaveLength(lines.length);
    expect(items.every((item, i) => item.kind === "record" && item.line === i + 1 && item.values.i === i)).toBe(true);
  });
});

describe("gzip", () => {
  it.each([
    ["people.csv", "csv", PEOPLE_CSV],
    ["people.tsv", "tsv", PEOPLE_TSV],
    ["people.jsonl", "jsonl", PEOPLE_JSONL],
  ] as const)("reads %s compressed", async (name, format, expected) => {
    const path = tempFile(gzipSync(readFileSync(join(FIXTURES, name))), `.${format}.gz`);
    const source = openSource(fileSpec(path, format));
    expect(await readAll(source)).toEqual(expected);
    expect(source.totalBytes).toBe(statSync(path).size);
    expect(source.bytesRead()).toBe(statSync(path).size);
  });

  it("fails with GL_READ_FAILED on data that is not gzip", async () => {
    const error = await failure(read(fileSpec(tempFile("id\n1\n", ".csv.gz"))));
    expect(error.code).toBe("GL_READ_FAILED");
    expect(error.message).toContain("not valid gzip");
  });
});

describe("standard input", () => {
  it("reads CSV and JSON Lines from the given stream", async () => {
    const csv = openSource(stdinSpec("csv"), { stdin: Readable.from([readFileSync(join(FIXTURES, "people.csv"))]) });
    expect(csv.name).toBe("stdin");
    expect(csv.totalBytes).toBeUndefined();
    expect(await readAll(csv)).toEqual(PEOPLE_CSV);
    expect(csv.bytesRead()).toBe(statSync(join(FIXTURES, "people.csv")).size);

    const jsonl = openSource(stdinSpec("jsonl"), { stdin: Readable.from([readFileSync(join(FIXTURES, "people.jsonl"))]) });
    expect(await readAll(jsonl)).toEqual(PEOPLE_JSONL);
  });

  it("reads gzip and input that arrives a few bytes at a time", async () => {
    const compressed = gzipSync(readFileSync(join(FIXTURES, "people.tsv")));
    const tsv = openSource(stdinSpec("tsv", true, TSV), { stdin: Readable.from([compressed]) });
    expect(await readAll(tsv)).toEqual(PEOPLE_TSV);
    expect(tsv.bytesRead()).toBe(compressed.length);

    const bytes = Buffer.from("\uFEFFid,name\n1,\u00e9\u20ac\n");
    const pieces = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
    expect(await readAll(openSource(stdinSpec("csv"), { stdin: Readable.from(pieces) }))).toEqual([
      { kind: "record", line: 2, values: { id: "1", name: "é€" } },
    ]);
  });

  it("opens nothing until read, and closes the input when reading fails", async () => {
    const unread = Readable.from([Buffer.from("id\n1\n")]);
    openSource(stdinSpec("csv"), { stdin: unread }).records();
    expect(unread.readableFlowing).toBeNull();

    const duplicate = Readable.from([Buffer.from("id,id\n1,2\n")]);
    expect((await failure(readAll(openSource(stdinSpec("csv"), { stdin: duplicate })))).code).toBe("GL_DUPLICATE_NAME");
    expect(duplicate.destroyed).toBe(true);
  });

  it("gives a reader that pauses every record", async () => {
    const text = `id\n${Array.from({ length: 5000 }, (_, i) => i).join("\n")}\n`;
    let count = 0;
    for await (const item of openSource(stdinSpec("csv"), { stdin: Readable.from([Buffer.from(text)]) }).records()) {
      if (count % 1500 === 0) await new Promise((done) => setTimeout(done, 20));
      expect(item).toMatchObject({ kind: "record", line: count + 2 });
      count++;
    }
    expect(count).toBe(5000);
  });

  it("stops reading the input when the reader stops", async () => {
    const stdin = Readable.from([readFileSync(join(FIXTURES, "people.csv"))]);
    for await (const item of openSource(stdinSpec("csv"), { stdin }).records()) {
      expect(item.line).toBe(2);
      break;
    }
    expect(stdin.destroyed).toBe(true);
  });
});

describe("the source", () => {
  it("is named by its path relative to the working directory unless given a name", () => {
    const path = join(FIXTURES, "people.csv");
    expect(openSource(fileSpec(path)).name).toBe(relative(process.cwd(), path));
    expect(openSource(fileSpec(path), { displayName: "people" }).name).toBe("people");
  });

  it("streams: memory and bytes read follow the reader, not the file size", async () => {
    const row = `${"x".repeat(80)},${"y".repeat(80)}\n`;
    const path = tempFile(`a,b\n${row.repeat(100_000)}`);
    const source = openSource(fileSpec(path));
    const items = source.records()[Symbol.asyncIterator]();
    await items.next();
    await new Promise((done) => setTimeout(done, 50));
    expect(source.totalBytes).toBe(statSync(path).size);
    expect(source.bytesRead()).toBeGreaterThan(0);
    expect(source.bytesRead()).toBeLessThan(source.totalBytes! / 4);
    await items.return?.();
  });

  it("can be read once", async () => {
    const source = openSource(fileSpec(join(FIXTURES, "people.csv")));
    await readAll(source);
    expect(() => source.records()).toThrow(/read already/);
  });

  it("fails with GL_FILE_NOT_FOUND, naming the source, for a missing file", async () => {
    const source = openSource(fileSpec(join(temp, "missing.csv")), { displayName: "missing.csv" });
    expect(source.totalBytes).toBeUndefined();
    const error = await failure(readAll(source));
    expect(error).toMatchObject({ code: "GL_FILE_NOT_FOUND", message: "missing.csv: no such file" });
  });
});

describe("a database source's name", () => {
  const sql = (kind: "postgres" | "mysql", url: string): SourceSpec => ({ kind, url, query: "SELECT 1", fetchSize: 1, decimal: "float" });

  it("is its URL with the password masked, in the user part and in the query", () => {
    expect(openSource(sql("mysql", "mysql://shop:s3cret@db:3306/shop")).name).toBe("mysql://shop:***@db:3306/shop");
    expect(openSource(sql("postgres", "postgresql://db:5432/shop?user=shop&password=s3cret")).name).toBe("postgresql://db:5432/shop?user=shop&password=***");
    expect(openSource(sql("mysql", "not a url s3cret")).name).toBe("mysql");
  });
});
