import { PassThrough, type Duplex, type Readable } from "node:stream";
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
      const close = (): void => streams.forEach((stream) => stream.destroy());
      if (out.destroyed) return close();
      // Not pipeline(): it would fail `out` with the body's own error before it could be named.
      const fail = (error: Error): void => void (out.destroyed || out.destroy(failed(error)));
      for (const stream of streams) stream.on("error", fail);
      out.on("close", close);
      (streams as readonly Readable[]).reduce((from, to) => from.pipe(to as Duplex)).pipe(out);
    },
    (error: Error) => out.destroy(failed(error)),
  );
  return out;
}
