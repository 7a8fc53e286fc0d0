/** The Neo4j status codes graphload acts on, matched here and nowhere else. */

export const DEADLOCK = "Neo.TransientError.Transaction.DeadlockDetected";
export const CONSTRAINT_VIOLATION = "Neo.ClientError.Schema.ConstraintValidationFailed";

const SCHEMA_EXISTS = /^Neo\.ClientError\.Schema\.(EquivalentSchemaRuleAlreadyExists|\w+AlreadyExists)$/;

/** Client errors that say nothing about particular rows: the statement or session is wrong. */
export const STATEMENT_LEVEL = [
  "Neo.ClientError.Security.",
  "Neo.ClientError.Database.",
  "Neo.ClientError.Request.",
  "Neo.ClientError.Transaction.",
  "Neo.ClientError.Cluster.",
  "Neo.ClientError.Statement.SyntaxError",
  "Neo.ClientError.Statement.ParameterMissing",
  "Neo.ClientError.Procedure.ProcedureNotFound",
] as const;

export const MEMORY = /MemoryPoolOutOfMemoryError|MemoryLimit|OutOfMemory/;

export function neo4jCode(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === "string" ? code : "";
}

/** A schema rule that is there already, perhaps created at the same moment by someone else. */
export function isSchemaAlreadyThere(error: unknown): boolean {
  return SCHEMA_EXISTS.test(neo4jCode(error));
}
