import type { Pipeline, RowFilter, RowIterable, RowTransform, Stage } from "../model/pipeline.js";
import type { AnyRow, PipelineDefinition } from "../model/pipeline-definition.js";
import { PipelineValidationError, type ValidationIssue } from "../model/validation-issue.js";
import { checkPipeline } from "../pipeline/check-pipeline.js";
import { normalizePipeline } from "../pipeline/normalize-pipeline.js";
import { isObject, type RawPipeline } from "../pipeline/raw-pipeline.js";

export interface DefinePipelineOptions {
  /** What relative file paths resolve against; default the working directory. */
  readonly baseDir?: string;
}

/** What only code gives a task, set aside while the rest is checked as a pipeline file is. */
interface CodeParts {
  rows?: RowIterable;
  filter?: RowFilter;
  transform?: RowTransform;
}

/**
 * Checks a pipeline given as an object (the pipeline file's format, `version` optional)
 * and returns it resolved for `runPipeline`. A task's source may be `{ rows: iterable }`,
 * and a task may carry `filter(row)` and `transform(row)`, applied in that order before the
 * mapping. Throws one PipelineValidationError listing every problem, each with its path.
 */
export function definePipeline<Row extends object = AnyRow, Out extends object = Row>(
  definition: PipelineDefinition<Row, Out>,
  options: DefinePipelineOptions = {},
): Pipeline {
  const issues: ValidationIssue[] = [];
  const code = new Map<string, CodeParts>();
  const document = setCodeAside(definition as unknown, code, issues);
  const baseDir = options.baseDir ?? process.cwd();
  issues.push(...checkPipeline(document, { baseDir }));
  if (issues.length > 0) throw new PipelineValidationError(undefined, issues);
  const pipeline = normalizePipeline(document as RawPipeline, { baseDir });
  const stages = pipeline.stages.map((stage, stageIndex): Stage => {
    if (stage.kind !== "tasks") return stage;
    const tasks = stage.tasks.map((task, taskIndex) => {
      const parts = code.get(taskPath(stageIndex, taskIndex));
      if (!parts) return task;
      return {
        ...task,
        ...(parts.rows ? { source: { kind: "rows" as const, rows: parts.rows } } : {}),
        ...(parts.filter ? { filter: parts.filter } : {}),
        ...(parts.transform ? { transform: parts.transform } : {}),
      };
    });
    return { ...stage, tasks };
  });
  return { ...pipeline, stages };
}

const taskPath = (stage: number, task: number): string => `$.stages[${stage}].tasks[${task}]`;

/**
 * A copy of the definition that the pipeline file's checks can read: `version` 1 when left
 * out, each task's functions taken out and a `rows` source replaced by an empty inline one.
 */
function setCodeAside(definition: unknown, code: Map<string, CodeParts>, issues: ValidationIssue[]): unknown {
  if (!isObject(definition)) return definition;
  const stages = Array.isArray(definition.stages)
    ? definition.stages.map((stage: unknown, stageIndex: number) => {
        if (!isObject(stage) || !Array.isArray(stage.tasks)) return stage;
        return { ...stage, tasks: stage.tasks.map((task: unknown, taskIndex: number) => taskAside(task, taskPath(stageIndex, taskIndex), code, issues)) };
      })
    : definition.stages;
  return { version: 1, ...definition, stages };
}

function taskAside(task: unknown, path: string, code: Map<string, CodeParts>, issues: ValidationIssue[]): unknown {
  if (!isObject(task)) return task;
  const { filter, transform, ...rest } = task;
  const parts: CodeParts = {};
  for (const [name, value] of [["filter", filter], ["transform", transform]] as const) {
    if (value === undefined) continue;
    if (typeof value === "function") parts[name] = value as RowFilter & RowTransform;
    else issues.push({ path: `${path}.${name}`, code: "GL_WRONG_TYPE", message: `"${name}" is a function of the row` });
  }
  const source = rest.source;
  if (isObject(source) && "rows" in source) {
    const others = Object.keys(source).filter((key) => key !== "rows");
    if (others.length > 0) issues.push({ path: `${path}.source`, code: "GL_SOURCE_KIND", message: `a "rows" source has nothing beside "rows"; found ${others.map((key) => `"${key}"`).join(", ")}` });
    if (isRowIterable(source.rows)) parts.rows = source.rows;
    else issues.push({ path: `${path}.source.rows`, code: "GL_WRONG_TYPE", message: '"rows" is an iterable or async iterable of plain objects (an array, a generator, …)' });
    rest.source = { inline: { header: ["row"], data: [] } };
  }
  if (Object.keys(parts).length > 0) code.set(path, parts);
  return rest;
}

function isRowIterable(value: unknown): value is RowIterable {
  return value !== null && typeof value === "object" && (Symbol.iterator in value || Symbol.asyncIterator in value);
}
