import type { Command } from "commander";
import { writeFile } from "node:fs/promises";
import { pipelineJsonSchemaText, SCHEMA_FILE } from "../schema/pipeline-json-schema.js";
import { EXIT } from "../error-codes.js";
import { reportFailure } from "./report-failure.js";

export function registerSchemaCommand(program: Command, setExitCode: (code: number) => void): void {
  program
    .command("schema")
    .description("print the JSON Schema (draft 2020-12) of the pipeline file, for editors and other validators; the same definitions graphload validates with")
    .option("-o, --output <file>", "write it to a file instead")
    .addHelpText(
      "after",
      `\nThe package ships it as ${SCHEMA_FILE}.\nEditors with the YAML language server (VS Code's YAML extension) take it from a pipeline's first line:\n  # yaml-language-server: $schema=<path or URL of the schema>`,
    )
    .action(async (flags: { output?: string }) => {
      try {
        const text = pipelineJsonSchemaText();
        if (flags.output) await writeFile(flags.output, text);
        else process.stdout.write(text);
        setExitCode(EXIT.OK);
      } catch (error) {
        setExitCode(reportFailure(error));
      }
    });
}
