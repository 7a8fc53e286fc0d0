import { openSource } from "../source/open-source.js";
import type { ReadFrom } from "../source/source-record.js";
import type { RunContext } from "./run-context.js";
import type { TaskRun } from "./run-task.js";
import { listedInputs, sourceKey } from "./source-inputs.js";
import { isIncremental } from "./task-increment.js";

/**
 * Feeds the tasks of a stage their records: tasks that read the same source are fed by one
 * read of it, chunk by chunk, so a file mapped to nodes and to relationships is read
 * once. A keyset or incremental source is read by its task alone, since each task resumes
 * after its own last committed key, and reads beyond its own watermark.
 */
export async function readSources(context: RunContext, tasks: readonly TaskRun[]): Promise<void> {
  await Promise.all(groupBySource(tasks).map((group) => feed(context, group)));
}

function groupBySource(tasks: readonly TaskRun[]): TaskRun[][] {
  const groups = new Map<unknown, TaskRun[]>();
  for (const task of tasks) {
    const source = task.plan.task.source;
    const own = ("keyset" in source && source.keyset !== undefined) || isIncremental(source);
    // Rows from code are the same source when they are the same iterable, which can be read only once.
    const key = own ? `task:${task.plan.task.name}` : source.kind === "rows" ? source.rows : sourceKey(source);
    const group = groups.get(key);
    if (group) group.push(task);
    else groups.set(key, [task]);
  }
  return [...groups.values()];
}

async function feed(context: RunContext, group: readonly TaskRun[]): Promise<void> {
  const spec = group[0].plan.task.source;
  // An incremental source is read by its task alone, and a `files` one reads the files of its increment.
  const inputs = context.increments.get(group[0].plan.task.name)?.inputs ?? listedInputs(context.inputs, spec);
  const source = openSource(spec, { stdin: context.options.stdin, inputs });
  const opened: TaskRun[] = [];
  try {
    let from: ReadFrom = {};
    for (const task of group) {
      from = await task.open(source);
      opened.push(task);
    }
    for await (const chunk of source.chunks(from)) {
      if (context.failure) break;
      for (const task of group) await task.accept(chunk);
    }
  } catch (error) {
    context.fail(error, { task: group.map((task) => task.plan.task.name).join(", ") });
  } finally {
    await Promise.all(opened.map((task) => task.finish()));
  }
}
