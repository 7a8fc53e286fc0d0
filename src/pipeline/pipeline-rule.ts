import type { ValidationIssue } from "../model/validation-issue.js";
import type { RawPipeline } from "./raw-pipeline.js";

export interface RuleContext {
  /** Folder that relative source paths are resolved against. */
  readonly baseDir: string;
}

/** A rule relates parts of the document that the schema checks one at a time. */
export type PipelineRule = (document: RawPipeline, context: RuleContext) => ValidationIssue[];
