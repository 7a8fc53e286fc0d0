import picomatch from "picomatch";

/**
 * A glob split where its first wildcard's folder begins: the literal `base` to list under
 * (a folder, or a key prefix) and the `glob` that names match below it. `*` stays within
 * one folder level, `**` crosses levels.
 */
export function splitGlob(pattern: string): { readonly base: string; readonly glob: string } {
  const { base, glob } = picomatch.scan(pattern);
  return { base, glob };
}

/** A matcher for names relative to a glob's base. */
export function globMatcher(glob: string): (name: string) => boolean {
  return picomatch(glob, { dot: false });
}
