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

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(",").map((item) => item.trim()).filter(Boolean)];
}
