/**
 * One input a `file` or `files` source reads: a local file, a web address or an object in
 * an S3-compatible store, as a listing found it. A listing is taken once per run, so the
 * files a run reads, their order and the run's fingerprint all come from the same one.
 */
export interface InputEntry {
  /** What `openInput` opens: an absolute path, an `http(s)://` URL or `s3://bucket/key`. */
  readonly location: string;
  /** Its name in logs, dead letters and records of loaded files: a path relative to the working directory, or the URL. */
  readonly name: string;
  /** Bytes as stored, where the listing tells (a web server may not). */
  readonly size: number | undefined;
  /**
   * The store's identity of the content: an object's ETag, a web server's ETag. Absent for
   * local files, whose identity is their content hash (`inputContentId`), read only when asked.
   */
  readonly etag?: string;
  /** Last modified, in milliseconds since 1970, where known. */
  readonly modified?: number;
}
