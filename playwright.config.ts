import { defineConfig } from "@playwright/test";

import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./test/chromium.mjs";

export { CHROMIUM_ARGS, CHROMIUM_PATH };

const PORT = Number(process.env.LYKTA_E2E_PORT ?? 4173);
/** The built app to serve; a separate directory lets two test runs build side by side. */
const DIST = process.env.LYKTA_DIST ?? "dist";

export default defineConfig({
  testDir: "test/e2e",
  testMatch: "**/*.spec.ts",
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  // Two tablets at a time: most of a test's wall time is waiting on the page, not the CPU,
  // so two workers on a 2-core machine take about two thirds of one worker's time.
  workers: Number(process.env.LYKTA_E2E_WORKERS ?? 2),
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
