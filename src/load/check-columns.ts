import { isRemote } from "../input/input-location.js";
import { openSource } from "../source/open-source.js";
import { listSourceInputs } from "../source/file-source.js";
import { parquetFileColumns } from "../source/parquet-records.js";
import type { Pipeline, Task } from "../model/pipeline.js";
import { columnsRead, type ColumnUse } from "../pipeline/task-columns.js";
import type { ValidationIssue } from "../model/validation-issue.js";

/**
 * Checks that every column a CSV, TSV or Parquet task maps is in its file's header (a
 * glob's first file; for Parquet, the schema in its footer; remote inputs are not fetched
 * for it), so a misspelt column is an error before anything is written rather than a
 * property silently left unset. JSON Lines records may differ from line to line, so they
 * are not checked.
 */
export async function checkColumns(pipeline: Pipeline): Promise<ValidationIssue[]> {
  const issues: ValidationIssue[] = [];
  for (const [stageIndex, stage] of pipeline.stages.entries()) {
    if (stage.kind !== "tasks") continue;
    for (const [taskIndex, task] of stage.tasks.entries()) {
      const columns = await headerOf(task);
      if (!columns) continue;
      for (const { column, path } of columnsChecked(task, `$.stages[${stageIndex}].tasks[${taskIndex}]`)) {
        if (!columns.includes(column)) {
          issues.push({
            path,
            code: "GL_UNKNOWN_COLUMN",
            message: `column "${column}" is not in ${inputName(task)}; its columns are: ${columns.join(", ")}`,
          });
        }
      }
    }
  }
  return issues;
}

async function headerOf(task: Task): Promise<readonly string[] | undefined> {
  const source = task.source;
  if ((source.kind !== "file" && source.kind !== "files") || source.format === "jsonl") return undefined;
  if (source.csv.columns) return source.csv.columns;
  // A remote input's header would cost a request each time a pipeline is loaded; a glob's first file stands for all.
  if (isRemote(source.kind === "file" ? source.path : source.glob)) return undefined;
  if (source.format === "parquet") {
    // The schema in the footer: no row group is read.
    const [first] = await listSourceInputs(source);
    return first && (await parquetFileColumns(first.location, first.name)).map((column) => column.name);
  }
  for await (const item of openSource(source).records()) {
    if (item.kind === "record") return Object.keys(item.values);
  }
  return undefined;
}

function inputName(task: Task): string {
  const source = task.source;
  return source.kind === "file" ? source.path : source.kind === "files" ? `the first file of ${source.glob}` : "the input";
}

/** The columns a task reads, and those its `allColumns` excludes: a misspelt exclusion would add a property. */
function* columnsChecked(task: Task, path: string): Generator<ColumnUse> {
  yield* columnsRead(task, path);
  const target = task.target;
  if (target.kind === "cypher" || !target.allColumns) return;
  for (const [index, column] of target.allColumns.exclude.entries()) yield { column, path: `${path}.${target.kind}.exclude[${index}]` };
}
