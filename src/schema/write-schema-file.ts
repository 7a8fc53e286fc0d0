import { writeFileSync } from "node:fs";
import { pipelineJsonSchemaText, SCHEMA_FILE } from "./pipeline-json-schema.js";

// Run by the build, so that the package ships the schema a pipeline's `$schema` line points at.
writeFileSync(SCHEMA_FILE, pipelineJsonSchemaText());
