import type { Command } from "commander";
import { stringify } from "yaml";
import { BadEntries, importExitCode, rowsTolerated } from "../admin-import/bad-entries.js";
import { loadAdminImport } from "../load/admin-import-pipeline.js";
import { buildPlan } from "../plan/build-plan.js";
import { reportFailure } from "./report-failure.js";
import { addRunOptions, checkRunFlags, executePipeline, type RunFlags } from "./run-command.js";

interface ImportFlags extends RunFlags {
  printPipeline?: boolean;
}

export function registerImportCommand(program: Command, setExitCode: (code: number) => void): void {
  addRunOptions(
    program
      .command("import")
      .description("neo4j-admin database import full's arguments, loaded online into a running (even non-empty) database")
      .argument("[arguments...]", "[full] [DATABASE] --nodes=[Label[:Label]=]header.csv,part1.csv,… --relationships=[TYPE=]files … and neo4j-admin's other options")
      .allowUnknownOption()
      .option("--print-pipeline", "print the pipeline (YAML) the import runs, and run nothing"),
  )
    .addHelpText(
      "after",
      `
neo4j-admin's options: --nodes, --relationships, --delimiter, --array-delimiter, --quote,
--id-type string|integer|actual, --input-type csv|parquet, --ignore-empty-strings, --trim-strings,
--skip-bad-relationships, --skip-duplicate-nodes, --bad-tolerance N (default 1000),
--threads N (transactions at once), --report-file FILE (the dead-letter file). The offline-only
--overwrite-destination, --format, --high-parallel-io, --max-off-heap-memory, --schema,
--additional-config and incremental mode are refused (exit 2).

Examples:
  graphload import --nodes=Person=persons-header.csv,persons.csv --relationships=KNOWS=knows.csv
  graphload import full movies --nodes=movies.csv --nodes=Actor=actors.csv --relationships=roles.csv \\
    --skip-bad-relationships --threads 4 --uri neo4j+s://xxxx.databases.neo4j.io --password-file pw
  graphload import --nodes=persons.csv --print-pipeline > pipeline.yaml

Exit codes: as neo4j-admin's, 0 done (rows skipped under --skip-… within --bad-tolerance are in
the dead-letter file); 1 failed, stopped, or a bad entry not skipped; 2 invalid arguments or
headers; 3 done, with rows rejected for other reasons (values that do not convert); 4 another
import into the same database is in progress (nothing written).`,
    )
    .action(async (argv: string[], flags: ImportFlags) => {
      setExitCode(await runImport(argv, flags));
    });
}

async function runImport(argv: readonly string[], flags: ImportFlags): Promise<number> {
  const invalid = checkRunFlags(flags);
  if (invalid) return reportFailure(invalid);
  let loaded;
  try {
    loaded = await loadAdminImport(argv, process.cwd(), flags.database);
    buildPlan(loaded.pipeline, { stages: flags.stage });
  } catch (error) {
    return reportFailure(error);
  }
  const { args, document, pipeline } = loaded;
  if (flags.printPipeline) {
    process.stdout.write(stringify(document, { lineWidth: 0, aliasDuplicateObjects: false }));
    return 0;
  }
  const entries = new BadEntries(args);
  let outcome: ReturnType<typeof importExitCode> | undefined;
  const exitCode = await executePipeline(
    pipeline,
    { ...flags, database: args.database, deadLetter: flags.deadLetter ?? args.reportFile },
    {
      pipelineFile: "graphload import",
      maxErrors: rowsTolerated(args),
      onEvent: (event) => {
        if (event.type === "rejected") entries.add(event);
      },
      exitCode: (summary) => {
        outcome = importExitCode(summary, entries, args);
        return outcome.exitCode;
      },
    },
  );
  if (outcome?.error) return reportFailure(outcome.error);
  if (entries.skipped > 0 && exitCode === 0) {
    process.stdout.write(`${entries.skipped} rows skipped as neo4j-admin's bad entries (--skip-bad-relationships / --skip-duplicate-nodes), within --bad-tolerance ${args.badTolerance}: exit 0\n`);
  }
  return exitCode;
}
