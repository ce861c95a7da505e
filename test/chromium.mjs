/**
 * Debian's Chromium (apt), never a browser download, and the flags it needs here: shared by
 * the end-to-end tests (playwright.config.ts) and the benchmarks (test/bench). Plain ESM so
 * Node runs it without a compiler. CHROMIUM_PATH overrides the path.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Without the networking flags Chromium's own connections fail on a closed network. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
