import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { SRC } from "../../support/source-tree.js";

/** Specifiers a module loads as it is loaded: static imports and re-exports, not `import type` nor `import()`. */
function staticImports(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  return [...code.matchAll(/^\s*(?:import|export)\s+(?!type\b)(?:[^;"'`]*?\bfrom\s*)?["']([^"']+)["']/gm)].map((match) => match[1]);
}

/** Every module a command line loads before it runs anything: the closure of static imports from the entry. */
function loadedAtStart(entry: string): Set<string> {
  const seen = new Set<string>();
  const pending = [resolve(SRC, entry)];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of staticImports(readFileSync(file, "utf8"))) {
      if (specifier.startsWith(".")) pending.push(join(dirname(file), specifier).replace(/\.js$/, ".ts"));
      else seen.add(specifier);
    }
  }
  return seen;
}

/** What `graphload run` loads before it runs anything: main.ts imports only the command named (the others with `--help`). */
const ENTRIES = ["cli/main.ts", "cli/run-command.ts", "index.ts"];

describe("start-up", () => {
  it("loads no HTTP client, AWS SDK or glob library until a source needs one", () => {
    for (const entry of ENTRIES.slice(1)) {
      const loaded = [...loadedAtStart(entry)];
      expect(loaded.filter((module) => /^(node:)?https?$|^@aws-sdk\/|^tinyglobby$|^picomatch$|input\/(http|s3)-inputs|input\/glob-pattern/.test(module))).toEqual([]);
      expect(loaded.some((module) => module.endsWith("input/list-inputs.ts"))).toBe(true);
    }
  });

  it("graphload run loads no reader, database client, report, init or local Neo4j code until the run uses it", () => {
    for (const entry of ["cli/main.ts", "cli/run-command.ts"]) {
      const loaded = [...loadedAtStart(entry)];
      const heavy = /^(pg|pg-cursor|mysql2|hyparquet.*|cli-progress|@aws-sdk\/.*)$|source\/((csv|jsonl|neo4j|postgres|mysql)-records|csv-scanner)|(report|init|local-neo4j)\//;
      expect(loaded.filter((module) => heavy.test(module))).toEqual([]);
    }
    expect([...loadedAtStart("cli/main.ts")].filter((module) => /-command\.ts$/.test(module))).toEqual([]);
  });
});
