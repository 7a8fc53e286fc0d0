import { readFileSync } from "node:fs";
import { dirname, posix, relative, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { sourceFiles, SRC } from "../support/source-tree.js";

/**
 * The layers of src/, bottom first (docs/architecture.md draws them). A file may import
 * from its own layer and the layers below it, never from one above. The most specific entry
 * places a file.
 */
const LAYERS: ReadonlyArray<{ readonly name: string; readonly paths: readonly string[] }> = [
  {
    name: "foundation",
    paths: ["errors.ts", "error-codes.ts", "secret-file.ts", "mask-secrets.ts", "process-exists.ts", "create-driver.ts", "count-text.ts", "model/"],
  },
  { name: "convert", paths: ["convert/"] },
  { name: "inputs", paths: ["input/"] },
  { name: "loaders", paths: ["pipeline/", "import-spec/", "admin-import/", "schema/"] },
  { name: "sources and planning", paths: ["source/", "plan/"] },
  { name: "loading a file", paths: ["load/"] },
  { name: "engine", paths: ["run/"] },
  { name: "progress, reports, drafts and the local Neo4j", paths: ["progress/", "report/", "init/", "local-neo4j/"] },
  { name: "cli", paths: ["cli/"] },
  { name: "public API", paths: ["index.ts"] },
];

/** Relative module specifiers of `import … from`, `export … from`, `import "…"` and `import("…")`. */
export function importedSpecifiers(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const patterns = [/\b(?:import|export)\b[^;"'`]*?\bfrom\s*["']([^"']+)["']/g, /\bimport\s*["']([^"']+)["']/g, /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g];
  return patterns.flatMap((pattern) => [...code.matchAll(pattern)].map((match) => match[1])).filter((specifier) => specifier.startsWith("."));
}

/** The index of a src/-relative path's layer, by its most specific entry; -1 when none places it. */
function layerOf(path: string): number {
  let best = -1;
  let length = -1;
  LAYERS.forEach((layer, index) => {
    for (const entry of layer.paths) {
      const matches = entry.endsWith("/") ? path.startsWith(entry) : path === entry;
      if (matches && entry.length > length) {
        best = index;
        length = entry.length;
      }
    }
  });
  return best;
}

interface Edge {
  readonly from: string;
  readonly to: string;
}

function importEdges(): Edge[] {
  return sourceFiles().flatMap((file) => {
    const from = relative(SRC, file).split(sep).join("/");
    return importedSpecifiers(readFileSync(file, "utf8")).map((specifier) => ({
      from,
      to: posix.normalize(posix.join(posix.dirname(from), specifier)).replace(/\.js$/, ".ts"),
    }));
  });
}

describe("layers", () => {
  const edges = importEdges();

  it("reads the imports it checks", () => {
    expect(importedSpecifiers('import { a,\n  b } from "./a.js";\nimport type { C } from "../c.js";\nexport * from "./d.js";\nimport "./e.js";\nconst f = await import("./f.js");\nimport x from "neo4j-driver";')).toEqual([
      "./a.js",
      "../c.js",
      "./d.js",
      "./e.js",
      "./f.js",
    ]);
    expect(edges.length).toBeGreaterThan(100);
    expect(edges).toContainEqual({ from: "cli/run-command.ts", to: "run/run-pipeline.ts" });
  });

  it("places every file of src/ in a layer", () => {
    const files = sourceFiles().map((file) => relative(SRC, file).split(sep).join("/"));
    expect(files.filter((file) => layerOf(file) === -1)).toEqual([]);
  });

  it("has no import from a lower layer to a higher one", () => {
    const upward = edges
      .filter((edge) => layerOf(edge.to) > layerOf(edge.from))
      .map((edge) => `src/${edge.from} (${LAYERS[layerOf(edge.from)].name}) imports src/${edge.to} (${LAYERS[layerOf(edge.to)].name})`);
    expect(upward).toEqual([]);
  });

  it("has no circle between folders", () => {
    // A folder is a room; a file at the top of src/ is a room of its own.
    const room = (path: string): string => (dirname(path) === "." ? path : dirname(path));
    const next = new Map<string, Set<string>>();
    for (const edge of edges) {
      const [from, to] = [room(edge.from), room(edge.to)];
      if (from !== to) next.set(from, (next.get(from) ?? new Set()).add(to));
    }
    const circles: string[] = [];
    const done = new Set<string>();
    const visit = (node: string, path: string[]): void => {
      if (path.includes(node)) {
        circles.push([...path.slice(path.indexOf(node)), node].join(" → "));
        return;
      }
      if (done.has(node)) return;
      for (const target of next.get(node) ?? []) visit(target, [...path, node]);
      done.add(node);
    };
    for (const node of next.keys()) visit(node, []);
    expect(circles).toEqual([]);
  });
});
