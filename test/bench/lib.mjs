/**
 * Shared helpers for the benchmarks: a seeded PRNG, statistics, plain-text tables, the
 * preview server and Debian's Chromium. Plain Node ESM (Node 20 runs no .ts files).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../chromium.mjs";

export { CHROMIUM_ARGS, CHROMIUM_PATH };

/** Name part of the URL fetched to check that the network is really cut off. */
export const OFFLINE_PROBE = "bench-offline-probe";

/** Deterministic PRNG (mulberry32), the same as src/domain/ids.ts. */
export function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---- statistics ---------------------------------------------------------------------------

/** Nearest-rank percentile (p in 0..100) of a list of numbers. */
export function percentile(values, p) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

export function summarise(values) {
  return {
    n: values.length,
    median: percentile(values, 50),
    p95: percentile(values, 95),
    min: Math.min(...values),
    max: Math.max(...values),
  };
}

export const ms = (value) => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : "-");
export const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

// ---- tables -------------------------------------------------------------------------------

/** Print a plain-text table; numeric-looking cells are right-aligned. */
export function printTable(title, headers, rows) {
  const cells = [headers, ...rows].map((row) => row.map((cell) => String(cell)));
  const widths = headers.map((_, column) =>
    Math.max(...cells.map((row) => (row[column] ?? "").length)),
  );
  const numeric = (text) => /^[-+]?[\d.,]+( ?(ms|µs|KB|MB|x|%|px|s))?$/.test(text);
  const line = (row) =>
    row
      .map((cell, column) =>
        numeric(cell) ? cell.padStart(widths[column]) : cell.padEnd(widths[column]),
      )
      .join("  ")
      .trimEnd();
  const out = [
    "",
    title,
    line(cells[0]),
    widths.map((width) => "-".repeat(width)).join("  "),
    ...cells.slice(1).map(line),
  ];
  console.log(out.join("\n"));
}

// ---- processes ----------------------------------------------------------------------------

/** Run a command to completion; resolves with its output, rejects on a non-zero exit. */
export function runCommand(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], ...options });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`${command} ${args.join(" ")} exited ${code}\n${output}`));
    });
  });
}

/**
 * Start `vite preview` in its own process group (npx -> node), wait until it answers, and
 * return a stop function that ends that group only.
 */
export async function startPreview({ root, outDir, port }) {
  const child = spawn(
    "npx",
    [
      "vite",
      "preview",
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
      "--strictPort",
      "--outDir",
      outDir,
    ],
    { cwd: root, detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  let exited = false;
  child.stdout.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr.on("data", (chunk) => {
    output += chunk;
  });
  const closed = new Promise((resolve) => child.on("close", resolve));
  closed.then(() => {
    exited = true;
  });
  const stop = async () => {
    if (exited) return;
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }, 3000);
    await closed;
    clearTimeout(timer);
  };
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`vite preview exited early:\n${output}`);
    try {
      const response = await fetch(url);
      if (response.ok) return { url, stop };
    } catch {
      // Not up yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop();
  throw new Error(`vite preview did not answer on ${url}:\n${output}`);
}

/**
 * A fresh Chromium profile on disk (not incognito: IndexedDB durability and the service
 * worker behave as on a tablet). A tablet in landscape, with touch, in Swedish.
 */
export async function launchTablet(options = {}) {
  const profile = mkdtempSync(join(tmpdir(), "lykta-bench-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 1180, height: 820 },
    hasTouch: true,
    locale: "sv-SE",
    timezoneId: "Europe/Stockholm",
    serviceWorkers: "allow",
    ...options,
  });
  const close = async () => {
    await context.close().catch(() => undefined);
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, close };
}

/** Console errors and page errors of a page (not the benchmark's own offline probes). */
export function collectErrors(page) {
  const errors = [];
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    if (message.location().url.includes(OFFLINE_PROBE)) return;
    errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  return errors;
}

/** Wait until a performance mark exists in the page; returns its startTime (ms). */
export async function waitForMark(page, name, timeout = 60_000) {
  const handle = await page.waitForFunction(
    (markName) => {
      const entries = performance.getEntriesByName(markName, "mark");
      return entries.length > 0 ? entries[0].startTime : false;
    },
    name,
    { timeout, polling: 50 },
  );
  return handle.jsonValue();
}

/**
 * Record the page's long tasks (main-thread tasks over 50 ms, PerformanceObserver
 * "longtask") in `window.__longTasks` as { start, duration }, from the first script on.
 */
export async function recordLongTasks(page) {
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        window.__longTasks.push({ start: entry.startTime, duration: entry.duration });
      }
    }).observe({ type: "longtask", buffered: true });
  });
}
