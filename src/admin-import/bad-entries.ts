import { GraphloadError } from "../errors.js";
import type { AdminImportArguments } from "./admin-arguments.js";

/** The server's code for a row a uniqueness constraint refused: a node whose import ID its group has already. */
const DUPLICATE = "Neo.ClientError.Schema.ConstraintValidationFailed";

/** A rejected row as the engine reports it, reduced to what decides how neo4j-admin would treat it. */
export interface RejectedRow {
  readonly stage: string;
  readonly code: string;
  readonly unmatched: boolean;
}

/**
 * neo4j-admin's bad entries, counted as the rows are rejected: a relationship to a missing node
 * (skipped under --skip-bad-relationships) and a node whose ID its group has already (skipped
 * under --skip-duplicate-nodes). Any other rejected row is graphload's own (a value that does
 * not convert), which neo4j-admin has no tolerance for either.
 */
export class BadEntries {
  skipped = 0;
  other = 0;

  constructor(private readonly args: Pick<AdminImportArguments, "skipBadRelationships" | "skipDuplicateNodes">) {}

  add(row: RejectedRow): void {
    const skippable = (row.unmatched && this.args.skipBadRelationships) || (row.code === DUPLICATE && row.stage === "nodes" && this.args.skipDuplicateNodes);
    if (skippable) this.skipped++;
    else this.other++;
  }
}

/**
 * The rejected rows after which the run stops: past --bad-tolerance when a --skip option
 * allows some, at the first otherwise, as neo4j-admin fails at the first bad entry it may not skip.
 */
export function rowsTolerated(args: Pick<AdminImportArguments, "skipBadRelationships" | "skipDuplicateNodes" | "badTolerance">): number {
  return args.skipBadRelationships || args.skipDuplicateNodes ? args.badTolerance : 0;
}

/**
 * The exit code of an import, from the run's: a completed run whose rejected rows were all
 * skippable bad entries exits 0, as neo4j-admin does (they are in the dead-letter file); one
 * with rows rejected for graphload's own reasons keeps exit 3. A run stopped for too many
 * rejected rows explains itself in neo4j-admin's terms.
 */
export function importExitCode(run: { readonly exitCode: number; readonly error?: { readonly code: string } }, entries: BadEntries, args: Parameters<typeof rowsTolerated>[0]): { exitCode: number; error?: GraphloadError } {
  if (run.error?.code === "GL_TOO_MANY_ERRORS") {
    const tolerance = rowsTolerated(args);
    const message =
      tolerance === 0
        ? "a row was rejected and neo4j-admin's rules fail the import at the first bad entry; pass --skip-bad-relationships and/or --skip-duplicate-nodes to skip them (up to --bad-tolerance), and see the dead-letter file"
        : `more than --bad-tolerance ${tolerance} rows were rejected; see the dead-letter file`;
    return { exitCode: 1, error: new GraphloadError("GL_IMPORT_BAD_ENTRIES", message) };
  }
  if (run.exitCode === 3 && entries.other === 0) return { exitCode: 0 };
  return { exitCode: run.exitCode };
}
