import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { findOrInstall } from "./debian-packages.js";

/**
 * Headless Chromium for tests that look at a page as a browser does: the DOM after
 * loading, what the page logged to the console (CSP violations included), a screenshot.
 * The browser's own background traffic (updates, sync) is switched off as far as flags go.
 */

const CANDIDATES = ["chromium", "chromium-browser", "google-chrome-stable", "google-chrome"];

function findChromium(): string | undefined {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  for (const name of CANDIDATES) {
    const found = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" });
    if (found.status === 0 && found.stdout.trim()) return found.stdout.trim();
  }
  return undefined;
}

/**
 * The browser binary: $CHROMIUM, else the first candidate on the PATH, installed from
 * Debian's packages when missing and this process may. Throws saying what to install.
 */
export async function chromiumPath(): Promise<string> {
  return findOrInstall(["chromium"], findChromium, "no Chromium for the browser tests: install it (Debian: apt-get install -y chromium) or set CHROMIUM to the browser's path");
}

export interface ChromiumResult {
  readonly stdout: string;
  /** Lines the page logged to its console, CSP violations included. */
  readonly console: string[];
}

/** Opens `file` in a fresh profile with `args` (e.g. `--dump-dom`) and waits for the browser to exit. */
export async function openInChromium(file: string, args: readonly string[], timeoutMs = 60_000): Promise<ChromiumResult> {
  const browser = await chromiumPath();
  const profile = mkdtempSync(join(tmpdir(), "graphload-chromium-"));
  const flags = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    `--user-data-dir=${profile}`,
    // Console messages, CSP violations among them, go to stderr as `…:CONSOLE…] "message"`.
    "--enable-logging=stderr",
    "--v=0",
    ...args,
    pathToFileURL(file).href,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(browser, flags, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`chromium did not finish within ${timeoutMs} ms: ${stderr.slice(-2000)}`));
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      rmSync(profile, { recursive: true, force: true });
      if (code !== 0) return reject(new Error(`chromium exited with ${code}: ${stderr.slice(-2000)}`));
      resolve({ stdout, console: stderr.split("\n").filter((line) => line.includes(":CONSOLE")) });
    });
  });
}

/** Width and height of a PNG, from its header. */
export function pngSize(png: Buffer): { width: number; height: number } {
  if (png.subarray(1, 4).toString("latin1") !== "PNG") throw new Error("not a PNG");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}
