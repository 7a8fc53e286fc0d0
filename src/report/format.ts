/** Text for HTML and SVG: element content and quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]);
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** `950`, `12k`, `1.2M`: axis labels. */
export function compact(value: number): string {
  const abs = Math.abs(value);
  const scaled = (divisor: number, unit: string): string => `${trim(value / divisor)}${unit}`;
  if (abs >= 1e9) return scaled(1e9, "G");
  if (abs >= 1e6) return scaled(1e6, "M");
  if (abs >= 1e3) return scaled(1e3, "k");
  return trim(value);
}

/** At most one decimal, none when it is zero. */
function trim(value: number): string {
  const rounded = Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 10) / 10;
  return String(rounded);
}

/** A duration for people: `0.8 ms`, `120 ms`, `4.2 s`, `3 min 5 s`, `1 h 2 min`. */
export function duration(ms: number): string {
  if (ms === 0) return "0";
  if (ms < 10) return `${(Math.round(ms * 10) / 10).toString()} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(Math.round(ms / 100) / 10).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min${seconds % 60 ? ` ${seconds % 60} s` : ""}`;
  const minutes = Math.round(seconds / 60);
  return `${Math.floor(minutes / 60)} h${minutes % 60 ? ` ${minutes % 60} min` : ""}`;
}

/** Time-axis labels, short: `0s`, `45s`, `2m`, `2m30s`, `1h`, `1h15m`. */
export function clock(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${s % 60 ? `${s % 60}s` : ""}`;
  const m = Math.round(s / 60);
  return `${Math.floor(m / 60)}h${m % 60 ? `${m % 60}m` : ""}`;
}

/** Gridline values from 0 to at least `max`, about `target` of them, at 1, 2 or 5 × 10ⁿ steps. */
export function niceTicks(max: number, target = 4): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / target;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= rough)!;
  const ticks: number[] = [];
  for (let value = 0; value < max + step * 1e-9; value += step) ticks.push(round(value));
  if (ticks[ticks.length - 1] < max) ticks.push(round(ticks[ticks.length - 1] + step));
  return ticks;
}

/** Seconds between time-axis labels, for about `target` of them over `seconds`. */
export function timeStep(seconds: number, target = 8): number {
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];
  return steps.find((step) => seconds / step <= target) ?? Math.ceil(seconds / target / 86400) * 86400;
}

const round = (value: number): number => Math.round(value * 1e9) / 1e9;
