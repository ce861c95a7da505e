#!/usr/bin/env node
/**
 * The one test command (`npm test`, also `.ci/run`): installs test packages from apt,
 * then lint, type-check, unit tests, build and end-to-end tests. Ends with one plain line
 * "N passed, N failed, N skipped" that adds up every suite.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cache = join(root, ".cache");
mkdirSync(cache, { recursive: true });

const totals = { passed: 0, failed: 0, skipped: 0 };
const lines = [];

function run(command, args, options = {}) {
  console.log(`\n$ ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", ...options });
  return result.status === 0;
}

function check(name, ok) {
  if (ok) totals.passed += 1;
  else totals.failed += 1;
  lines.push(`${name}: ${ok ? "passed" : "FAILED"}`);
  return ok;
}

const only = process.argv.slice(2);
const wants = (step) => only.length === 0 || only.includes(step);

check("setup (apt packages)", run("bash", ["scripts/setup-test-deps.sh"]));

if (wants("lint")) check("lint (biome)", run("npx", ["biome", "ci", "."]));
if (wants("typecheck")) check("typecheck (tsc)", run("npx", ["tsc", "--noEmit"]));

if (wants("unit")) {
  const report = join(cache, "vitest.json");
  rmSync(report, { force: true });
  run("npx", [
    "vitest",
    "run",
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${report}`,
  ]);
  if (existsSync(report)) {
    const json = JSON.parse(readFileSync(report, "utf8"));
    const passed = json.numPassedTests ?? 0;
    const failed = (json.numFailedTests ?? 0) + (json.numRuntimeErrorTestSuites ?? 0);
    const skipped = (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
    totals.passed += passed;
    totals.failed += failed;
    totals.skipped += skipped;
    lines.push(`unit (vitest): ${passed} passed, ${failed} failed, ${skipped} skipped`);
  } else {
    check("unit (vitest) report", false);
  }
}

if (wants("e2e")) {
  const built = check("build (vite)", run("npx", ["vite", "build"]));
  if (built) {
    const report = join(cache, "playwright.json");
    rmSync(report, { force: true });
    run("npx", ["playwright", "test"], {
      env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: report },
    });
    if (existsSync(report)) {
      const stats = JSON.parse(readFileSync(report, "utf8")).stats ?? {};
      const passed = (stats.expected ?? 0) + (stats.flaky ?? 0);
      const failed = stats.unexpected ?? 0;
      const skipped = stats.skipped ?? 0;
      totals.passed += passed;
      totals.failed += failed;
      totals.skipped += skipped;
      lines.push(`end-to-end (playwright): ${passed} passed, ${failed} failed, ${skipped} skipped`);
    } else {
      check("end-to-end (playwright) report", false);
    }
  }
}

console.log(`\n${lines.join("\n")}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed === 0 ? 0 : 1);
