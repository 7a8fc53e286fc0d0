import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { withErrorTable } from "../../scripts/error-table.mjs";
import { ERROR_CODES, failureExitCode, runExitCode } from "../../src/error-codes.js";
import { GraphloadError } from "../../src/errors.js";
import { PipelineValidationError } from "../../src/model/validation-issue.js";
import { sourceFiles } from "../support/source-tree.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

describe("the error-code registry", () => {
  it("is the README's error table (npm run docs:errors writes it)", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    expect(withErrorTable(readme, ERROR_CODES), "README.md's error table differs from src/error-codes.ts: run npm run docs:errors").toBe(readme);
  });

  it("lists only codes that graphload raises", () => {
    const source = sourceFiles()
      .filter((file) => !file.endsWith("error-codes.ts"))
      .map((file) => readFileSync(file, "utf8"))
      .join("\n");
    expect(Object.keys(ERROR_CODES).filter((code) => !source.includes(`"${code}"`))).toEqual([]);
  });

  it("decides the exit code of a failure before a run from its code", () => {
    expect(failureExitCode(new PipelineValidationError("p.yaml", [{ path: "$", code: "GL_SYNTAX", message: "" }]))).toBe(2);
    expect(failureExitCode(new GraphloadError("GL_INTERRUPTED_RUN", ""))).toBe(2);
    expect(failureExitCode(new GraphloadError("GL_LOCAL_NEO4J_START", ""))).toBe(1);
    expect(failureExitCode(Object.assign(new Error("refused"), { code: "ServiceUnavailable" }))).toBe(1);
    expect(failureExitCode(new Error("a bug"))).toBe(1);
    // A row's code that stops a command is a failure, not a rejected row.
    expect(failureExitCode(new GraphloadError("GL_BAD_VALUE", ""))).toBe(1);
  });

  it("decides the exit code of a run that began from its outcome alone", () => {
    expect(runExitCode({ status: "completed", rowsRejected: 0 })).toBe(0);
    expect(runExitCode({ status: "completed", rowsRejected: 2 })).toBe(3);
    expect(runExitCode({ status: "failed", rowsRejected: 0 })).toBe(1);
    expect(runExitCode({ status: "stopped", rowsRejected: 2 })).toBe(1);
  });

  it("refuses, at compile time, a GL_ code that is not registered, and lets Neo4j's pass", () => {
    const dir = mkdtempSync(join(tmpdir(), "graphload-codes-"));
    const errors = JSON.stringify(join(root, "src", "errors.js"));
    const probe = join(dir, "probe.ts");
    writeFileSync(
      probe,
      [
        `import { GraphloadError } from ${errors};`,
        'new GraphloadError("GL_STOPPED", "");',
        'new GraphloadError("Neo.ClientError.Statement.SyntaxError", "");',
        'new GraphloadError("GL_NOT_REGISTERED", "");',
      ].join("\n"),
    );
    const tsc = join(root, "node_modules", ".bin", "tsc");
    const result = spawnSync(tsc, ["--noEmit", "--strict", "--skipLibCheck", "--target", "es2022", "--module", "nodenext", "--moduleResolution", "nodenext", "--types", "", probe], {
      cwd: dir,
      encoding: "utf8",
    });
    const errorLines = result.stdout.split("\n").filter((line) => line.includes("error TS"));
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toContain('"GL_NOT_REGISTERED"');
  });
});
