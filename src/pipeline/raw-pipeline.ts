/**
 * The pipeline document as written by the user, after `${VAR}` interpolation. Fields are
 * typed loosely: rules run on documents that may also have failed the schema check.
 */
export type RawFieldMapping = string | { column?: string; type?: string; format?: string; arrayDelimiter?: string };

export interface RawSettings {
  batchSize?: number | "auto";
  concurrency?: number;
  mode?: "merge" | "create";
  nullValues?: string[];
}

export interface RawSource {
  file?: string;
  stdin?: true;
  format?: string;
  gzip?: boolean;
  delimiter?: string;
  quote?: string;
  header?: boolean;
  columns?: string[];
  neo4j?: { uri?: string; user?: string; password?: string; database?: string; query?: string; fetchSize?: number; keyset?: RawKeyset };
  postgres?: { url?: string; query?: string; fetchSize?: number; keyset?: RawKeyset };
  inline?: { header?: string[]; data?: unknown[][] };
}

export interface RawKeyset {
  column?: string;
  after?: number | string;
  page?: number;
}

export interface RawEndpoint {
  label?: string;
  key?: Record<string, RawFieldMapping>;
}

export interface RawTask extends RawSettings {
  name?: string;
  source?: RawSource;
  node?: { labels?: string[]; key?: string[]; properties?: Record<string, RawFieldMapping> };
  relationship?: { type?: string; from?: RawEndpoint; to?: RawEndpoint; properties?: Record<string, RawFieldMapping> };
  cypher?: string;
  strategy?: "parallel" | "serial" | "mix-and-batch";
}

export interface RawStage {
  name?: string;
  statements?: string[];
  tasks?: RawTask[];
}

export interface RawPipeline {
  version?: number;
  name?: string;
  neo4j?: { uri?: string; database?: string; user?: string; password?: string };
  defaults?: RawSettings;
  stages?: RawStage[];
}

/** Every task of the document with its JSONPath, skipping stages whose shape is broken. */
export function* tasksOf(document: RawPipeline): Generator<{ task: RawTask; path: string; stageIndex: number }> {
  const stages = Array.isArray(document.stages) ? document.stages : [];
  for (const [stageIndex, stage] of stages.entries()) {
    if (!isObject(stage) || !Array.isArray(stage.tasks)) continue;
    for (const [taskIndex, task] of stage.tasks.entries()) {
      if (isObject(task)) yield { task, path: `$.stages[${stageIndex}].tasks[${taskIndex}]`, stageIndex };
    }
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

