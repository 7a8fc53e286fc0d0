import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client, type S3ServiceException } from "@aws-sdk/client-s3";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { GraphloadError } from "../errors.js";
import { deferredStream } from "./deferred-stream.js";
import type { InputEntry } from "./input-entry.js";
import { CHUNK_BYTES } from "./local-inputs.js";
import { globMatcher, splitGlob } from "./glob-pattern.js";

let client: S3Client | undefined;

/**
 * One client per process, configured by the AWS SDK's own chains: region, credentials
 * (`AWS_ACCESS_KEY_ID`, profiles, roles …) and endpoint (`AWS_ENDPOINT_URL_S3`,
 * `AWS_ENDPOINT_URL`). S3-compatible stores behind a custom endpoint rarely resolve
 * bucket subdomains, so such an endpoint is addressed path-style.
 */
function s3(): S3Client {
  client ??= new S3Client({ forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3 || process.env.AWS_ENDPOINT_URL) });
  return client;
}

/** The object `key`, or the objects a glob over keys matches, listed under the glob's literal start. */
export async function listS3(bucket: string, key: string, glob: boolean): Promise<InputEntry[]> {
  const split = glob ? splitGlob(key) : { base: key, glob: "" };
  if (split.glob === "") {
    try {
      return [await headS3(bucket, split.base)];
    } catch (error) {
      if (glob && error instanceof GraphloadError && error.code === "GL_FILE_NOT_FOUND") return [];
      throw error;
    }
  }
  const prefix = split.base === "" ? "" : `${split.base}/`;
  const matches = globMatcher(split.glob);
  // Only keys that can match are listed: those starting with the glob's literal part
  // (`daily/2026-` of `daily/2026-*.csv`), and one level only when the glob stays in one.
  const wildcard = split.glob.search(/[*?[\]{}()!+@\\]/);
  const literal = prefix + split.glob.slice(0, wildcard === -1 ? split.glob.length : wildcard);
  const delimiter = split.glob.includes("/") ? undefined : "/";
  const entries: InputEntry[] = [];
  let token: string | undefined;
  do {
    const page = await call(`s3://${bucket}/${literal}`, () => s3().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: literal, Delimiter: delimiter, ContinuationToken: token })));
    for (const object of page.Contents ?? []) {
      const name = object.Key!;
      if (name.endsWith("/") || !matches(name.slice(prefix.length))) continue;
      entries.push(objectEntry(`s3://${bucket}/${name}`, object.Size, object.ETag, object.LastModified));
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return entries;
}

async function headS3(bucket: string, key: string): Promise<InputEntry> {
  const location = `s3://${bucket}/${key}`;
  const head = await call(location, () => s3().send(new HeadObjectCommand({ Bucket: bucket, Key: key })));
  return objectEntry(location, head.ContentLength, head.ETag, head.LastModified);
}

/** An object as listed or as HEAD tells of it: its ETag is its content's identity. */
function objectEntry(location: string, size: number | undefined, etag: string | undefined, modified: Date | undefined): InputEntry {
  return { location, name: location, size, ...(etag ? { etag } : {}), ...(modified ? { modified: modified.getTime() } : {}) };
}

/**
 * The object's bytes, streamed as the store sends them; an object stored with
 * `Content-Encoding: gzip` under a name without `.gz` is decompressed here, as a web client
 * would (a `.gz` one is the file itself, decompressed by its name).
 */
export function openS3(bucket: string, key: string, storedGzip: boolean): Readable {
  const location = `s3://${bucket}/${key}`;
  return deferredStream(async () => {
    const object = await call(location, () => s3().send(new GetObjectCommand({ Bucket: bucket, Key: key })));
    const body = object.Body as Readable;
    return !storedGzip && /^\s*(x-)?gzip\s*$/i.test(object.ContentEncoding ?? "") ? [body, createGunzip({ chunkSize: CHUNK_BYTES })] : [body];
  }, (error) => storeError(location, error));
}

async function call<T>(location: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw storeError(location, error as Error);
  }
}

const REFUSALS = new Set(["AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken", "AllAccessDisabled", "CredentialsProviderError"]);

/** The store's own code (AccessDenied, NoSuchBucket …) in the message, under the GL_ code that says what to do. */
function storeError(location: string, error: Error): GraphloadError {
  if (error instanceof GraphloadError) return error;
  const status = (error as Partial<S3ServiceException>).$metadata?.httpStatusCode;
  const code = error.name && error.name !== "Error" ? error.name : ((error as NodeJS.ErrnoException).code ?? "Error");
  const context = { source: location, storeCode: code };
  if (REFUSALS.has(code) || status === 401 || status === 403) {
    return new GraphloadError("GL_INPUT_REFUSED", `${location}: the store refused access (${code}: ${error.message}); check the credentials and the bucket's policy`, context, { cause: error });
  }
  if (code === "NoSuchKey" || code === "NoSuchBucket" || code === "NotFound" || status === 404) {
    return new GraphloadError("GL_FILE_NOT_FOUND", `${location}: no such object (${code})`, context, { cause: error });
  }
  // The SDK's own configuration errors come before any request: no resume can help those.
  const hint = /region is missing/i.test(error.message) ? "set AWS_REGION (or a profile's region)" : "run again with --resume to continue";
  return new GraphloadError("GL_INPUT_FAILED", `${location}: ${code}: ${error.message}; ${hint}`, context, { cause: error });
}
