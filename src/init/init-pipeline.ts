import { readdir, stat } from "node:fs/promises";
import { basename, dirname, extname, isAbsolute, relative, resolve, sep } from "node:path";
import { GraphloadError } from "../errors.js";
import { parsePipeline } from "../load/load-pipeline.js";
import { PipelineValidationError, type ValidationIssue } from "../model/validation-issue.js";
import { SCHEMA_FILE } from "../schema/pipeline-json-schema.js";
import { detectFormat } from "../model/source-format.js";
import { buildDraft, type Draft } from "./draft-model.js";
import { pipelineName } from "./names.js";
import { readSample } from "./read-sample.js";
import { renderDraft } from "./render-draft.js";

export interface InitOptions {
  /** Where the pipeline will be written; source paths are relative to its folder. */
  readonly output: string;
  /** The pipeline's name; by default the output file's, or the data folder's. */
  readonly name?: string;
  /** The `$schema` reference to write; by default the schema file shipped with graphload. */
  readonly schema?: string;
}

export interface InitResult {
  readonly text: string;
  readonly draft: Draft;
  /** Files of the folders given that are no data graphload reads. */
  readonly skipped: readonly string[];
  /** Problems `plan` would report on the draft: none, unless a guess went wrong in a way the draft cannot show. */
  readonly issues: readonly ValidationIssue[];
}

/**
 * Drafts a pipeline from data files and folders of them: samples each file, infers what it
 * can, writes the draft as YAML with a comment on every guess, and checks the draft as
 * `plan` would. Writes nothing itself.
 */
export async function initPipeline(inputs: readonly string[], options: InitOptions): Promise<InitResult> {
  const output = resolve(options.output);
  const { files, skipped } = await dataFiles(inputs);
  if (files.length === 0) {
    throw new GraphloadError("GL_FILE_NOT_FOUND", `no .csv, .tsv, .jsonl or .ndjson file (optionally .gz) among ${inputs.join(", ")}`);
  }
  const read = await Promise.all(files.map((file) => readSample(file, posixPath(relative(dirname(output), file)))));
  // An empty file has no columns to map, and a node needs a key.
  const samples = read.filter((sample) => sample.columns.some((column) => column !== ""));
  skipped.push(...files.filter((_, index) => !samples.includes(read[index])));
  if (samples.length === 0) throw new GraphloadError("GL_FILE_NOT_FOUND", `no columns in ${files.join(", ")}: the files are empty`);
  const draft = buildDraft(samples, options.name === undefined ? defaultName(output, inputs) : pipelineName(options.name));
  const text = renderDraft(draft, { schema: options.schema ?? schemaReference(output), output: shown(options.output) });
  return { text, draft, skipped, issues: await check(text, output) };
}

async function dataFiles(inputs: readonly string[]): Promise<{ files: string[]; skipped: string[] }> {
  const files: string[] = [];
  const skipped: string[] = [];
  for (const input of inputs) {
    const path = resolve(input);
    let info;
    try {
      info = await stat(path);
    } catch {
      throw new GraphloadError("GL_FILE_NOT_FOUND", `${input}: no such file or folder`);
    }
    if (!info.isDirectory()) {
      files.push(path);
      continue;
    }
    const entries = (await readdir(path, { withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => entry.name).sort();
    // A folder's Parquet files are set aside with its other files: a draft is made from text, and Parquet needs no types drafted.
    for (const entry of entries) {
      const format = detectFormat(entry)?.format;
      (format !== undefined && format !== "parquet" ? files : skipped).push(resolve(path, entry));
    }
  }
  return { files: [...new Set(files)], skipped };
}

/** The output file's name, unless it is the default `pipeline`; then the name of the data's folder. */
function defaultName(output: string, inputs: readonly string[]): string {
  const stem = basename(output, extname(output));
  if (stem !== "pipeline" && stem !== "-") return pipelineName(stem);
  const first = resolve(inputs[0]);
  const folder = detectFormat(first) ? dirname(first) : first;
  return pipelineName(basename(folder));
}

/**
 * Relative to the pipeline where graphload is near it (installed in the project, or the
 * pipeline in graphload's own folder), so the project can move; else absolute, as a path
 * up to the root and down again breaks as soon as either moves.
 */
function schemaReference(output: string): string {
  const from = dirname(output);
  const path = relative(from, SCHEMA_FILE);
  const climbs = path.split(sep).filter((segment) => segment === "..").length;
  return commonSegments(from, SCHEMA_FILE) >= 2 && climbs <= 3 && !isAbsolute(path) ? posixPath(path) : posixPath(SCHEMA_FILE);
}

function commonSegments(a: string, b: string): number {
  const left = a.split(sep);
  const right = b.split(sep);
  let count = 0;
  while (count < left.length && count < right.length && left[count] === right[count]) count++;
  return count;
}

function posixPath(path: string): string {
  return path.split(sep).join("/");
}

function shown(output: string): string {
  return output === "-" ? "pipeline.yaml" : output;
}

/**
 * What `plan` would say of the draft's shape and rules, were it written at `output`. Its
 * columns come from the headers just read, so they are not read again: that would cost more
 * than the whole sample.
 */
async function check(text: string, output: string): Promise<ValidationIssue[]> {
  try {
    parsePipeline(text, { file: output, env: {} });
    return [];
  } catch (error) {
    if (error instanceof PipelineValidationError) return [...error.issues];
    throw error;
  }
}
