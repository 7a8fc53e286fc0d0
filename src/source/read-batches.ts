import type { Readable } from "node:stream";

const BATCH_SIZE = 1024;

/**
 * Reads an object-mode stream a batch at a time. `data` events are the cheapest way out of a
 * Node stream, and a batch spares the reader one await per object; the stream is paused
 * while a full batch waits, so backpressure still reaches the input. `done` settles when
 * the stream's pipeline does: it ends the batches, or fails them after the last good one.
 * Leaving early destroys the stream.
 */
export async function* readBatches<T>(stream: Readable, done: Promise<void>): AsyncGenerator<T[]> {
  let batch: T[] = [];
  let finished = false;
  let failed = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const resume = wake;
    wake = undefined;
    resume?.();
  };
  stream.on("data", (item: T) => {
    batch.push(item);
    if (batch.length >= BATCH_SIZE) stream.pause();
    notify();
  });
  done.then(
    () => {
      finished = true;
      notify();
    },
    (error: unknown) => {
      failure = error;
      failed = true;
      finished = true;
      notify();
    },
  );
  try {
    for (;;) {
      if (batch.length > 0) {
        const full = batch;
        batch = [];
        if (stream.isPaused()) stream.resume();
        yield full;
      } else if (finished) {
        if (failed) throw failure;
        return;
      } else {
        await new Promise<void>((resolve) => (wake = resolve));
      }
    }
  } finally {
    stream.destroy();
  }
}
