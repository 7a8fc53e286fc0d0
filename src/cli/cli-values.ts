import { InvalidArgumentError } from "commander";

/** Parser for options that take a whole number of at least `min`. */
export function positiveInteger(min = 1): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(number) || number < min) {
      throw new InvalidArgumentError(`expected a whole number of at least ${min}, got "${value}"`);
    }
    return number;
  };
}

/** `--batch-size`: a whole number of rows, or `auto`. */
export function batchSizeValue(value: string): number | "auto" {
  return value.trim() === "auto" ? "auto" : positiveInteger()(value);
}

/** `--data-source NAME=URL`, repeatable, into a map by name. */
export function dataSource(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const at = value.indexOf("=");
  if (at <= 0) throw new InvalidArgumentError(`expected NAME=URL, got "${value}"`);
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
}

/** Tells the user what an import specification asked for that is done differently. */
export function printWarnings(warnings: readonly string[] | undefined): void {
  for (const warning of warnings ?? []) process.stderr.write(`warning: ${warning}\n`);
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(",").map((item) => item.trim()).filter(Boolean)];
}
