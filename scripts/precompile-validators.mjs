// Writes the pipeline file's validator as plain code next to the compiled check-schema.js,
// so a run loads it instead of compiling the JSON Schema at every start (about a fifth of
// a second of CPU). Run by `npm run build`, after tsc.
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv } from "ajv";
import { PIPELINE_VALIDATOR_OPTIONS } from "../dist/pipeline/check-schema.js";
import { pipelineSchema } from "../dist/pipeline/pipeline-schema.js";

const standaloneCode = createRequire(import.meta.url)("ajv/dist/standalone").default;
const ajv = new Ajv({ ...PIPELINE_VALIDATOR_OPTIONS, code: { source: true, esm: false } });
const code = standaloneCode(ajv, ajv.compile(pipelineSchema));
writeFileSync(new URL("../dist/pipeline/pipeline-validator.cjs", import.meta.url), code);
