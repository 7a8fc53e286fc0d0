import { openSource } from "../source/open-source.js";
import type { FieldMapping, Pipeline, Task } from "../pipeline/pipeline.js";
import { childPath, type ValidationIssue } from "../pipeline/validation-issue.js";

/**
 * Checks that every column a CSV or TSV task maps is in its file's header, so a misspelt
 * column is an error before anything is written rather than a property silently left
 * unset. JSON Lines records may differ from line to line, so they are not checked.
 */
export async function checkColumns(pipeline: Pipeline): Promise<ValidationIssue[]> {
  const issues: ValidationIssue[] = [];
  for (const [stageIndex, stage] of pipeline.stages.entries()) {
    if (stage.kind !== "tasks") continue;
    for (const [taskIndex, task] of stage.tasks.entries()) {
      const columns = await headerOf(task);
      if (!columns) continue;
      for (const { field, path } of mappedFields(task, `$.stages[${stageIndex}].tasks[${taskIndex}]`)) {
        if (!columns.includes(field.column)) {
          issues.push({
            path,
            code: "GL_UNKNOWN_COLUMN",
            message: `column "${field.column}" is not in ${task.source.kind === "file" ? task.source.path : "the input"}; its columns are: ${columns.join(", ")}`,
          });
        }
      }
    }
  }
  return issues;
}

async function headerOf(task: Task): Promise<readonly string[] | undefined> {
  const source = task.source;
  if (source.kind !== "file" || source.format === "jsonl") return undefined;
  if (source.csv.columns) return source.csv.columns;
  for await (const item of openSource(source).records()) {
    if (item.kind === "record") return Object.keys(item.values);
  }
  return undefined;
}

function* mappedFields(task: Task, path: string): Generator<{ field: FieldMapping; path: string }> {
  const target = task.target;
  if (target.kind === "node") {
    for (const [index, field] of target.key.entries()) yield { field, path: `${path}.node.key[${index}]` };
    for (const field of target.properties) yield { field, path: childPath(`${path}.node.properties`, field.property) };
  } else if (target.kind === "relationship") {
    for (const end of ["from", "to"] as const) {
      for (const field of target[end].key) yield { field, path: childPath(`${path}.relationship.${end}.key`, field.property) };
    }
    for (const field of target.properties) yield { field, path: childPath(`${path}.relationship.properties`, field.property) };
  }
}
