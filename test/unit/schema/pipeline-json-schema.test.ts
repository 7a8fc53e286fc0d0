import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { checkSchema } from "../../../src/pipeline/check-schema.js";
import { pipelineSchema } from "../../../src/pipeline/pipeline-schema.js";
import { pipelineJsonSchema, pipelineJsonSchemaText, withEnvReferences } from "../../../src/schema/pipeline-json-schema.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const published = JSON.parse(pipelineJsonSchemaText()) as Schema;
const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
const validate = ajv.compile(published);

type Schema = Record<string, unknown>;

function files(dir: string, pattern: RegExp): string[] {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && pattern.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Every pipeline file of the repository: YAML with stages (import specifications are another format). */
const pipelineFiles = [...files("pipelines", /\.ya?ml$/), ...files("fixtures", /\.ya?ml$/)]
  .filter((file) => !file.includes("/conformance/"))
  .map((file) => ({ file: relative(root, file), document: parse(readFileSync(file, "utf8")) as unknown }))
  .filter(({ document }) => isPipeline(document));

function isPipeline(document: unknown): document is Schema {
  return document !== null && typeof document === "object" && "stages" in document && !("sources" in document) && !("targets" in document);
}

/**
 * The pipelines tests write as YAML in template literals: each `${…}` becomes a plain word, an
 * escaped `\${…}` stays the environment reference it is in the file.
 */
function testPipelines(): Array<{ file: string; document: Schema }> {
  const found: Array<{ file: string; document: Schema }> = [];
  for (const file of files("test", /\.ts$/)) {
    const source = readFileSync(file, "utf8");
    for (const literal of templateLiterals(source)) {
      if (!/^\s*version: 1\b/m.test(literal) || !/\bstages:/.test(literal)) continue;
      try {
        const document = parse(literal) as unknown;
        if (isPipeline(document)) found.push({ file: relative(root, file), document });
      } catch {
        // A template assembled from pieces is not YAML on its own.
      }
    }
  }
  return found;
}

function templateLiterals(source: string): string[] {
  const literals: string[] = [];
  for (let at = source.indexOf("`"); at !== -1; at = source.indexOf("`", at + 1)) {
    let text = "";
    let i = at + 1;
    for (; i < source.length && source[i] !== "`"; i++) {
      if (source[i] === "\\") {
        text += source[i + 1] === "n" ? "\n" : source[i + 1];
        i++;
      } else if (source[i] === "$" && source[i + 1] === "{") {
        let depth = 0;
        for (; i < source.length; i++) {
          if (source[i] === "{") depth++;
          else if (source[i] === "}" && --depth === 0) break;
        }
        text += "X";
      } else {
        text += source[i];
      }
    }
    literals.push(text);
    at = i;
  }
  return literals;
}

/** A property's schema, through `$ref`s. */
function resolved(schema: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== "string") return schema;
  const target = ref.replace(/^#\//, "").split("/").reduce<unknown>((node, part) => (node as Schema)[part], published);
  return { ...(target as Schema), ...Object.fromEntries(Object.entries(schema).filter(([key]) => key !== "$ref")) };
}

/** Every key a schema object allows, with its path: `properties`, and those of an object's `then`; a definition within itself once. */
function keysOf(schema: Schema, path: string, within: readonly string[] = []): Array<{ path: string; schema: Schema }> {
  const ref = typeof schema.$ref === "string" ? schema.$ref : undefined;
  if (ref && within.includes(ref)) return [];
  const inside = ref ? [...within, ref] : within;
  const node = resolved(schema);
  const keys: Array<{ path: string; schema: Schema }> = [];
  const visit = (child: unknown, childPath: string): void => {
    if (child !== null && typeof child === "object") keys.push(...keysOf(child as Schema, childPath, inside));
  };
  for (const [key, child] of Object.entries((node.properties as Record<string, Schema> | undefined) ?? {})) {
    keys.push({ path: `${path}.${key}`, schema: child });
    visit(child, `${path}.${key}`);
  }
  visit(node.then, path);
  visit(node.items, `${path}[]`);
  visit(node.additionalProperties, `${path}.*`);
  return keys;
}

/** Keys of a document that its schema does not describe (or allow): walked along with the schema. */
function undescribedKeys(value: unknown, schema: Schema, path = "$"): string[] {
  let node = resolved(schema);
  if (node.then && value !== null && typeof value === "object" && !Array.isArray(value)) node = { ...node, ...resolved(node.then as Schema) };
  if (Array.isArray(value)) return node.items ? value.flatMap((item, index) => undescribedKeys(item, node.items as Schema, `${path}[${index}]`)) : [];
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const property = (node.properties as Record<string, Schema> | undefined)?.[key];
    if (property) {
      const described = resolved(property);
      const missing = typeof described.description === "string" && Array.isArray(described.examples) ? [] : [`${path}.${key} (no description or examples)`];
      return [...missing, ...undescribedKeys(child, property, `${path}.${key}`)];
    }
    const free = node.additionalProperties;
    if (free && typeof free === "object") return undescribedKeys(child, free as Schema, `${path}.${key}`);
    return [`${path}.${key}`];
  });
}

describe("graphload schema", () => {
  it("is a valid draft 2020-12 schema, the same object the validator uses", () => {
    expect(published.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(ajv.validateSchema(published)).toBe(true);
    const { $schema: _, title: __, description: ___, ...definitions } = pipelineJsonSchema();
    expect(definitions).toEqual(JSON.parse(JSON.stringify(withEnvReferences(pipelineSchema))));
    // Only text that must match a pattern or a list also takes a ${VAR} reference, which graphload replaces before it validates.
    expect(validate({ version: 1, name: "airports${SUFFIX:-}", stages: [{ name: "s", statements: ["RETURN 1"] }] })).toBe(true);
    expect(validate({ version: 1, name: "not a name", stages: [{ name: "s", statements: ["RETURN 1"] }] })).toBe(false);
  });

  it("accepts every pipeline file of the repository", () => {
    expect(pipelineFiles.map(({ file }) => file)).toEqual(expect.arrayContaining(["pipelines/northwind.yaml", "pipelines/comparison/airports.yaml"]));
    for (const { file, document } of pipelineFiles) {
      expect({ file, valid: validate(document), errors: validate.errors ?? null }).toEqual({ file, valid: true, errors: null });
    }
  });

  it("judges every pipeline the tests write as the validator does", () => {
    const pipelines = testPipelines();
    expect(pipelines.length).toBeGreaterThan(20);
    let accepted = 0;
    for (const { file, document } of pipelines) {
      const valid = validate(document);
      if (valid) accepted++;
      expect({ file, document, valid }).toEqual({ file, document, valid: checkSchema(document).length === 0 });
    }
    // Most are valid pipelines; the others test the validator's refusals.
    expect(accepted).toBeGreaterThan(pipelines.length / 2);
  });

  it("refuses a misspelt key, where the validator does", () => {
    const document = parse(`
version: 1
name: p
defaults: { concurency: 4 }
stages:
  - name: nodes
    tasks:
      - name: people
        source: { file: people.csv }
        node: { lables: [Person], key: [id], properties: { id: { column: id, tpye: integer } } }
`) as Schema;
    expect(validate(document)).toBe(false);
    const unknown = (validate.errors ?? [])
      .filter((error) => error.keyword === "additionalProperties")
      .map((error) => `${error.instancePath} ${String(error.params.additionalProperty)}`);
    expect(unknown).toEqual(["/defaults concurency", "/stages/0/tasks/0/node lables", "/stages/0/tasks/0/node/properties/id tpye"]);
    expect(checkSchema(document).filter((issue) => issue.code === "GL_UNKNOWN_KEY").map((issue) => issue.path)).toEqual([
      "$.defaults.concurency",
      "$.stages[0].tasks[0].node.lables",
      "$.stages[0].tasks[0].node.properties.id.tpye",
    ]);
  });

  it("describes, with examples, every key the validator accepts", () => {
    const validatorKeys = keysOf(pipelineSchema as unknown as Schema, "$").map(({ path }) => path);
    const publishedKeys = new Map(keysOf(published, "$").map(({ path, schema }) => [path, resolved(schema)]));
    expect(validatorKeys.length).toBeGreaterThan(80);
    const undocumented = validatorKeys.filter((path) => {
      const schema = publishedKeys.get(path);
      return !schema || typeof schema.description !== "string" || !Array.isArray(schema.examples) || schema.examples.length === 0;
    });
    expect(undocumented).toEqual([]);
  });

  it("describes every key of every pipeline the repository and its tests write that the validator accepts", () => {
    const documents = [...pipelineFiles, ...testPipelines()].filter(({ document }) => checkSchema(document).length === 0);
    expect(documents.length).toBeGreaterThan(30);
    expect(documents.flatMap(({ file, document }) => undescribedKeys(document, published).map((key) => `${file}: ${key}`))).toEqual([]);
  });

  it("gives examples that are valid values of their keys", () => {
    const problems: string[] = [];
    const check = (schema: Schema, pointer: string): void => {
      const node = schema as { examples?: unknown[] };
      if (!Array.isArray(node.examples)) return;
      const validateKey = ajv.compile({ $ref: `pipeline#${pointer}` });
      for (const example of node.examples) if (!validateKey(example)) problems.push(`${pointer}: ${JSON.stringify(example)} ${ajv.errorsText(validateKey.errors)}`);
    };
    ajv.addSchema({ ...published, $id: "pipeline" });
    const walk = (schema: unknown, pointer: string): void => {
      if (schema === null || typeof schema !== "object") return;
      check(schema as Schema, pointer);
      for (const [key, child] of Object.entries(schema)) if (key !== "examples" && key !== "enum" && key !== "const") walk(child, `${pointer}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`);
    };
    walk(published, "");
    expect(problems).toEqual([]);
  });
});
