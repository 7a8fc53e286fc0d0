import { relative } from "node:path";
import { urlWithoutPassword } from "../mask-secrets.js";

/** Where an input lives, as a pipeline names it. */
export type InputLocation =
  | { readonly kind: "local"; readonly path: string }
  | { readonly kind: "http"; readonly url: string }
  | { readonly kind: "s3"; readonly bucket: string; readonly key: string };

const REMOTE = /^(https?|s3):\/\//i;

/** Whether a location names a web address or an object rather than a local path. */
export function isRemote(location: string): boolean {
  return REMOTE.test(location);
}

/**
 * How a location appears in logs, dead letters and messages: a local path relative to the
 * working directory, a web address with its credentials masked (a presigned URL's signature
 * is one).
 */
export function locationName(location: string): string {
  return isRemote(location) ? (urlWithoutPassword(location) ?? location) : relative(process.cwd(), location) || location;
}

export function parseLocation(location: string): InputLocation {
  const scheme = /^([a-z0-9]+):\/\//i.exec(location)?.[1]?.toLowerCase();
  if (scheme === "http" || scheme === "https") return { kind: "http", url: location };
  if (scheme === "s3") {
    const rest = location.slice("s3://".length);
    const slash = rest.indexOf("/");
    return slash === -1 ? { kind: "s3", bucket: rest, key: "" } : { kind: "s3", bucket: rest.slice(0, slash), key: rest.slice(slash + 1) };
  }
  return { kind: "local", path: location };
}

/**
 * The file name part of a location, which announces its format (`.csv.gz`): the path of a
 * URL without its query, an object's key.
 */
export function fileNameOf(location: string): string {
  const parsed = parseLocation(location);
  if (parsed.kind === "http") {
    try {
      return new URL(parsed.url).pathname;
    } catch {
      return parsed.url;
    }
  }
  return parsed.kind === "s3" ? parsed.key : parsed.path;
}
