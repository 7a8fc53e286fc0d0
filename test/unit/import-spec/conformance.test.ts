import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseDocument } from "yaml";
import { describe, expect, it } from "vitest";
import { validateImportSpec, type SpecIssue } from "../../../src/import-spec/check-import-spec.js";
import { isImportSpec } from "../../../src/import-spec/compile-import-spec.js";
import { runSpecRules, SPEC_RULES } from "../../../src/import-spec/spec-rules.js";
import { readSpec } from "../../../src/import-spec/spec-view.js";
import { checkSchema } from "../../../src/pipeline/check-schema.js";

/**
 * graphload against the test corpus of Neo4j's import-spec library (fixtures/import-spec/conformance,
 * manifest.json): every specification file its Java tests read, with the outcome each test expects.
 * A file agrees when graphload accepts what the library accepts, and refuses what it refuses with
 * an error naming the same problem (the rule that corresponds to the library's validator) at the
 * same JSON path. Judged without a server: the few expectations that depend on a Neo4j edition or
 * version are left out, each with its reason.
 */

interface ExpectedError {
  readonly code: string;
  readonly path?: string;
  readonly message: string;
}

interface Case {
  readonly test: string;
  readonly files: readonly string[];
  readonly outcome: "accepted" | "refused";
  readonly exception?: string;
  readonly errorCount?: number;
  readonly errors?: readonly ExpectedError[];
  readonly absent?: readonly string[];
  readonly scope?: string;
  readonly excluded?: string;
  readonly neo4j?: { readonly edition: string; readonly version: string };
}

const here = fileURLToPath(new URL("../../../fixtures/import-spec/conformance/", import.meta.url));
const manifest = JSON.parse(readFileSync(`${here}manifest.json`, "utf8")) as { cases: Case[] };

/** The codes of graphload's JSON Schema issues (check-schema.ts), and its reading of `version: 1`. */
const SCHEMA_CODES = new Set(["GL_UNKNOWN_KEY", "GL_MISSING_SETTING", "GL_WRONG_TYPE", "GL_INVALID_VALUE", "GL_OUT_OF_RANGE", "GL_EMPTY", "GL_TOO_LONG", "GL_SPEC_VERSION"]);

/** What graphload reports for the library's failures outside its validators. */
const OTHER_CODES: Readonly<Record<string, readonly string[]>> = {
  SCHEMA: [...SCHEMA_CODES],
  "SOURCE-PROVIDER": ["GL_SPEC_UNKNOWN_SOURCE_TYPE", "GL_SPEC_SOURCE_FIELD"],
  "ACTION-PROVIDER": ["GL_SPEC_UNKNOWN_ACTION_TYPE"],
};

/** Why the misses miss: in each, both refuse the file, for different reasons. */
const EXPLAINED: Readonly<Record<string, string>> = {
  "deserializer/fails_if_spec_is_unparseable.yaml":
    "the text is valid YAML 1.2 (an anchor on an empty node), read as an empty document and refused as not a map; import-spec's YAML 1.1 parser refuses the anchor's characters",
  "deserializer/fails_if_node_schema_unique_constraint_options_is_wrongly_typed.json": "not JSON (an unquoted key): graphload reads a .json file as JSON and refuses its syntax; import-spec reads it as YAML",
  "deserializer/fails_if_node_schema_key_constraint_options_is_wrongly_typed.json": "not JSON (an unquoted key): graphload reads a .json file as JSON and refuses its syntax; import-spec reads it as YAML",
  "deserializer/fails_if_relationship_schema_vector_index_name_is_wrongly_typed.json": "not JSON (an unquoted key): graphload reads a .json file as JSON and refuses its syntax; import-spec reads it as YAML",
};

const upstreamOf = new Map(SPEC_RULES.map((rule) => [rule.id, rule.upstream]));

/**
 * Where the library's path names no key of the file, graphload names the key:
 * `$.relationships[…]` for `$.targets.relationships[…]` (DANG-023), a full-text index's
 * `label` for its `labels` (DUPL-010); and where a target lists its dependencies under
 * `dependencies`, not `depends_on` (both are read), the key the file uses.
 */
function normalisePath(path: string): string {
  return path
    .replace(/^\$\.relationships\[/, "$.targets.relationships[")
    .replace(/\.dependencies$/, ".depends_on")
    .replace(/(fulltext_indexes\[\d+\])\.label$/, "$1.labels");
}

/** The same place, or a key within it. */
const within = (path: string, expected: string): boolean => path === expected || path.startsWith(`${expected}.`) || path.startsWith(`${expected}[`);

function answers(issue: SpecIssue, expected: ExpectedError): boolean {
  const codeMatches = issue.rule ? upstreamOf.get(issue.rule) === expected.code : (OTHER_CODES[expected.code] ?? []).includes(issue.code);
  return codeMatches && (expected.path === undefined || within(normalisePath(issue.path), normalisePath(expected.path)));
}

/** What graphload's loader does with the file, up to compiling it: parse, tell its kind, check it. */
function judge(file: string, scope: string | undefined): SpecIssue[] {
  const text = readFileSync(`${here}${file}`, "utf8");
  let document: unknown;
  try {
    if (file.endsWith(".json")) document = JSON.parse(text);
    else {
      const parsed = parseDocument(text, { prettyErrors: false });
      if (parsed.errors.length > 0) return [{ path: "$", code: "GL_SYNTAX", message: parsed.errors[0].message }];
      document = parsed.toJS();
    }
  } catch (error) {
    return [{ path: "$", code: "GL_SYNTAX", message: (error as Error).message }];
  }
  // A test of one validator alone: run the rule that corresponds to it, alone.
  if (scope) return runSpecRules(readSpec(document as Record<string, unknown>), SPEC_RULES.filter((rule) => rule.upstream === scope)).errors;
  return isImportSpec(document) ? validateImportSpec(document).errors : checkSchema(document);
}

interface Verdict {
  readonly file: string;
  readonly test: string;
  readonly agrees: boolean;
  readonly why?: string;
  readonly countAgrees?: boolean;
}

function verdict(entry: Case, file: string): Verdict {
  const issues = judge(file, entry.scope);
  const shown = issues.map((issue) => `${issue.path} ${issue.code}`).join("; ");
  const base = { file, test: entry.test };
  if (entry.outcome === "accepted") {
    return issues.length === 0 ? { ...base, agrees: true } : { ...base, agrees: false, why: `expected accepted, refused: ${shown}` };
  }
  if (issues.length === 0) return { ...base, agrees: false, why: `expected refused (${(entry.errors ?? []).map((e) => e.code).join(", ")}), accepted` };
  if (entry.exception === "UnparseableSpecificationException" && !issues.some((issue) => issue.code === "GL_SYNTAX")) {
    return { ...base, agrees: false, why: `expected a syntax error, got ${shown}` };
  }
  const unanswered = (entry.errors ?? []).filter((expected) => !issues.some((issue) => answers(issue, expected)));
  if (unanswered.length > 0) {
    return { ...base, agrees: false, why: `expected ${unanswered.map((e) => `${e.code}${e.path ? ` at ${e.path}` : ""}`).join(", ")}; got ${shown}` };
  }
  const unwanted = (entry.absent ?? []).map((fragment) => /[A-Z]+-\d+/.exec(fragment)![0]).filter((code) => issues.some((issue) => issue.rule && upstreamOf.get(issue.rule) === code));
  if (unwanted.length > 0) return { ...base, agrees: false, why: `reported ${unwanted.join(", ")}, which the test rules out; got ${shown}` };
  if (entry.errorCount === undefined) return { ...base, agrees: true };
  const countAgrees = entry.errorCount === issues.length;
  return { ...base, agrees: true, countAgrees, ...(countAgrees ? {} : { why: `${issues.length} errors where the library reports ${entry.errorCount}: ${shown}` }) };
}

describe("conformance with import-spec's own test corpus", () => {
  const judged = manifest.cases.filter((entry) => !entry.excluded);
  const excluded = manifest.cases.filter((entry) => entry.excluded);
  const verdicts = judged.flatMap((entry) => entry.files.map((file) => verdict(entry, file)));

  it("knows every upstream validator by a rule", () => {
    const codes = new Set(manifest.cases.flatMap((entry) => (entry.errors ?? []).map((error) => error.code)));
    const known = new Set([...upstreamOf.values(), ...Object.keys(OTHER_CODES), "VERS-001"]);
    expect([...codes].filter((code) => !known.has(code))).toEqual([]);
  });

  it("agrees on at least 99% of the specification files", () => {
    const agreeing = verdicts.filter((v) => v.agrees);
    const counted = verdicts.filter((v) => v.countAgrees !== undefined);
    const lines = [
      `import-spec conformance: ${agreeing.length}/${verdicts.length} files agree (${((100 * agreeing.length) / verdicts.length).toFixed(1)}%)`,
      `  error counts as the library's (where its test states one): ${counted.filter((v) => v.countAgrees).length}/${counted.length}`,
      ...counted.filter((v) => !v.countAgrees).map((v) => `    ${v.file}: ${v.why}`),
      `  left out: ${excluded.reduce((n, e) => n + e.files.length, 0)} files, each ${excluded[0]?.excluded ?? ""}`,
      ...excluded.flatMap((entry) =>
        entry.files.map((file) => {
          const issues = judge(file, undefined);
          return `    ${file}: the library ${entry.outcome} it for Neo4j ${entry.neo4j?.version} ${entry.neo4j?.edition}; graphload, without a server, ${issues.length ? `refuses it: ${issues.map((i) => i.code).join(", ")}` : "accepts it"}`;
        }),
      ),
      `  misses: ${verdicts.length - agreeing.length}`,
      ...verdicts.filter((v) => !v.agrees).map((v) => `    ${v.file} (${v.test}): ${v.why}${EXPLAINED[v.file] ? `\n      why: ${EXPLAINED[v.file]}` : ""}`),
    ];
    console.log(lines.join("\n"));
    expect(agreeing.length / verdicts.length).toBeGreaterThanOrEqual(0.99);
  });

  it("recognises every specification file of the corpus as one (even when its version is wrong or missing)", () => {
    const unrecognised = judged
      .flatMap((entry) => entry.files)
      .filter((file) => {
        const text = readFileSync(`${here}${file}`, "utf8");
        try {
          const document = file.endsWith(".json") ? JSON.parse(text) : parseDocument(text).toJS();
          // A document that is not a map at all cannot be told apart: it is refused either way.
          return document && typeof document === "object" && !Array.isArray(document) && !isImportSpec(document);
        } catch {
          return false;
        }
      });
    expect(unrecognised).toEqual([]);
  });
});
