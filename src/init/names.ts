/**
 * Names a draft pipeline gives things: labels from file names, property names from column
 * names, relationship types from the columns that link. Only guesses, each written with a
 * comment in the draft, so plain rules beat clever ones.
 */

/** The words of a name: `order-details` → order, details; `shipVia` → ship, Via; `Cost Total $` → Cost, Total. */
export function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
}

/** Singulars English does not form by rule; file names are mostly regular plurals. */
const IRREGULAR: Readonly<Record<string, string>> = {
  people: "person",
  children: "child",
  men: "man",
  women: "woman",
  mice: "mouse",
  geese: "goose",
  teeth: "tooth",
  feet: "foot",
  data: "data",
  criteria: "criterion",
  indices: "index",
  matrices: "matrix",
  vertices: "vertex",
  statuses: "status",
  buses: "bus",
  movies: "movie",
  cookies: "cookie",
  species: "species",
  series: "series",
  news: "news",
};

/** The singular of an English noun, by the common rules; words that are no plural stay as they are. */
export function singular(word: string): string {
  const lower = word.toLowerCase();
  const irregular = IRREGULAR[lower];
  if (irregular) return matchCase(word, irregular);
  if (lower.length <= 3 || /(ss|us|is|ics|ous)$/.test(lower) || !lower.endsWith("s")) return word;
  if (lower.endsWith("ies")) return word.slice(0, -3) + matchCase(word.slice(-3), "y");
  if (/(ches|shes|sses|xes|zzes)$/.test(lower)) return word.slice(0, -2);
  return word.slice(0, -1);
}

function matchCase(model: string, text: string): string {
  return model === model.toUpperCase() && model !== model.toLowerCase() ? text.toUpperCase() : text;
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** `order-details` → `OrderDetail`, `lookup_people` → `LookupPerson`: PascalCase, the last word singular. */
export function labelFromFileName(stem: string): string {
  const parts = words(stem);
  if (parts.length === 0) return "Node";
  parts[parts.length - 1] = singular(parts[parts.length - 1]);
  // A word in capitals (an acronym) stays so; any other word is written with one capital.
  const label = parts.map((part) => (part === part.toUpperCase() ? part : capitalize(part.toLowerCase()))).join("");
  return /^[0-9]/.test(label) ? `N${label}` : label;
}

/** A column name as a property name: kept when it is a plain identifier, else camelCased (`Cost Total $` → `costTotal`). */
export function propertyName(column: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(column)) return column;
  const parts = words(column);
  if (parts.length === 0) return "value";
  // `US Gross` → `usGross`, `IMDB Rating` → `imdbRating`: a leading acronym is lower case as a whole.
  const lead = (part: string): string => (part === part.toUpperCase() ? part.toLowerCase() : part.charAt(0).toLowerCase() + part.slice(1));
  const name = parts.map((part, index) => (index === 0 ? lead(part) : capitalize(part))).join("");
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/** The trailing word that marks an identifier: `ID`, `Id`, `_id`. */
const ID_WORD = /^(id|key|code|uuid|guid)$/i;

/** `categoryID` → `CATEGORY`, `shipVia` → `SHIP_VIA`, `origin` → `ORIGIN`. */
export function relationshipType(column: string): string {
  const parts = words(column);
  if (parts.length > 1 && ID_WORD.test(parts[parts.length - 1])) parts.pop();
  const type = parts.map((part) => part.toUpperCase()).join("_");
  if (type === "") return "LINKS_TO";
  return /^[0-9]/.test(type) ? `_${type}` : type;
}

/** Lower case letters and digits only, for comparing names written in different styles. */
export function normalized(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/** A column name without its identifier suffix: `categoryID` → `category`, `customer_id` → `customer`; `id` stays. */
export function baseName(column: string): string {
  const parts = words(column);
  if (parts.length > 1 && ID_WORD.test(parts[parts.length - 1])) parts.pop();
  return normalized(parts.join(""));
}

/** A name that reads as an identifier: `id`, or ending in `ID`, `Id`, `_id`, `Key`, `_code`, …. */
export function isIdLike(column: string): boolean {
  const parts = words(column);
  return parts.length > 0 && ID_WORD.test(parts[parts.length - 1]);
}

/** A pipeline name (letters, digits, `.`, `_`, `-`, starting with a letter or digit) from any text. */
export function pipelineName(text: string): string {
  const name = text
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^[^A-Za-z0-9]+/, "")
    .replace(/-+$/, "");
  return name === "" ? "draft" : name;
}

/** `text` if unused, else `text2`, `text3`, …; records the name it returns. */
export function unique(text: string, used: Set<string>): string {
  let name = text;
  for (let n = 2; used.has(name); n++) name = `${text}${n}`;
  used.add(name);
  return name;
}
