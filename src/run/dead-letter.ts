import { createWriteStream, type WriteStream } from "node:fs";
import { once } from "node:events";
import { driverValueJson } from "../convert/driver-value.js";
import type { AnyErrorCode } from "../error-codes.js";

/** One rejected row, as written to the dead-letter file: a contract scripts read (README, CLI, "Rejected rows"). */
export interface DeadLetter {
  readonly task: string;
  readonly source: string;
  readonly line: number;
  /** The record as read: its column values, or the raw text of a malformed line. */
  readonly row: unknown;
  readonly code: AnyErrorCode;
  readonly message: string;
}

export interface DeadLetterSink {
  readonly path: string;
  write(letter: DeadLetter): Promise<void>;
  close(): Promise<void>;
}

/** A JSON Lines file, created (or replaced) on the first rejected row only: a clean run writes none. */
export class DeadLetterFile implements DeadLetterSink {
  readonly path: string;
  private stream: WriteStream | undefined;
  private written = 0;

  private readonly append: boolean;

  /** `append` keeps the rows an interrupted run set aside, for a resumed one. */
  constructor(path: string, options: { append?: boolean } = {}) {
    this.path = path;
    this.append = options.append ?? false;
  }

  get count(): number {
    return this.written;
  }

  async write(letter: DeadLetter): Promise<void> {
    this.stream ??= createWriteStream(this.path, { flags: this.append ? "a" : "w" });
    this.written++;
    if (!this.stream.write(JSON.stringify(letter, driverValueJson) + "\n")) await once(this.stream, "drain");
  }

  async close(): Promise<void> {
    if (!this.stream) return;
    const stream = this.stream;
    this.stream = undefined;
    await new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
  }
}
