import { findLinks, type Link } from "./find-links.js";
import { relationshipType, unique } from "./names.js";
import { chooseKey, profileTables, type KeyChoice, type TableProfile } from "./profile-table.js";
import { SPREAD_CHUNKS, type TableSample } from "./table-sample.js";

/** One node task: a file's rows as nodes. */
export interface DraftNode {
  readonly profile: TableProfile;
  readonly taskName: string;
  readonly key: KeyChoice;
  /** Comment lines above the task. */
  readonly notes: readonly string[];
  /** More to say on a column's line: where it links, or why it does not. */
  readonly columnNotes: ReadonlyMap<string, string>;
}

/** One relationship task: from a file's nodes to the nodes whose keys one of its columns holds. */
export interface DraftLink {
  readonly taskName: string;
  readonly from: DraftNode;
  readonly to: DraftNode;
  readonly column: string;
  readonly type: string;
  readonly reason: string;
}

export interface Draft {
  readonly name: string;
  readonly nodes: readonly DraftNode[];
  readonly links: readonly DraftLink[];
}

/** The draft of a pipeline from samples of its files: every decision made, nothing written yet. */
export function buildDraft(samples: readonly TableSample[], name: string): Draft {
  const profiles = profileTables(samples);
  const firstKeys = profiles.map((profile) => chooseKey(profile));
  // Keys and links depend on each other: a pair of linking columns makes the better key, and
  // only single-column keys are linked to. Links found with keys chosen alone settle the keys;
  // the links are then found again with those.
  const linkColumns = (links: readonly Link[], table: number): Set<string> => new Set(links.filter((link) => link.from === table).map((link) => link.column));
  const first = findLinks(profiles, firstKeys);
  const keys = profiles.map((profile, index) => chooseKey(profile, linkColumns(first.links, index)));
  const { links, notes } = findLinks(profiles, keys);

  const taskNames = new Set<string>();
  const nodes: DraftNode[] = profiles.map((profile, index) => {
    const columnNotes = new Map<string, string>();
    for (const link of links.filter((candidate) => candidate.from === index)) {
      columnNotes.set(link.column, keys[index].unique ? `links to ${profiles[link.to].label} below` : `its values are keys of ${profiles[link.to].label}, but rows without a key of their own are not linked`);
    }
    for (const note of notes.filter((candidate) => candidate.table === index)) columnNotes.set(note.column, note.note);
    return { profile, taskName: unique(taskName(profile.sample.stem), taskNames), key: keys[index], notes: tableNotes(profile, keys[index], links, profiles, index), columnNotes };
  });
  const draftLinks = links
    .filter((link) => keys[link.from].unique)
    .map((link): DraftLink => {
      const from = nodes[link.from];
      return {
        taskName: unique(`${from.taskName}-${relationshipType(link.column).toLowerCase().replaceAll("_", "-")}`, taskNames),
        from,
        to: nodes[link.to],
        column: link.column,
        type: relationshipType(link.column),
        reason: link.reason,
      };
    });
  return { name, nodes, links: draftLinks };
}

function taskName(stem: string): string {
  return stem.trim() === "" ? "file" : stem;
}

function tableNotes(profile: TableProfile, key: KeyChoice, links: readonly Link[], profiles: readonly TableProfile[], index: number): string[] {
  const { sample } = profile;
  const rows = sample.complete
    ? `${sample.rows.length} row${sample.rows.length === 1 ? "" : "s"}, the whole file read`
    : sample.gzip
      ? `${sample.rows.length} rows sampled from its start (gzip is read in order, so a sorted file shows only its first values)`
      : `${sample.rows.length} rows sampled of about ${sample.estimatedRows}, from its start and ${SPREAD_CHUNKS} places further on`;
  const notes = [`${sample.file}: ${rows}`];
  if (!sample.header) notes.push("its first line holds data, not names: columns are named column1, column2, …; rename them");
  if (sample.renamed) notes.push("its header names a column twice: `columns` renames the repeats, as a run refuses them");
  if (sample.delimiter) notes.push(`fields are separated by ${JSON.stringify(sample.delimiter)}, not the format's own`);
  const own = links.filter((link) => link.from === index);
  if (key.columns.length === 2 && key.columns.every((column) => own.some((link) => link.column === column))) {
    const [a, b] = key.columns.map((column) => profiles[own.find((link) => link.column === column)!.to].label);
    const others = profile.columns.length > 2 ? ", the other columns their properties" : "";
    notes.push(
      `reads like a link table between ${a} and ${b}: its rows could be relationships from ${a} to ${b}${others}:`,
      "one relationship task in place of this node task and its two below",
    );
  }
  return notes;
}
