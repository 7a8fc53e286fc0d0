import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * definePipeline's types, checked by the compiler itself: test/types/define-pipeline-types.ts
 * compiles with every mistake marked `@ts-expect-error`, and without the marks each marked
 * line is an error, so the marks cannot pass by accident.
 */
const root = fileURLToPath(new URL("../../../", import.meta.url));
const FIXTURE = join(root, "test/types/define-pipeline-types.ts");
const TSC = join(root, "node_modules/typescript/bin/tsc");
const OPTIONS = ["--ignoreConfig", "--noEmit", "--strict", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", "--lib", "es2023", "--types", "node", "--skipLibCheck", "--resolveJsonModule"];

function compile(file: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [TSC, ...OPTIONS, file], { cwd: root, encoding: "utf8" });
  return { status: result.status, output: result.stdout + result.stderr };
}

describe("definePipeline's types", () => {
  it("accept the library example and file sources, and reject each marked mistake", () => {
    const result = compile(FIXTURE);
    expect(result.output).toBe("");
    expect(result.status).toBe(0);
  }, 120_000);

  it("without the marks, every marked line is a type error: a wrong column, a misspelt setting, a field the rows lack", () => {
    const lines = readFileSync(FIXTURE, "utf8").split("\n");
    const marked = lines.flatMap((line, index) => (line.trim().startsWith("// @ts-expect-error") ? [index + 1] : []));
    expect(marked.length).toBeGreaterThanOrEqual(5);
    const dir = mkdtempSync(join(tmpdir(), "graphload-types-"));
    try {
      // Each mark becomes an empty line, so that line numbers stay; the import points back at src/.
      const copy = lines.map((line) => (line.trim().startsWith("// @ts-expect-error") ? "" : line.replace('"../../src/index.js"', JSON.stringify(join(root, "src/index.js")))));
      writeFileSync(join(dir, "unmarked.ts"), copy.join("\n"));
      const result = compile(join(dir, "unmarked.ts"));
      expect(result.status).not.toBe(0);
      const errorLines = new Set([...result.output.matchAll(/unmarked\.ts\((\d+),\d+\): error/g)].map((match) => Number(match[1])));
      for (const line of marked) expect([...errorLines], `the line after the mark on line ${line}`).toContain(line + 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
