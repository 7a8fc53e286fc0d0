import type { Command } from "commander";
import { EXIT } from "../error-codes.js";
import { loadPipeline } from "../load/load-pipeline.js";
import { buildPlan, type Plan } from "../plan/build-plan.js";
import { dynamicNames, exampleVariant } from "../plan/dynamic-names.js";
import { identityNote } from "../plan/merge-identities.js";
import { whereText } from "../plan/where-text.js";
import { previewRows } from "../plan/preview-rows.js";
import { columnParameter, textParameter, type ColumnsShape } from "../plan/batch-parameters.js";
import { rowFieldNames } from "../plan/row-mapper.js";
import type { TaskTarget } from "../model/pipeline.js";
import { collect, dataSource, positiveInteger, printWarnings } from "./cli-values.js";
import { reportFailure } from "./report-failure.js";

export function registerPlanCommand(program: Command, setExitCode: (code: number) => void): void {
  program
    .command("plan")
    .description("validate a pipeline and show what a run would do: the schema it creates, stages, the Cypher of every task, a few converted rows; writes nothing")
    .argument("<pipeline>", "pipeline file (YAML or JSON)")
    .option("--rows <n>", "rows to convert and show per task", positiveInteger(0), 3)
    .option("--stage <name...>", "show only these stages", collect)
    .option("--data-source <name=url>", "connection URL of an import specification's data source (repeatable)", dataSource)
    .addHelpText("after", "\nExample:\n  graphload plan pipelines/northwind.yaml --rows 2")
    .action(async (file: string, flags: { rows: number; stage?: string[]; dataSource?: Record<string, string> }) => {
      try {
        const pipeline = await loadPipeline(file, { dataSources: flags.dataSource });
        printWarnings(pipeline.warnings);
        const plan = buildPlan(pipeline, { stages: flags.stage });
        process.stdout.write(`${schemaText(plan)}\n`);
        for (const stage of plan.stages) {
          process.stdout.write(`stage ${stage.name}\n`);
          if (stage.kind === "statements") {
            stage.statements.forEach((statement, index) => process.stdout.write(`  statement ${index + 1}: ${statement}\n`));
            continue;
          }
          for (const task of stage.tasks) {
            const { settings, source } = task.task;
            const from =
              source.kind === "neo4j" ? `a query on ${source.uri}` : source.kind === "postgres" || source.kind === "mysql" ? "a SQL query" : source.kind === "inline" ? "inline rows" : source.kind === "rows" ? "rows from code" : `${source.format}${source.gzip ? ", gzip" : ""} from ${source.kind === "file" ? source.path : source.kind === "files" ? `the files of ${source.glob}` : "stdin"}`;
            process.stdout.write(`  task ${task.task.name} (${from}; ${settings.mode}, batch ${settings.batchSize}, ${task.task.strategy})\n`);
            const { where, target } = task.task;
            if (where) process.stdout.write(`    where ${whereText(where)}; other rows are counted as filtered\n`);
            const order = identityNote(target, settings.mode);
            if (order) process.stdout.write(`    ${order}\n`);
            for (const { variant, cypher } of task.statements) {
              if (variant !== "") process.stdout.write(`    for ${variant}:\n`);
              process.stdout.write(`${indent(cypher, 4)}\n`);
            }
            if (task.shape.kind === "columns") process.stdout.write(`    ${columnsText(task.task.target, task.shape)}\n`);
            if (task.statements.length === 0) {
              const columns = dynamicNames(target).map(({ source, what }) => `${what} from column "${source.column}"`);
              process.stdout.write(`    one statement per ${columns.join(" and ")}, like:\n${indent(task.statement(exampleVariant(target)), 4)}\n`);
            }
            if (flags.rows > 0 && (source.kind === "file" || source.kind === "files")) {
              for (const line of await previewRows(task, flags.rows)) process.stdout.write(`    ${line}\n`);
            }
          }
        }
        setExitCode(EXIT.OK);
      } catch (error) {
        setExitCode(reportFailure(error));
      }
    });
}

function schemaText(plan: Plan): string {
  if (!plan.pipeline.schema.create) return "schema: left as it is (schema: { create: false })";
  if (plan.schema.length === 0) return "schema: nothing to create";
  const lines = plan.schema.map((operation) => `  ${operation.kind} ${operation.name}: ${operation.description}\n    ${operation.cypher}`);
  return ["schema (created when missing, before the first stage):", ...lines].join("\n");
}

/** What each `$c…` and `$t…` of a statement holds: a batch travels as one list per value of its rows. */
function columnsText(target: TaskTarget, shape: ColumnsShape): string {
  const names = rowFieldNames(target) ?? [];
  const lists = `batch parameters, one list per value, row i at [i]: ${names.map((name, position) => `$${columnParameter(position)} ${name}`).join(", ")}`;
  if (shape.text.length === 0) return lists;
  const text = shape.text.map((position) => `$${textParameter(position)}`).join(", ");
  return `${lists}; ${text}: the same text values as one string, split on U+001F, when every value of the batch is a string without that character and together they are not too long (the list is then null)`;
}

function indent(text: string, spaces: number): string {
  return text
    .split("\n")
    .map((line) => " ".repeat(spaces) + line)
    .join("\n");
}
