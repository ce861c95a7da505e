import { defineConfig } from "@playwright/test";

/** Debian's Chromium (apt), never a browser download. Override with CHROMIUM_PATH. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const PORT = Number(process.env.LYKTA_E2E_PORT ?? 4173);
/** The built app to serve; a separate directory lets two test runs build side by side. */
const DIST = process.env.LYKTA_DIST ?? "dist";

export default defineConfig({
  testDir: "test/e2e",
  testMatch: "**/*.spec.ts",
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"], ["json"]],
  outputDir: `.cache/test-results-${PORT}`,
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    browserName: "chromium",
    // A tablet, held in landscape, with touch.
    viewport: { width: 1180, height: 820 },
    hasTouch: true,
    locale: "sv-SE",
    timezoneId: "Europe/Stockholm",
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
    trace: "off",
    screenshot: "only-on-failure",
  },
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort --outDir ${DIST}`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
