import type { Draft, DraftLink, DraftNode } from "./draft-model.js";
import type { ColumnProfile } from "./profile-table.js";

export interface RenderOptions {
  /** What the `# yaml-language-server: $schema=` line points at; absent: no such line. */
  readonly schema?: string;
  /** The pipeline file as the user names it, for the commands in the header. */
  readonly output: string;
}

interface Line {
  readonly text: string;
  readonly comment?: string;
}

/** Comments start in one column within a task, unless a line is longer than this. */
const COMMENT_COLUMN_LIMIT = 64;

/**
 * The draft as a pipeline file: YAML written line by line, so that each guess has its
 * comment next to it, and a person reads the draft top to bottom like one written by hand.
 */
export function renderDraft(draft: Draft, options: RenderOptions): string {
  const out: string[] = [];
  if (options.schema) out.push(`# yaml-language-server: $schema=${options.schema}`, "#");
  const files = draft.nodes.length === 1 ? "one file" : `${draft.nodes.length} files`;
  out.push(
    `# A first draft by \`graphload init\` from ${files}. Each guess says in a comment what it was`,
    "# based on: a sample of each file (the whole of a small one). Check them, then:",
    `#   graphload plan ${options.output}    # validate; show the Cypher and a few converted rows`,
    `#   graphload run ${options.output}     # load`,
    "version: 1",
    `name: ${scalar(draft.name)}`,
    "stages:",
    "  - name: nodes",
    "    tasks:",
  );
  for (const node of draft.nodes) out.push(...aligned(nodeTask(node)));
  if (draft.links.length > 0) {
    out.push("  - name: relationships", "    tasks:");
    for (const link of draft.links) out.push(...aligned(linkTask(link)));
  }
  return `${out.join("\n")}\n`;
}

function nodeTask(node: DraftNode): Line[] {
  const { profile, key } = node;
  const { sample } = profile;
  const lines: Line[] = node.notes.map((note) => ({ text: `      # ${oneLine(note)}` }));
  lines.push({ text: `      - name: ${scalar(node.taskName)}` }, { text: `        source: ${source(node)}` });
  lines.push(...settings(node));
  if (!key.unique) lines.push({ text: "        mode: create", comment: key.reason });
  const property = (column: string): string => profile.columns.find((candidate) => candidate.column === column)?.property ?? column;
  lines.push(
    { text: "        node:" },
    { text: `          labels: [${scalar(profile.label)}]`, comment: `from the file name ${sample.stem}` },
    { text: `          key: [${key.columns.map((column) => scalar(property(column))).join(", ")}]`, comment: key.unique ? key.reason : undefined },
    { text: "          properties:" },
  );
  const omitted: ColumnProfile[] = [];
  for (const column of profile.columns) {
    if (column.guess.omit) {
      omitted.push(column);
      continue;
    }
    const notes = [column.guess.reason, node.columnNotes.get(column.column)].filter(Boolean).join("; ");
    lines.push({ text: `            ${scalar(column.property)}: ${mapping(column)}`, comment: notes || undefined });
  }
  const point = profile.point;
  if (point) {
    lines.push({
      text: `            ${scalar(point.property)}: { type: point, columns: { latitude: ${scalar(point.latitude)}, longitude: ${scalar(point.longitude)} } }`,
      comment: point.reason,
    });
  }
  for (const column of omitted) lines.push({ text: `          # left out: ${oneLine(column.column)} (${oneLine(column.guess.reason ?? "")})` });
  return lines;
}

function linkTask(link: DraftLink): Line[] {
  const from = link.from.profile;
  const to = link.to.profile;
  const column = from.columns.find((candidate) => candidate.column === link.column)!;
  const keyProperty = (node: DraftNode, name: string): string => node.profile.columns.find((candidate) => candidate.column === name)?.property ?? name;
  const fromKey = link.from.key.columns.map((name) => `${scalar(keyProperty(link.from, name))}: ${scalar(name)}`).join(", ");
  const toKey = `${scalar(keyProperty(link.to, link.to.key.columns[0]))}: ${scalar(link.column)}`;
  const lines: Line[] = [
    { text: `      # ${oneLine(`${from.label}.${link.column} → ${to.label}: ${link.reason}`)}` },
    { text: `      - name: ${scalar(link.taskName)}` },
    { text: `        source: ${source(link.from)}` },
    ...settings(link.from, false),
  ];
  // A null cannot match a key; filtered, such a row is counted, not dead-lettered.
  if (column.nulls > 0 || !from.sample.complete) {
    lines.push({ text: `        where: { column: ${scalar(link.column)}, isNull: false }`, comment: `a row without ${link.column} links to nothing` });
  }
  lines.push(
    { text: "        relationship:" },
    { text: `          type: ${scalar(link.type)}`, comment: `after the column ${link.column}; name what it means` },
    { text: `          from: { label: ${scalar(from.label)}, key: { ${fromKey} } }` },
    { text: `          to: { label: ${scalar(to.label)}, key: { ${toKey} } }` },
  );
  return lines;
}

function source(node: DraftNode): string {
  const { sample } = node.profile;
  const entries = [`file: ${scalar(sample.file)}`];
  if (sample.delimiter) entries.push(`delimiter: ${JSON.stringify(sample.delimiter)}`);
  if (!sample.header) entries.push("header: false");
  if (!sample.header || sample.renamed) entries.push(`columns: [${sample.columns.map(scalar).join(", ")}]`);
  return `{ ${entries.join(", ")} }`;
}

function settings(node: DraftNode, explain = true): Line[] {
  const tokens = node.profile.nullTokens;
  if (tokens.length === 0) return [];
  const where = tokens
    .map(({ token, columns }) => {
      const shown = columns.slice(0, 3).map(({ column, count }) => `${column} (${count})`);
      return `${token} in ${shown.join(", ")}${columns.length > 3 ? ` and ${columns.length - 3} more columns` : ""}`;
    })
    .join("; ");
  const text = `        nullValues: ${JSON.stringify(["", ...tokens.map(({ token }) => token)]).replaceAll(",", ", ")}`;
  return [{ text, comment: explain ? `read as null; sampled: ${where}` : undefined }];
}

function mapping(column: ColumnProfile): string {
  const { guess } = column;
  if (guess.type === undefined && column.property === column.column) return scalar(column.column);
  const entries = [`column: ${scalar(column.column)}`];
  if (guess.type !== undefined) entries.push(`type: ${scalar(guess.type)}`);
  if (guess.format !== undefined) entries.push(`format: ${JSON.stringify(guess.format)}`);
  if (guess.arrayDelimiter !== undefined && guess.arrayDelimiter !== ";") entries.push(`arrayDelimiter: ${JSON.stringify(guess.arrayDelimiter)}`);
  return `{ ${entries.join(", ")} }`;
}

function aligned(lines: readonly Line[]): string[] {
  const width = Math.max(0, ...lines.filter((line) => line.comment && line.text.length <= COMMENT_COLUMN_LIMIT).map((line) => line.text.length));
  return lines.map((line) => (line.comment ? `${line.text.padEnd(width)}  # ${oneLine(line.comment)}` : line.text));
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** YAML words a plain scalar would turn into something other than text, in YAML 1.2 or 1.1. */
const RESERVED = /^(true|false|null|yes|no|on|off|y|n|~)$/i;

/** A string as a YAML scalar: plain where that reads back as the same text, else double-quoted (JSON's quoting is YAML's). */
export function scalar(text: string): string {
  return /^[A-Za-z_][A-Za-z0-9_./-]*$/.test(text) && !RESERVED.test(text) ? text : JSON.stringify(text);
}
