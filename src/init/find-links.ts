import { baseName, normalized } from "./names.js";
import { isOwnId, type KeyChoice, type TableProfile } from "./profile-table.js";

/** A column of one file whose values are keys of another file's nodes. */
export interface Link {
  readonly from: number;
  readonly column: string;
  readonly to: number;
  readonly reason: string;
  /** The column is its file's key. */
  readonly keys?: boolean;
  /** Name score and share found, to choose between two links. */
  readonly rank?: readonly [number, number];
}

/**
 * Two files keyed on the same values link each other's keys: one link is enough, the one
 * whose name points at the other file (person → LookupPerson, not name → LookupGroup).
 */
function oneWay(links: readonly Link[]): Link[] {
  const better = (a: Link, b: Link): boolean => {
    const [scoreA, shareA] = a.rank ?? [0, 0];
    const [scoreB, shareB] = b.rank ?? [0, 0];
    return scoreA !== scoreB ? scoreA > scoreB : shareA !== shareB ? shareA > shareB : a.from < b.from;
  };
  return links.filter((link) => {
    if (!link.keys) return true;
    const reverse = links.find((other) => other.keys && other.from === link.to && other.to === link.from);
    return !reverse || better(link, reverse);
  });
}

/** Something a person should know about a column that was not linked, though it might have been. */
export interface LinkNote {
  readonly table: number;
  readonly column: string;
  readonly note: string;
}

/** Found among a completely read file's keys: this share of a column's values, leaving room for a few dangling references. */
const FOUND_IN_WHOLE_FILE = 0.9;
/** Values of a column looked up before giving up on a file none of them is found in. */
const PROBE = 64;
/** Names that say nothing about what they point at; a year or a count is a value, not a reference. */
const GENERIC = new Set(["id", "name", "code", "key", "title", "value", "type", "description", "label", "year", "month", "day", "date", "time", "count", "number", "amount"]);

interface Candidate {
  readonly to: number;
  readonly hits: number;
  readonly share: number;
  readonly score: number;
}

/**
 * Links by sampled containment: a column links to a file whose single-column key holds
 * (nearly) all of the column's sampled values. Where several files' keys hold them, the
 * name decides (`categoryID` → Category, `shipVia` → Shipper); small whole numbers are
 * found among every numeric key, so a column of them links only where its name points at
 * the file. A file sampled only in part holds proportionally fewer of the values, which
 * the threshold allows for.
 */
export function findLinks(profiles: readonly TableProfile[], keys: readonly KeyChoice[]): { links: Link[]; notes: LinkNote[] } {
  const targets = profiles.flatMap((profile, index) => {
    const key = keys[index];
    if (!key.unique || key.columns.length !== 1) return [];
    const column = profile.columns.find((candidate) => candidate.column === key.columns[0]);
    return column ? [{ index, profile, key: column }] : [];
  });
  const links: Link[] = [];
  const notes: LinkNote[] = [];
  profiles.forEach((profile, from) => {
    const ownKey = keys[from].columns.length === 1 ? keys[from].columns[0] : undefined;
    for (const column of profile.columns) {
      const type = column.guess.type;
      if (column.guess.omit || (type !== undefined && type !== "string" && type !== "integer") || column.texts.size === 0) continue;
      const isKey = column.column === ownKey;
      // A file's own id (categoryID in categories.csv) is what others point at, not a pointer itself.
      if (isKey && isOwnId(column.column, profile)) continue;
      const candidates: Candidate[] = [];
      for (const target of targets) {
        if (target.index === from && target.key.column === column.column) continue;
        const sample = target.profile.sample;
        const needed = isKey ? 1 : sample.complete ? FOUND_IN_WHOLE_FILE : Math.min(FOUND_IN_WHOLE_FILE, (0.5 * sample.rows.length) / sample.estimatedRows);
        // Most columns are found in no other file's keys: give up once too many values are missing,
        // or when not one of the first values is found, which a link to even a sparse sample shows.
        const allowedMisses = Math.floor(column.texts.size * (1 - needed));
        let hits = 0;
        let misses = 0;
        for (const text of column.texts) {
          if (target.key.texts.has(text)) hits++;
          else if (++misses > allowedMisses || (hits === 0 && misses >= PROBE)) break;
        }
        if (hits === 0) continue;
        const share = hits / column.texts.size;
        if (misses > allowedMisses || (!sample.complete && hits < Math.min(3, column.texts.size))) continue;
        candidates.push({ to: target.index, hits, share, score: nameScore(column.column, target.profile, target.key.column) });
      }
      if (candidates.length === 0) continue;
      const numeric = type === "integer";
      const eligible = candidates
        .filter((candidate) => candidate.score > 0 || (!numeric && column.texts.size > 1))
        .sort((a, b) => b.score - a.score || b.share - a.share);
      const [best, second] = eligible;
      if (!best) {
        // A column of whole numbers among its own file's keys may be a hierarchy (reportsTo, parentId), which no name gives away.
        const self = candidates.find((candidate) => candidate.to === from);
        if (self && !isKey) {
          notes.push({ table: from, column: column.column, note: `its values are all ${profile.label} keys (${ownKey}): a hierarchy? Not linked, as small whole numbers are among the keys of ${listed(candidates, profiles)}` });
        }
        continue;
      }
      if (second && second.score === best.score && second.share === best.share) {
        if (!isKey) notes.push({ table: from, column: column.column, note: `its values are among the keys of ${listed(eligible, profiles)} alike: not linked; add a relationship task to the one it means` });
        continue;
      }
      const target = profiles[best.to];
      const key = keys[best.to].columns[0];
      const found = best.hits === column.texts.size ? `all ${best.hits} distinct values` : `${best.hits} of its ${column.texts.size} distinct values`;
      const keyCount = target.sample.complete ? `the ${target.sample.rows.length} ${key} keys of ${target.sample.file}` : `the ${key} keys of ${target.sample.rows.length} rows sampled from ${target.sample.file}`;
      const named = best.score === 2 ? "; named after it" : best.score === 1 ? "; the names are alike" : "";
      links.push({ from, column: column.column, to: best.to, reason: `${found} sampled are among ${keyCount}${named}`, keys: isKey, rank: [best.score, best.share] });
    }
  });
  return { links: oneWay(links), notes };
}

function listed(candidates: readonly Candidate[], profiles: readonly TableProfile[]): string {
  const labels = candidates.map((candidate) => profiles[candidate.to].label);
  return labels.length > 4 ? `${labels.slice(0, 4).join(", ")} and ${labels.length - 4} more` : labels.join(", ");
}

/** 2: the column is named after the file or its key (`categoryID`); 1: the names are alike (`shipVia`, Shipper); 0: unrelated. */
export function nameScore(column: string, target: TableProfile, key: string): number {
  const name = normalized(column);
  const base = baseName(column);
  const label = normalized(target.label);
  const stem = normalized(target.sample.stem);
  const keyName = normalized(key);
  const keyBase = baseName(key);
  if (!GENERIC.has(name) && name === keyName) return 2;
  if (base.length < 2 || GENERIC.has(base)) return 0;
  if (base === label || base === stem || (base === keyBase && !GENERIC.has(keyBase))) return 2;
  const alike = (a: string, b: string): boolean => a.length >= 3 && b.length >= 3 && (a.includes(b) || b.includes(a) || commonPrefix(a, b) >= 4);
  return alike(base, label) || (!GENERIC.has(keyBase) && alike(base, keyBase)) ? 1 : 0;
}

function commonPrefix(a: string, b: string): number {
  let length = 0;
  while (length < a.length && length < b.length && a[length] === b[length]) length++;
  return length;
}
