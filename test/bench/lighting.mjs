/**
 * Benchmark 8: the lighting analysis. Runs test/bench/lighting.bench.ts through `vitest bench`
 * (8a-8e: Helsinki, the synthetic city, the all-pairs alternative, scenarios; Node, one
 * thread), then times whole processes on the same synthetic city (8f): `lykta lighting`
 * against SpatiaLite/GEOS, the engine QGIS uses, loading the same GeoJSON with ogr2ogr and
 * computing the same coverage (R = 20 m; lamp circles as 64-segments-per-quarter buffers).
 *
 * The GEOS query is the form a GIS runs in reasonable time, per path with a spatial index
 * (what QGIS's Difference tool does): the union of the circles that can touch the path,
 * then the difference. The literal form of the reference check (docs/lighting.md), one
 * union of all circles and then every path's difference with it, takes about 45 s for the
 * union and about a second per path after it on this city (hours), so it is not run here.
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { ms, printTable, runCommand } from "./lib.mjs";

export const LIGHTING_TARGETS = {
  coverageMs: 200,
  analysisToParse: 1.5,
  illuminanceMs: 1000,
  processRatio: 100,
  unlitAgreement: 0.005,
};

/** The SQL SpatiaLite runs on the city (EPSG:3010, SWEREF 99 16 30: scale 1 at 16.5° E). */
export const CITY_GEOS_SQL = `CREATE TABLE circles AS SELECT ST_Buffer(geom, 20, 64) AS geom FROM lamps;
SELECT RecoverGeometryColumn('circles', 'geom', 3010, 'POLYGON', 'XY');
SELECT CreateSpatialIndex('circles', 'geom');
WITH near AS (
  SELECT p.geom AS g,
    (SELECT ST_Union(c.geom) FROM circles c WHERE c.ROWID IN (
       SELECT ROWID FROM SpatialIndex WHERE f_table_name = 'circles' AND search_frame = p.geom)) AS u
  FROM paths p)
SELECT count(*), sum(ST_Length(g)),
  sum(CASE WHEN u IS NULL THEN ST_Length(g) ELSE coalesce(ST_Length(ST_Difference(g, u)), 0) END)
FROM near;
`;

/**
 * Run a process to completion, with `input` on stdin, through /usr/bin/time; resolves with
 * stdout, the wall time and the CPU time (user + system, all its threads), milliseconds.
 */
function timed(command, args, { cwd, input } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn("/usr/bin/time", ["-f", "lykta-bench-cpu %U %S", command, ...args], {
      cwd,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const wallMs = performance.now() - started;
      const [, user, system] = /lykta-bench-cpu ([\d.]+) ([\d.]+)/.exec(stderr) ?? [0, "0", "0"];
      const cpuMs = 1000 * (Number(user) + Number(system));
      if (code === 0) resolve({ stdout, wallMs, cpuMs });
      else reject(new Error(`${command} ${args.join(" ")} exited ${code}\n${stderr}`));
    });
    child.stdin.end(input ?? "");
  });
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(" / ");
/** Runs of `lykta lighting` after the first (which writes its code cache). */
const CLI_RUNS = 7;
const seconds = (value) => `${(value / 1000).toFixed(2)} s`;
const metres = (value) => `${value.toLocaleString("en", { maximumFractionDigits: 1 })} m`;
const percent = (value) => `${(100 * value).toFixed(3)} %`;

export async function benchLighting({ root, log }) {
  const dir = join(root, ".cache", "bench-lighting");
  mkdirSync(dir, { recursive: true });
  const report = join(dir, "vitest.json");
  rmSync(report, { force: true });
  log("8a-e. lighting (vitest bench)");
  await runCommand(
    "npx",
    ["vitest", "bench", "--run", "test/bench/lighting.bench.ts", "--outputJson", report],
    { cwd: root, env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" } },
  );
  const json = JSON.parse(readFileSync(report, "utf8"));
  const facts = JSON.parse(readFileSync(join(dir, "facts.json"), "utf8"));
  const groups = new Map(
    json.files[0].groups.map((group) => [group.fullName.split(" > ").at(-1), group.benchmarks]),
  );
  const find = (groupStart, nameStart) => {
    for (const [title, benchmarks] of groups) {
      if (!title.startsWith(groupStart)) continue;
      const found = benchmarks.find((entry) => entry.name.startsWith(nameStart));
      if (found) return found;
    }
    throw new Error(`no benchmark "${nameStart}" in "${groupStart}"`);
  };
  const letters = "abcde";
  // 8a Helsinki, 8b city: analysis vs JSON.parse, 8c city compute, 8d all pairs, 8e scenarios.
  [...groups.entries()].forEach(([title, benchmarks], index) => {
    const fastest = Math.min(...benchmarks.map((entry) => entry.median));
    const runs = Math.min(...benchmarks.map((entry) => entry.sampleCount));
    printTable(
      `8${letters[index] ?? index}. ${title} (vitest bench, Node; ${runs}+ runs after warm-up)`,
      ["approach", "median", "min", "max", "vs fastest"],
      benchmarks.map((entry) => [
        entry.name,
        ms(entry.median),
        ms(entry.min),
        ms(entry.max),
        `${(entry.median / fastest).toFixed(2)}x`,
      ]),
    );
  });
  console.log(
    `   city: ${facts.cityPathsKm.toFixed(0)} km of paths in ${facts.cityPaths.toLocaleString("en")} ways, ${facts.cityLamps.toLocaleString("en")} lamps, ${facts.cityMegabytes.toFixed(1)} MB of GeoJSON (seed ${facts.seed}); ` +
      `subset: ${facts.subsetPathsKm.toFixed(1)} km, ${facts.subsetLamps.toLocaleString("en")} lamps; unlit there: index ${metres(facts.subsetUnlitM)}, all pairs ${metres(facts.subsetAllPairsUnlitM)}`,
  );

  // ---- 8f: whole processes on the same city --------------------------------------------------
  log("8f. building the lykta command; lykta lighting and SpatiaLite/GEOS as whole processes");
  await runCommand("npx", ["vite", "build", "--config", "vite.cli.config.ts"], {
    cwd: root,
    env: { ...process.env, NO_COLOR: "1" },
  });
  const paths = join(dir, "city-paths.geojson");
  const lamps = join(dir, "city-lamps.geojson");
  const loadBefore = load();
  // The first run after a build has no code cache (entry.ts writes it): timed on its own.
  rmSync(join(root, "dist-cli/lighting-fast.v8cache"), { force: true });
  const cliRuns = [];
  let cliSummary;
  for (let run = 0; run <= CLI_RUNS; run++) {
    const result = await timed(
      "node",
      [
        join(root, "dist-cli/lykta.js"),
        "lighting",
        "--paths",
        paths,
        "--lamps",
        lamps,
        "--radius",
        "20",
        "-o",
        join(dir, "city-pieces.geojson"),
      ],
      { cwd: dir },
    );
    cliRuns.push(result);
    cliSummary = JSON.parse(result.stdout);
  }
  const [firstRun, ...cachedRuns] = cliRuns;
  const database = join(dir, "city.sqlite");
  rmSync(database, { force: true });
  const loads = [];
  for (const [layer, file, first] of [
    ["paths", paths, true],
    ["lamps", lamps, false],
  ]) {
    loads.push(
      await timed(
        "ogr2ogr",
        [
          ...(first ? ["-f", "SQLite", "-dsco", "SPATIALITE=YES"] : ["-update"]),
          "-t_srs",
          "EPSG:3010",
          "-nln",
          layer,
          "-lco",
          "GEOMETRY_NAME=geom",
          database,
          file,
        ],
        { cwd: dir },
      ),
    );
  }
  const loadMs = loads.reduce((sum, entry) => sum + entry.wallMs, 0);
  const query = await timed("spatialite", ["-silent", database], {
    cwd: dir,
    input: CITY_GEOS_SQL,
  });
  const [, geosPathsM, geosUnlitM] = query.stdout.trim().split("\n").at(-1).split("|").map(Number);
  const geosMs = loadMs + query.wallMs;
  const geosCpuMs = loads.reduce((sum, entry) => sum + entry.cpuMs, 0) + query.cpuMs;
  const cliMs = median(cachedRuns.map((entry) => entry.wallMs));
  const cliCpuMs = median(cachedRuns.map((entry) => entry.cpuMs));
  const coverage = find("synthetic city: compute", "coverage");
  const agreement = Math.abs(cliSummary.unlit_m - geosUnlitM) / geosUnlitM;
  printTable(
    `8f. Coverage of the synthetic city as whole processes, R = 20 m (${facts.cityPathsKm.toFixed(0)} km, ${facts.cityLamps.toLocaleString("en")} lamps)`,
    ["approach", "wall time", "CPU time", "paths", "unlit", "vs lykta (wall)"],
    [
      [
        `lykta lighting (node dist-cli; read, import, analyse, write; median of ${CLI_RUNS})`,
        seconds(cliMs),
        seconds(cliCpuMs),
        metres(cliSummary.paths_m),
        metres(cliSummary.unlit_m),
        "1.00x",
      ],
      [
        "  the first run after the build (no code cache yet; writes it)",
        seconds(firstRun.wallMs),
        seconds(firstRun.cpuMs),
        "",
        "",
        `${(firstRun.wallMs / cliMs).toFixed(2)}x`,
      ],
      [
        "SpatiaLite/GEOS: ogr2ogr load + spatialite query",
        seconds(geosMs),
        seconds(geosCpuMs),
        metres(geosPathsM),
        metres(geosUnlitM),
        `${(geosMs / cliMs).toFixed(1)}x`,
      ],
      ["  of which ogr2ogr (2 layers, to EPSG:3010)", seconds(loadMs), "", "", "", ""],
      ["  of which the spatialite query", seconds(query.wallMs), "", "", "", ""],
      [
        "Lykta coverage compute alone (8c median) vs the query",
        ms(coverage.median),
        "",
        "",
        "",
        `${(query.wallMs / coverage.median).toFixed(0)}x`,
      ],
    ],
  );
  console.log(
    `   lykta wall times (ms): first ${firstRun.wallMs.toFixed(0)}, then ${cachedRuns.map((entry) => entry.wallMs.toFixed(0)).join(", ")}; load average (1 / 5 / 15 min) before 8f ${loadBefore}, after ${load()}`,
  );
  console.log(
    `   unlit length, lykta vs GEOS: ${percent((cliSummary.unlit_m - geosUnlitM) / geosUnlitM)} (lykta: exact circles; GEOS: 256-gons inscribed in them)`,
  );

  const parse = find("synthetic city: analysis", "JSON.parse");
  const analysis = find("synthetic city: analysis", "analysis");
  const illuminance = find("synthetic city: compute", "illuminance");
  return {
    coverageMs: coverage.median,
    analysisToParse: analysis.median / parse.median,
    illuminanceMs: illuminance.median,
    processRatio: geosMs / cliMs,
    processCpuRatio: geosCpuMs / cliCpuMs,
    computeRatio: query.wallMs / coverage.median,
    agreement,
  };
}
