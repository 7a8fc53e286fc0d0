import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { int } from "neo4j-driver";
import { describe, expect, it } from "vitest";
import { DeadLetterFile } from "../../../src/run/dead-letter.js";

describe("the dead-letter file", () => {
  it("writes a database row's values readably: integers as numbers or text, bytes in hexadecimal", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "graphload-dead-")), "rejected.jsonl");
    const file = new DeadLetterFile(path);
    const row = { id: int(7), big: int("9223372036854775807"), raw: new Int8Array([0, -1, 16]) };
    await file.write({ task: "t", source: "mysql://u:***@db/shop", line: 1, row, code: "GL_NULL_KEY", message: "no key" });
    await file.close();
    expect(JSON.parse(readFileSync(path, "utf8")).row).toEqual({ id: 7, big: "9223372036854775807", raw: "0x00ff10" });
  });
});
