import { Command, CommanderError } from "commander";
import { readFileSync } from "node:fs";
import { EXIT } from "../error-codes.js";
import { registerImportCommand } from "./import-command.js";
import { registerInitCommand } from "./init-command.js";
import { registerNeo4jCommand } from "./neo4j-command.js";
import { registerPlanCommand } from "./plan-command.js";
import { registerRunCommand } from "./run-command.js";
import { registerSchemaCommand } from "./schema-command.js";

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

/** Runs the CLI and resolves to the process exit code; it never calls `process.exit` itself. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command("graphload")
    .description("Stream CSV, TSV, JSON Lines and database rows into Neo4j.")
    .version(packageVersion(), "-V, --version")
    .exitOverride()
    .showHelpAfterError();
  let exitCode = 0;
  const setExitCode = (code: number): void => {
    exitCode = code;
  };
  registerRunCommand(program, setExitCode);
  registerPlanCommand(program, setExitCode);
  registerImportCommand(program, setExitCode);
  registerNeo4jCommand(program, setExitCode);
  registerInitCommand(program, setExitCode);
  registerSchemaCommand(program, setExitCode);
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end with code 0 through the same path as a usage error.
      return error.exitCode === 0 ? EXIT.OK : EXIT.INVALID;
    }
    throw error;
  }
  return exitCode;
}
