import type { Command } from "commander";
import { existsSync, writeFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { GraphloadError } from "../errors.js";
import { initPipeline } from "../init/init-pipeline.js";
import { pipelineJsonSchemaText, SCHEMA_FILE } from "../schema/pipeline-json-schema.js";
import { EXIT } from "../error-codes.js";
import { reportFailure } from "./report-failure.js";

interface InitFlags {
  output: string;
  name?: string;
  force?: boolean;
}

export function registerInitCommand(program: Command, setExitCode: (code: number) => void): void {
  program
    .command("init")
    .description("draft a pipeline from data files: a node task per file with typed properties and a key, relationship tasks where a column holds another file's keys; every guess commented")
    .argument("<files...>", "CSV, TSV or JSON Lines files (optionally .gz), or folders of them")
    .option("-o, --output <file>", 'where to write the pipeline ("-": standard output)', "pipeline.yaml")
    .option("--name <name>", "the pipeline's name (default: the output file's, or the data folder's)")
    .option("--force", "overwrite the output file if it exists")
    .addHelpText("after", "\nExample:\n  graphload init fixtures/northwind -o northwind.yaml && graphload plan northwind.yaml")
    .action(async (inputs: string[], flags: InitFlags) => {
      try {
        const toStdout = flags.output === "-";
        if (!toStdout && !flags.force && existsSync(flags.output)) {
          throw new GraphloadError("GL_INVALID_OPTIONS", `${flags.output} exists already; choose another file with -o, or add --force to overwrite it`);
        }
        const started = performance.now();
        const result = await initPipeline(inputs, { output: flags.output, name: flags.name });
        const elapsed = Math.round(performance.now() - started);
        for (const file of result.skipped) process.stderr.write(`skipped ${file}: no CSV, TSV or JSON Lines data\n`);
        if (toStdout) process.stdout.write(result.text);
        else await writeFile(flags.output, result.text, { flag: flags.force ? "w" : "wx" });
        ensureSchemaFile();
        const { nodes, links } = result.draft;
        const summary = `drafted ${nodes.length} node task${nodes.length === 1 ? "" : "s"} and ${links.length} relationship task${links.length === 1 ? "" : "s"} from ${nodes.length} file${nodes.length === 1 ? "" : "s"} in ${elapsed} ms`;
        (toStdout ? process.stderr : process.stdout).write(toStdout ? `${summary}\n` : `${summary}: ${flags.output}\ncheck the comments, then: graphload plan ${flags.output}\n`);
        if (result.issues.length > 0) {
          // A draft that plan refuses is init's mistake, not the user's: written all the same, to be fixed by hand.
          process.stderr.write(`the draft does not pass plan:\n${result.issues.map((issue) => `  ${issue.path}: ${issue.message} [${issue.code}]`).join("\n")}\n`);
          setExitCode(EXIT.FAILED);
          return;
        }
        setExitCode(EXIT.OK);
      } catch (error) {
        setExitCode(reportFailure(error));
      }
    });
}

/**
 * The draft's first line points at the schema file the build writes; compiled without the
 * build script (a bare tsc), graphload writes it on first use instead, where it can.
 */
function ensureSchemaFile(): void {
  if (existsSync(SCHEMA_FILE)) return;
  try {
    writeFileSync(SCHEMA_FILE, pipelineJsonSchemaText());
  } catch {
    // An installed package is built, so has the file; a read-only copy without it only loses editor help.
  }
}
