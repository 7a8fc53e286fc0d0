import { Command, CommanderError } from "commander";
import { readFileSync } from "node:fs";
import { EXIT } from "../error-codes.js";

type Register = (program: Command, setExitCode: (code: number) => void) => void;

/**
 * Each command's module, loaded only when that command runs: a `run` never loads what
 * `init` or `neo4j` need (start-up is CPU time every run pays). A new command goes here.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  run: async () => (await import("./run-command.js")).registerRunCommand,
  plan: async () => (await import("./plan-command.js")).registerPlanCommand,
  import: async () => (await import("./import-command.js")).registerImportCommand,
  neo4j: async () => (await import("./neo4j-command.js")).registerNeo4jCommand,
  init: async () => (await import("./init-command.js")).registerInitCommand,
  schema: async () => (await import("./schema-command.js")).registerSchemaCommand,
  state: async () => (await import("./state-command.js")).registerStateCommand,
};

/** The commands to register: the one named first on the command line, or all of them (help, a mistyped name). */
function commandsFor(argv: readonly string[]): string[] {
  const named = argv[2];
  return named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : Object.keys(COMMANDS);
}

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
  for (const register of await Promise.all(commandsFor(argv).map((name) => COMMANDS[name]()))) register(program, setExitCode);
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
