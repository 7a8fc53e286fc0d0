import type { IncomingMessage } from "node:http";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { Duplex, Readable } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import { GraphloadError } from "../errors.js";
import { deferredStream } from "./deferred-stream.js";
import type { InputEntry } from "./input-entry.js";
import { locationName } from "./input-location.js";
import { CHUNK_BYTES } from "./local-inputs.js";

const MAX_REDIRECTS = 5;

/**
 * A web address as an input: what a HEAD request tells of it (size, ETag). A missing file
 * is an error at once; any other refusal of HEAD is not, since the GET may still be served
 * (a URL presigned for GET only refuses HEAD, some servers do not implement it): the GET
 * then decides, and the size is not known up front.
 */
export async function headHttp(url: string): Promise<InputEntry> {
  const response = await send(url, "HEAD", "identity");
  response.resume();
  const status = response.statusCode ?? 0;
  if (status === 404 || status === 410) refuseStatus(url, response);
  if (status < 200 || status >= 300) return { location: url, name: locationName(url), size: undefined };
  const length = response.headers["content-length"];
  const modified = response.headers["last-modified"];
  return {
    location: url,
    name: locationName(url),
    size: length === undefined ? undefined : Number(length),
    ...(response.headers.etag ? { etag: response.headers.etag } : {}),
    ...(modified ? { modified: Date.parse(modified) } : {}),
  };
}

/**
 * The body of a web address, streamed, with its Content-Encoding taken off: the file's own
 * bytes (still gzip for a `.gz` file, which is asked for as it is stored). A connection
 * that drops before the body is whole fails the stream (Node checks Content-Length and
 * chunked framing), so half a file never passes for a whole one.
 */
export function openHttp(url: string, storedGzip: boolean): Readable {
  return deferredStream(async () => {
    const response = await send(url, "GET", storedGzip ? "identity" : "gzip, deflate, br");
    try {
      refuseStatus(url, response);
    } catch (error) {
      response.destroy();
      throw error;
    }
    const decode = decoder(response.headers["content-encoding"], storedGzip);
    return decode ? [response, decode] : [response];
  }, (error) => interrupted(url, error));
}

/**
 * What takes the Content-Encoding off. A `.gz` file asked for as stored but sent with
 * `Content-Encoding: gzip` is one whose store labels its gzip that way (object stores
 * serving `.gz` objects with that metadata): its bytes are the file, already gzip.
 */
function decoder(encoding: string | undefined, storedGzip: boolean): Duplex | undefined {
  switch (encoding?.trim().toLowerCase()) {
    case "gzip":
    case "x-gzip":
      return storedGzip ? undefined : createGunzip({ chunkSize: CHUNK_BYTES });
    case "deflate":
      return createInflate({ chunkSize: CHUNK_BYTES });
    case "br":
      return createBrotliDecompress({ chunkSize: CHUNK_BYTES });
    default:
      return undefined;
  }
}

/** A request, following redirects; resolves with the final response's head. */
async function send(url: string, method: "GET" | "HEAD", acceptEncoding: string): Promise<IncomingMessage> {
  let target = url;
  for (let redirects = 0; ; redirects++) {
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const request = (target.toLowerCase().startsWith("https:") ? httpsRequest : httpRequest)(target, { method, headers: { "accept-encoding": acceptEncoding } }, resolve);
      request.on("error", (error) => reject(interrupted(url, error)));
      request.end();
    });
    const location = response.headers.location;
    if (response.statusCode === undefined || response.statusCode < 300 || response.statusCode >= 400 || !location) return response;
    response.resume();
    if (redirects === MAX_REDIRECTS) throw new GraphloadError("GL_INPUT_FAILED", `${locationName(url)}: more than ${MAX_REDIRECTS} redirects`, { source: locationName(url) });
    target = new URL(location, target).toString();
  }
}

function refuseStatus(url: string, response: IncomingMessage): void {
  const status = response.statusCode ?? 0;
  if (status >= 200 && status < 300) return;
  const reason = `HTTP ${status}${response.statusMessage ? ` ${response.statusMessage}` : ""}`;
  const context = { source: locationName(url), status };
  if (status === 404 || status === 410) throw new GraphloadError("GL_FILE_NOT_FOUND", `${locationName(url)}: no such file (${reason})`, context);
  if (status === 401 || status === 403) {
    throw new GraphloadError("GL_INPUT_REFUSED", `${locationName(url)}: the server refused access (${reason}); check the address and any credentials it carries`, context);
  }
  throw new GraphloadError("GL_INPUT_FAILED", `${locationName(url)}: ${reason}; run again with --resume once it answers`, context);
}

function interrupted(url: string, error: Error): GraphloadError {
  if (error instanceof GraphloadError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code?.startsWith("Z_")) return new GraphloadError("GL_INPUT_FAILED", `${locationName(url)}: the body is not whole or not valid ${code === "Z_BUF_ERROR" ? "compressed data (it ends early)" : "compressed data"}; run again with --resume`, { source: locationName(url) }, { cause: error });
  return new GraphloadError("GL_INPUT_FAILED", `${locationName(url)}: the transfer broke off (${error.message}${code ? `, ${code}` : ""}); run again with --resume to continue`, { source: locationName(url) }, { cause: error });
}
