/** The process exit codes of DESIGN.md, the contract scripts and schedulers rely on. */
export const EXIT_OK = 0;
/** The run failed or was stopped; it can be resumed. */
export const EXIT_FAILED = 1;
/** Invalid pipeline or arguments; nothing was written. */
export const EXIT_INVALID = 2;
/** Finished, but some rows were rejected into the dead-letter file. */
export const EXIT_REJECTED = 3;
