import type { Readable } from "node:stream";
import { deferredStream } from "./deferred-stream.js";
import type { InputEntry } from "./input-entry.js";
import { parseLocation } from "./input-location.js";
import { listLocal, localContentId, openLocal } from "./local-inputs.js";

/**
 * The inputs at a location, in name order: the one file, web address or object it names,
 * or with `glob` every local file or object whose name the glob matches (`*` within one
 * folder level, `**` across levels); none when nothing matches. A local path is taken
 * relative to `cwd`. The HTTP client and the AWS SDK are loaded only when a location
 * needs them, so a run over local files starts without them.
 */
export async function listInputs(location: string, options: { readonly glob: boolean; readonly cwd: string }): Promise<InputEntry[]> {
  const parsed = parseLocation(location);
  if (parsed.kind === "http") return [await (await import("./http-inputs.js")).headHttp(parsed.url)];
  const entries = parsed.kind === "local" ? await listLocal(parsed.path, options.glob, options.cwd) : await (await import("./s3-inputs.js")).listS3(parsed.bucket, parsed.key, options.glob);
  return entries.sort(byLocation);
}

/**
 * The bytes of an input as stored (a web server's Content-Encoding taken off; a `.gz`
 * file still gzip, `storedGzip` says so), opened at once and streamed.
 */
export function openInput(entry: InputEntry, storedGzip: boolean): Readable {
  const parsed = parseLocation(entry.location);
  if (parsed.kind === "local") return openLocal(parsed.path);
  return deferredStream(
    async () => [parsed.kind === "http" ? (await import("./http-inputs.js")).openHttp(parsed.url, storedGzip) : (await import("./s3-inputs.js")).openS3(parsed.bucket, parsed.key, storedGzip)],
    (error) => error,
  );
}

/** Content identities by the listing's entry: every task of a run that reads a source shares its entries. */
const contentIds = new WeakMap<InputEntry, Promise<string | undefined>>();

/**
 * The identity of an input's content, to tell whether it was loaded before: `sha256:<hex>`
 * of a local file (read whole to compute it, once per listed entry however many tasks
 * read the source), `etag:<ETag>` of an object or a web resource whose server gives one,
 * undefined otherwise.
 */
export function inputContentId(entry: InputEntry): Promise<string | undefined> {
  if (entry.etag !== undefined) return Promise.resolve(`etag:${entry.etag}`);
  const parsed = parseLocation(entry.location);
  if (parsed.kind !== "local") return Promise.resolve(undefined);
  let id = contentIds.get(entry);
  if (!id) {
    id = localContentId(parsed.path);
    contentIds.set(entry, id);
  }
  return id;
}

/** By full path or key, in UTF-16 code units: the same order on every machine, in every locale and from any working directory. */
function byLocation(a: InputEntry, b: InputEntry): number {
  return a.location < b.location ? -1 : a.location > b.location ? 1 : 0;
}
