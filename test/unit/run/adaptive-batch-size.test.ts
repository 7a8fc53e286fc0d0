import { describe, expect, it } from "vitest";
import { AdaptiveBatchSize } from "../../../src/run/adaptive-batch-size.js";

describe("AdaptiveBatchSize", () => {
  const settings = { initial: 1000, min: 100, max: 20_000, targetMs: 500 };

  it("moves towards the size that takes the target time, at most doubling per batch", () => {
    const size = new AdaptiveBatchSize(settings);
    size.observe(1000, 100); // 10 rows/ms: 5,000 rows would take 500 ms
    expect(size.current).toBe(1500);
    for (let i = 0; i < 20; i++) size.observe(size.current, size.current / 10);
    expect(size.current).toBeGreaterThan(4900);
    expect(size.current).toBeLessThanOrEqual(5000);
  });

  it("shrinks when batches get slow, halves on memory errors, and stays within its bounds", () => {
    const size = new AdaptiveBatchSize(settings);
    size.observe(1000, 2000);
    expect(size.current).toBe(750);
    size.shrink(750);
    expect(size.current).toBe(375);
    for (let i = 0; i < 10; i++) size.shrink(size.current);
    expect(size.current).toBe(100);
    for (let i = 0; i < 50; i++) size.observe(size.current, 1);
    expect(size.current).toBe(20_000);
  });

  it("ignores short final batches", () => {
    const size = new AdaptiveBatchSize(settings);
    size.observe(10, 1000);
    expect(size.current).toBe(1000);
  });
});
