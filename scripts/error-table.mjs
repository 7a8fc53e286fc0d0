// Writes README.md's table of error codes from the registry, src/error-codes.ts as built
// into dist/: `npm run docs:errors`. A unit test fails while the two differ.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

export const BEGIN = "<!-- error codes: generated from src/error-codes.ts by npm run docs:errors -->";
export const END = "<!-- end of error codes -->";

/** The registry as a Markdown table, in the registry's order. */
export function errorTable(codes) {
  const cell = (text) => String(text).replaceAll("|", "\\|");
  const rows = Object.entries(codes).map(([code, { exit, meaning }]) => `| \`${code}\` | ${cell(exit)} | ${cell(meaning)} |`);
  return ["| code | exit | meaning |", "| --- | --- | --- |", ...rows].join("\n");
}

/** `readme` with the text between the markers replaced by the table. */
export function withErrorTable(readme, codes) {
  const start = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (start === -1 || end < start) throw new Error(`README.md needs the lines ${BEGIN} and ${END} around the error table`);
  return `${readme.slice(0, start + BEGIN.length)}\n${errorTable(codes)}\n${readme.slice(end)}`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { ERROR_CODES } = await import("../dist/error-codes.js");
  const path = fileURLToPath(new URL("../README.md", import.meta.url));
  const readme = readFileSync(path, "utf8");
  const updated = withErrorTable(readme, ERROR_CODES);
  if (updated !== readme) writeFileSync(path, updated);
  process.stdout.write(updated === readme ? "README.md: the error table is up to date\n" : "README.md: error table rewritten\n");
}
