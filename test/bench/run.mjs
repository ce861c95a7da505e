#!/usr/bin/env node
/**
 * `npm run bench`: build the app into its own directory, serve it on its own port, and
 * measure in Debian's Chromium what a walk team feels, each against the obvious alternative
 * in the same run (../shared/STYLE.md "Tests and benchmarks"):
 *
 *   1. reload to an interactive map, offline, 10,000 observations vs none; read paths
 *   2. tap "Spara" to a durable write, through the UI; strict vs relaxed durability
 *   3. JavaScript shipped, gzipped vs raw
 *   4. stored size of a 12-megapixel photo vs the original, and the time to process it
 *   5. merging 10,000 records field by field vs a naive JSON compare (vitest bench); 5b two
 *      50,000-record packages, read, merged and written as `lykta merge` does
 *   6. importing 30,000 street lamps through the UI; long tasks vs parsing on the main thread
 *   7. grouping 100,000 observations into sites; 5,000 vs all pairs; "nearby" on a GPS fix
 *      (vitest bench)
 *   8. lighting analysis: Helsinki and a 2,200 km / 47,000-lamp synthetic city; coverage,
 *      illuminance, all pairs on a part, scenarios (vitest bench); `lykta lighting` against
 *      SpatiaLite/GEOS as whole processes (test/bench/lighting.mjs)
 *  10. the budget plan: a multiple-choice knapsack over 5,000 candidates at 10 MSEK / 100 SEK,
 *      exact vs a plain DP, and the LP greedy (vitest bench)
 *  11. the budget plan for the synthetic city (3,000 reports of 60 walks): sites, lighting,
 *      candidates, selection at 2 and 10 MSEK, the curve; scenarios incremental vs a fresh
 *      model, the knapsack vs a plain DP (vitest bench)
 *
 *  12. the sync server (`lykta serve`) on loopback, PGlite and PostgreSQL: 50 simulated tablets
 *      syncing at once, records/s, p95 of a 100-record push, server memory; vs one record a
 *      request (test/bench/sync-load.ts)
 *
 * Benchmarks report numbers; they are not tests. Exit code 0 unless something failed to
 * run. Fixed sizes, seeded PRNG (mulberry32).
 */
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { benchImport } from "./import.mjs";
import {
  CHROMIUM_PATH,
  collectErrors,
  kb,
  launchTablet,
  ms,
  mulberry32,
  printTable,
  runCommand,
  startPreview,
  summarise,
} from "./lib.mjs";
import { benchLighting, LIGHTING_TARGETS } from "./lighting.mjs";
import { benchLightingUi } from "./lighting-ui.mjs";
import { benchMapLoad } from "./map-load.mjs";
import { makePhotos } from "./photos.mjs";
import { makeFixture } from "./seed.mjs";
import { benchSizes } from "./sizes.mjs";
import { benchSync } from "./sync.mjs";
import {
  createProjectAndWalk,
  durabilityInPage,
  grantGps,
  photoRun,
  pointCategoryLabels,
  saveLoop,
  takeSaveMeasures,
} from "./ui.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const OUT_DIR = ".cache/dist-bench";
const PORT = Number(process.env.LYKTA_BENCH_PORT ?? 4192);
const SIZES = {
  observations: 10_000,
  reloads: 7,
  saves: 60,
  savesBigWalk: 10,
  durabilityRounds: 60,
};
/** `npm run bench -- map save` runs only those parts (the build always runs). */
const PARTS = [
  "size",
  "map",
  "save",
  "photo",
  "merge",
  "import",
  "sites",
  "lighting",
  "lighting-ui",
  "plan",
  "plan-city",
  "sync",
];
const TARGETS = {
  interactiveMs: 1500,
  saveP95Ms: 50,
  photoBytes: 400 * 1024,
  importMs: 5000,
  longTaskMs: 200,
  sitesMs: 150,
  planMs: 500,
};
/** The whole run is stopped (and cleaned up) if it takes longer than this. */
const WATCHDOG_MS = 10 * 60_000;

const cleanups = [];
async function cleanUp() {
  while (cleanups.length > 0) {
    const step = cleanups.pop();
    await step().catch((error) => console.error(`cleanup: ${error.message}`));
  }
}
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping`);
    void cleanUp().then(() => process.exit(130));
  });
}

const phaseStarted = Date.now();
const elapsed = () => `${((Date.now() - phaseStarted) / 1000).toFixed(0)} s`;
const log = (text) => console.log(`[${elapsed()}] ${text}`);

function machine() {
  let chromiumVersion = "unknown";
  try {
    chromiumVersion = execFileSync(CHROMIUM_PATH, ["--version"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    // Reported as unknown.
  }
  const nproc = execFileSync("nproc", { encoding: "utf8" }).trim();
  return { nproc, node: process.version, chromium: chromiumVersion };
}

const loadAverage = () =>
  `${loadavg()
    .map((value) => value.toFixed(2))
    .join(" / ")} (1 / 5 / 15 min)`;

/** Records going into each merge benchmark group, for the "per record" column. */
const MERGE_GROUP_RECORDS = {
  "merge 10,000 records": 10_000,
  "merge two 50,000-record packages": 100_000,
};

async function benchMergeWithVitest() {
  const report = join(root, ".cache", "bench-merge.json");
  rmSync(report, { force: true });
  await runCommand(
    "npx",
    ["vitest", "bench", "--run", "test/bench/merge.bench.ts", "--outputJson", report],
    { cwd: root, env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" } },
  );
  const json = JSON.parse(readFileSync(report, "utf8"));
  const benchmarks = [];
  for (const [index, group] of json.files[0].groups.entries()) {
    const title = group.fullName.split(" > ").at(-1);
    const records = MERGE_GROUP_RECORDS[title];
    const fastest = Math.min(...group.benchmarks.map((entry) => entry.median));
    const runs = Math.min(...group.benchmarks.map((entry) => entry.sampleCount));
    printTable(
      `5${index === 0 ? "" : String.fromCharCode(97 + index)}. ${title} (vitest bench, Node; ${runs} runs each after warm-up)`,
      ["approach", "median", "min", "max", "per record", "vs fastest"],
      group.benchmarks.map((entry) => [
        entry.name,
        ms(entry.median),
        ms(entry.min),
        ms(entry.max),
        records ? `${((entry.median * 1000) / records).toFixed(1)} µs` : "-",
        `${(entry.median / fastest).toFixed(2)}x`,
      ]),
    );
    benchmarks.push(...group.benchmarks);
  }
  return benchmarks;
}

/** A time for a table: milliseconds, or microseconds below one. */
const time = (value) => (value < 1 ? `${(value * 1000).toFixed(0)} µs` : ms(value));

/**
 * Run a `vitest bench` file and print a table per describe group, numbered `number` (one
 * group) or `number` + a, b, ... (several); returns the groups of the JSON report.
 */
async function vitestBenchTables(file, number) {
  const report = join(root, ".cache", `bench-${number}.json`);
  rmSync(report, { force: true });
  await runCommand("npx", ["vitest", "bench", "--run", file, "--outputJson", report], {
    cwd: root,
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
  });
  const groups = JSON.parse(readFileSync(report, "utf8")).files[0].groups;
  for (const [index, group] of groups.entries()) {
    const fastest = Math.min(...group.benchmarks.map((entry) => entry.median));
    const runs = Math.min(...group.benchmarks.map((entry) => entry.sampleCount));
    const label =
      groups.length === 1 ? `${number}.` : `${number}${String.fromCharCode(97 + index)}.`;
    printTable(
      `${label} ${group.fullName.split(" > ").at(-1)} (vitest bench, Node; ${runs}+ runs each after warm-up)`,
      ["approach", "median", "min", "max", "vs fastest"],
      group.benchmarks.map((entry) => [
        entry.name,
        time(entry.median),
        time(entry.min),
        time(entry.max),
        `${(entry.median / fastest).toFixed(2)}x`,
      ]),
    );
  }
  return groups;
}

async function benchSitesWithVitest() {
  const groups = await vitestBenchTables("test/bench/sites.bench.ts", 7);
  // The first group is the 100,000-observation grouping: the partition (groupSiteIndex), then
  // the same with every Site object built (groupSites).
  const [partition, objects] = groups[0].benchmarks;
  return { partition, objects };
}

async function benchPlanWithVitest() {
  const [group] = await vitestBenchTables("test/bench/plan.bench.ts", 10);
  // The first entry is the exact solver, the figure the target applies to.
  return { exact: group.benchmarks[0] };
}

async function main() {
  const info = machine();
  console.log(
    `Lykta benchmarks, ${new Date().toISOString().slice(0, 10)}: ${info.nproc} cores, Node ${info.node}, ${info.chromium}`,
  );
  // Other work on the machine skews every figure: say how busy it was.
  console.log(`load average at start: ${loadAverage()}`);
  if (loadavg()[0] > Number(info.nproc)) {
    console.log("note: the machine is busy with other work; times will be slower than usual");
  }

  const only = process.argv.slice(2);
  const unknown = only.filter((part) => !PARTS.includes(part));
  if (unknown.length > 0) throw new Error(`unknown part ${unknown}; parts: ${PARTS.join(" ")}`);
  const wants = (part) => only.length === 0 || only.includes(part);
  /** Rows of the summary, by part, printed in the order of the targets. */
  const summary = new Map();
  const verdict = (ok) => (ok ? "PASS" : "MISS");
  const labels = pointCategoryLabels(root);

  log(`building into ${OUT_DIR}`);
  await runCommand("npx", ["vite", "build", "--outDir", OUT_DIR], {
    cwd: root,
    env: { ...process.env, NO_COLOR: "1" },
  });
  if (wants("size")) {
    const sizes = benchSizes(join(root, OUT_DIR));
    summary.set("size", [
      "JS gzipped, total (app code)",
      `${kb(sizes.total.gzip)} (${kb(sizes.parts["app code"]?.gzip ?? 0)})`,
      "-",
      "info",
    ]);
  }

  let photos;
  if (wants("photo")) {
    log("making 12-megapixel test photos (cached in .cache/bench-photos)");
    photos = await makePhotos(root);
    if (photos.madeMs > 0) log(`photos made in ${photos.madeMs} ms`);
  }

  const needsBrowser = ["map", "save", "photo", "import", "lighting-ui"].some(wants);
  const server = needsBrowser
    ? await startPreview({ root, outDir: OUT_DIR, port: PORT })
    : { url: "", stop: async () => undefined };
  cleanups.push(server.stop);
  if (needsBrowser) log(`serving ${server.url}`);

  // ---- 1: offline reload to an interactive map (and saves in that big walk) --------------
  let bigSaves = null;
  if (wants("map")) {
    log(`1. seeding ${SIZES.observations.toLocaleString("en")} observations, offline reloads`);
    const load = await benchMapLoad({
      root,
      url: server.url,
      reloads: SIZES.reloads,
      count: SIZES.observations,
    });
    cleanups.push(load.close);
    summary.set("map", [
      `offline reload -> interactive map, ${SIZES.observations.toLocaleString("en")} obs. (median)`,
      ms(load.big.median),
      `< ${TARGETS.interactiveMs} ms`,
      verdict(load.big.median < TARGETS.interactiveMs),
    ]);
    log(`1c. ${SIZES.savesBigWalk} saves through the UI in the big walk, offline`);
    await grantGps(load.context);
    await load.page.goto("about:blank");
    await load.page.goto(`${server.url}#/walk/${load.fixture.walk.id}`);
    await load.page.locator('[data-testid="map"][data-ready="true"]').waitFor({ timeout: 60_000 });
    await takeSaveMeasures(load.page);
    const loopMs = await saveLoop(load.page, load.context, {
      times: SIZES.savesBigWalk,
      labels,
      random: mulberry32(7),
    });
    bigSaves = { values: await takeSaveMeasures(load.page), loopMs };
    const bigStats = summarise(bigSaves.values);
    printTable(
      `1c. Tap "Spara" to durable save in the walk with ${SIZES.observations.toLocaleString("en")} observations, offline (app measure "lykta:save")`,
      ["what", "n", "p50", "p95", "min", "max", "UI loop per save"],
      [
        [
          "UI: 3 taps, as in benchmark 2",
          bigStats.n,
          ms(bigStats.median),
          ms(bigStats.p95),
          ms(bigStats.min),
          ms(bigStats.max),
          `${(loopMs / SIZES.savesBigWalk / 1000).toFixed(2)} s`,
        ],
      ],
    );
    await load.close();
    cleanups.pop();
  }

  // ---- 2 and 4: a fresh tablet, a walk made through the UI, saves and photos ---------------
  if (wants("save") || wants("photo")) {
    const tablet = await launchTablet();
    cleanups.push(tablet.close);
    const page = tablet.context.pages()[0] ?? (await tablet.context.newPage());
    const errors = collectErrors(page);
    await grantGps(tablet.context);
    await createProjectAndWalk(page, server.url);
    if (wants("save")) {
      log(`2. ${SIZES.saves} saves through the UI in a new walk`);
      const loopMs = await saveLoop(page, tablet.context, {
        times: SIZES.saves,
        labels,
        random: mulberry32(11),
      });
      const saves = await takeSaveMeasures(page);
      if (saves.length !== SIZES.saves) {
        throw new Error(`expected ${SIZES.saves} lykta:save measures, got ${saves.length}`);
      }
      const sampleRecord = makeFixture(root, { count: 1 }).observations[0];
      const durability = await durabilityInPage(page, sampleRecord, SIZES.durabilityRounds);
      const rows = [
        ["UI: tap Spara -> durable write, new walk", saves],
        ...(bigSaves
          ? [
              [
                `UI: same, walk with ${SIZES.observations.toLocaleString("en")} observations, offline`,
                bigSaves.values,
              ],
            ]
          : []),
        ['raw put, 1 record, durability "strict"', durability.strict],
        ['raw put, 1 record, durability "relaxed"', durability.relaxed],
      ].map(([what, values]) => {
        const stats = summarise(values);
        return [what, stats.n, ms(stats.median), ms(stats.p95), ms(stats.min), ms(stats.max)];
      });
      printTable(
        '2. Tap "Spara" to persisted save (app measure "lykta:save") vs a raw IndexedDB put',
        ["what", "n", "p50", "p95", "min", "max"],
        rows,
      );
      const perSave = (total, count) => `${(total / count / 1000).toFixed(2)} s`;
      console.log(
        `   UI loop (3 taps + form closed, driven by Playwright), per save: ${perSave(loopMs, SIZES.saves)} new walk` +
          (bigSaves ? `, ${perSave(bigSaves.loopMs, SIZES.savesBigWalk)} big walk` : ""),
      );
      const saveStats = summarise(saves);
      summary.set("save", [
        "tap Spara -> durable save (p95)",
        ms(saveStats.p95),
        `< ${TARGETS.saveP95Ms} ms`,
        verdict(saveStats.p95 < TARGETS.saveP95Ms),
      ]);
    }

    if (wants("photo")) {
      log("4. photos through the observation form");
      const photoResults = await photoRun(page, photos.photos);
      printTable(
        "4. A 12-megapixel JPEG through the photo input: stored vs original",
        [
          "photo",
          "EXIF orient.",
          "original",
          "stored",
          "stored/orig.",
          "stored px",
          "EXIF kept",
          "chosen -> stored",
          "wall",
        ],
        photoResults.map((result, index) => [
          `photo-${index + 1}.jpg 4000x3000`,
          result.orientation,
          kb(result.originalSize),
          kb(result.size),
          `${((100 * result.size) / result.originalSize).toFixed(1)}%`,
          `${result.width}x${result.height}`,
          result.app1 ? "yes" : "no",
          ms(result.pageMs),
          ms(result.wallMs),
        ]),
      );
      const largestPhoto = Math.max(...photoResults.map((result) => result.size));
      summary.set("photo", [
        "stored photo from 12 MP JPEG (largest)",
        kb(largestPhoto),
        `<= ${kb(TARGETS.photoBytes)}`,
        verdict(largestPhoto <= TARGETS.photoBytes),
      ]);
    }
    console.log(`   console errors on the tablet: ${errors.length}`);
    for (const error of errors.slice(0, 5)) console.log(`   ! ${error}`);
    await tablet.close();
    cleanups.pop();
  }
  // ---- 6: import a city's lamps through the UI ----------------------------------------------
  if (wants("import")) {
    log("6. importing 29,969 Montpellier lamps through the UI");
    const result = await benchImport({ root, url: server.url });
    summary.set("import", [
      "import 30,000 lamps (Montpellier), file -> stored",
      ms(result.importMs),
      `< ${TARGETS.importMs} ms`,
      verdict(result.importMs < TARGETS.importMs),
    ]);
    summary.set("longtask", [
      "longest main-thread task during that import",
      ms(result.longest),
      `< ${TARGETS.longTaskMs} ms`,
      verdict(result.longest < TARGETS.longTaskMs),
    ]);
  }

  // ---- 9: the lighting analysis in the app ------------------------------------------------
  if (wants("lighting-ui")) {
    log("9. lighting analysis of Helsinki's centre through the UI");
    const result = await benchLightingUi({ root, url: server.url });
    const longest = Math.max(...result.rows.map((row) => row.longestMs));
    summary.set("lighting-ui", [
      "longest main-thread task during the app's lighting analysis",
      ms(longest),
      `< ${TARGETS.longTaskMs} ms`,
      verdict(longest < TARGETS.longTaskMs),
    ]);
  }

  await server.stop();
  cleanups.pop();

  // ---- 5: merge, in Node --------------------------------------------------------------------
  if (wants("merge")) {
    log("5. merge (vitest bench)");
    await benchMergeWithVitest();
  }

  // ---- 7: sites, in Node --------------------------------------------------------------------
  if (wants("sites")) {
    log("7. sites (vitest bench)");
    const grouping = await benchSitesWithVitest();
    summary.set("sites", [
      "group 100,000 observations into sites (partition, median)",
      ms(grouping.partition.median),
      `< ${TARGETS.sitesMs} ms`,
      verdict(grouping.partition.median < TARGETS.sitesMs),
    ]);
    summary.set("sites-objects", [
      "the same with every Site object built (median)",
      ms(grouping.objects.median),
      "-",
      "info",
    ]);
  }

  // ---- 8: lighting, in Node and as whole processes ---------------------------------------
  if (wants("lighting")) {
    const lighting = await benchLighting({ root, log });
    const T = LIGHTING_TARGETS;
    summary.set("lighting-coverage", [
      "lighting: city coverage compute (median)",
      ms(lighting.coverageMs),
      `< ${T.coverageMs} ms`,
      verdict(lighting.coverageMs < T.coverageMs),
    ]);
    summary.set("lighting-parse", [
      "lighting: city analysis / JSON.parse of its inputs",
      `${lighting.analysisToParse.toFixed(2)}x`,
      `<= ${T.analysisToParse}x`,
      verdict(lighting.analysisToParse <= T.analysisToParse),
    ]);
    summary.set("lighting-illuminance", [
      "lighting: city illuminance at 1 m (median)",
      ms(lighting.illuminanceMs),
      `< ${T.illuminanceMs} ms`,
      verdict(lighting.illuminanceMs < T.illuminanceMs),
    ]);
    summary.set("lighting-geos", [
      "lighting: SpatiaLite/GEOS / lykta lighting, whole processes",
      `${lighting.processRatio.toFixed(1)}x`,
      `>= ${T.processRatio}x`,
      verdict(lighting.processRatio >= T.processRatio),
    ]);
    summary.set("lighting-geos-cpu", [
      "lighting: the same in CPU time (user + system), for reference",
      `${lighting.processCpuRatio.toFixed(1)}x`,
      "",
      "",
    ]);
    summary.set("lighting-geos-compute", [
      "lighting: GEOS query / Lykta coverage compute",
      `${lighting.computeRatio.toFixed(0)}x`,
      `>= ${T.processRatio}x`,
      verdict(lighting.computeRatio >= T.processRatio),
    ]);
    summary.set("lighting-agreement", [
      "lighting: unlit length, lykta vs GEOS",
      `${(100 * lighting.agreement).toFixed(3)} %`,
      `< ${100 * T.unlitAgreement} %`,
      verdict(lighting.agreement < T.unlitAgreement),
    ]);
  }

  // ---- 10: the budget plan, in Node ---------------------------------------------------------
  if (wants("plan")) {
    log("10. budget plan knapsack (vitest bench)");
    const plan = await benchPlanWithVitest();
    summary.set("plan", [
      "exact budget plan, 5,000 candidates, 10 MSEK at 100 SEK (median)",
      ms(plan.exact.median),
      `< ${TARGETS.planMs} ms`,
      verdict(plan.exact.median < TARGETS.planMs),
    ]);
  }

  // ---- 11: the budget plan for the synthetic city, in Node ------------------------------------
  if (wants("sync")) {
    log("12. sync server: 50 tablets at once, PGlite and PostgreSQL (test/bench/sync-load.ts)");
    const results = await benchSync(root);
    const batched = results?.filter((result) => result.approach.startsWith("100")) ?? [];
    summary.set("sync", [
      "sync: records pushed/s, 50 tablets (PGlite / PostgreSQL)",
      batched.map((result) => result.pushedPerS.toFixed(0)).join(" / ") || "-",
      "-",
      "info",
    ]);
  }
  if (wants("plan-city")) {
    log("11. budget plan for the synthetic city (vitest bench)");
    const [steps] = await vitestBenchTables("test/bench/plan-city.bench.ts", 11);
    const step = (name) => steps.benchmarks.find((entry) => entry.name.startsWith(name));
    summary.set("plan-city", [
      "city plan: buildCandidates + selectPlan at 10 MSEK (medians)",
      ms(step("buildCandidates").median + step("selectPlan at 10 MSEK").median),
      "-",
      "info",
    ]);
  }

  printTable(
    "Summary",
    ["figure", "measured", "target", "result"],
    [
      "map",
      "save",
      "size",
      "photo",
      "import",
      "longtask",
      "lighting-ui",
      "sites",
      "sites-objects",
      "plan",
      "plan-city",
      "lighting-coverage",
      "lighting-parse",
      "lighting-illuminance",
      "lighting-geos",
      "lighting-geos-compute",
      "lighting-agreement",
      "sync",
    ]
      .filter((part) => summary.has(part))
      .map((part) => summary.get(part)),
  );
  console.log(`\nload average at end: ${loadAverage()}`);
  log("done");
}

const watchdog = setTimeout(() => {
  console.error(`bench: still running after ${WATCHDOG_MS / 60_000} minutes; stopping`);
  void cleanUp().then(() => process.exit(1));
}, WATCHDOG_MS);

try {
  await main();
  clearTimeout(watchdog);
  await cleanUp();
} catch (error) {
  clearTimeout(watchdog);
  console.error(`\nbench failed: ${error.stack ?? error}`);
  await cleanUp();
  process.exit(1);
}
