import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parsePipeline } from "../../src/load/load-pipeline.js";
import type { Pipeline } from "../../src/model/pipeline.js";
import { buildPlan, type TaskPlan } from "../../src/plan/build-plan.js";
import { PipelineValidationError, type ValidationIssue } from "../../src/model/validation-issue.js";

const dir = mkdtempSync(join(tmpdir(), "graphload-plan-"));

/** A pipeline of one stage per task text (YAML, indented as a list item's body), its files written first. */
export function pipelineOf(tasks: readonly string[], files: Record<string, string> = {}, head = ""): Pipeline {
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  const stages = tasks.map((task, index) => `  - name: stage${index}\n    tasks:\n      - ${indent(task.trim(), 8).trimStart()}`).join("\n");
  return parsePipeline(`version: 1\nname: test\n${head}stages:\n${stages}\n`, { baseDir: dir, env: {} });
}

/** The plan of a single task. */
export function taskPlanOf(task: string, files: Record<string, string> = {}): TaskPlan {
  const stage = buildPlan(pipelineOf([task], files)).stages[0];
  if (stage.kind !== "tasks") throw new Error("expected a task stage");
  return stage.tasks[0];
}

/** The issues a pipeline of these tasks is refused with. */
export function issuesOf(tasks: readonly string[], files: Record<string, string> = {}, head = ""): ValidationIssue[] {
  try {
    pipelineOf(tasks, files, head);
  } catch (error) {
    if (error instanceof PipelineValidationError) return [...error.issues];
    throw error;
  }
  throw new Error("expected the pipeline to be invalid");
}

function indent(text: string, spaces: number): string {
  return text
    .split("\n")
    .map((line) => " ".repeat(spaces) + line)
    .join("\n");
}
