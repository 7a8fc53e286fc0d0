import { PassThrough, pipeline, type Duplex, type Readable } from "node:stream";
import { CHUNK_BYTES } from "./local-inputs.js";

/**
 * A stream to hand a reader at once, over a body (and its decoders) that takes a request to open: the reader's
 * `openBytes` is synchronous. A failure to open, or of the body part-way, fails it with
 * the error `failed` makes; destroying it closes the body.
 */
export function deferredStream(open: () => Promise<readonly [Readable, ...Duplex[]]>, failed: (error: Error) => Error): Readable {
  const out = new PassThrough({ highWaterMark: CHUNK_BYTES });
  open().then(
    (streams) => {
      if (out.destroyed) streams[0].destroy();
      else pipeline([...streams, out], (error) => error && !out.destroyed && out.destroy(failed(error)));
    },
    (error: Error) => out.destroy(failed(error)),
  );
  return out;
}
