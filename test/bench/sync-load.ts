/**
 * Benchmark 12, the sync server under load (`npm run bench -- sync`; built and run by
 * test/bench/sync.mjs). Bounded and on loopback only: `lykta serve` on 127.0.0.1, against the
 * embedded PGlite and a PostgreSQL 15 cluster started for the run, and in each:
 *
 *   a. 50 simulated tablets (the client engine, in-memory stores), each with 200 new
 *      observations made offline, sync at once: first every tablet pushes its 200 in batches
 *      of 100 (records pushed a second, the latency of each 100-record push: p50, p95), then
 *      every tablet pulls everything (records pulled a second, 50 x 10,000); the server's
 *      peak memory (RSS).
 *   b. The obvious alternative: one record a request (50 tablets x 20 records).
 *
 * Fixed sizes, seeded PRNG (mulberry32). A benchmark reports numbers; it asserts nothing.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mulberry32 } from "../../src/domain/ids";
import { createObservation, type ObservationFields } from "../../src/domain/observation";
import { SyncHttpError, type SyncTransport, syncOnce } from "../../src/domain/sync/engine";
import { makeTablet, NO_FAULTS, type Tablet } from "../../src/server/sync-simulation";
import {
  bootstrapProject,
  buildServer,
  createCode,
  type Driver,
  joinWith,
  type Postgres,
  type RunningServer,
  startPostgres,
  startServer,
} from "../../src/server/test-harness";

const SIZES = { tablets: 50, records: 200, batch: 100, singleRecords: 20 };
const WATCHDOG_MS = 15 * 60_000;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** Peak and current resident memory of a process, MB (Linux /proc). */
function memoryMb(pid: number): { peak: number; now: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { peak: kb("VmHWM") / 1024, now: kb("VmRSS") / 1024 };
}

function fields(random: () => number): ObservationFields {
  return {
    geometry: { type: "Point", coordinates: [15.1 + random() * 0.2, 59.2 + random() * 0.15] },
    categoryId: "lighting.broken",
    severity: 1 + Math.floor(random() * 5),
    feltUnsafe: ["everyone"],
    note: `Anteckning ${Math.floor(random() * 1e6)}`,
    photoIds: [],
    illuminanceLux: null,
    observedAt: 1_800_000_000_000 + Math.floor(random() * 1e9),
    positionAccuracyM: 5,
    placement: "gps",
  };
}

interface Result {
  driver: Driver;
  approach: string;
  records: number;
  pushWallMs: number;
  pullWallMs: number;
  pulled: number;
  pushedPerS: number;
  pulledPerS: number;
  pushP50Ms: number;
  pushP95Ms: number;
  pushes: number;
  /** Syncs that got a retryable answer (429, 503) and went on after Retry-After. */
  retries: number;
  peakRssMb: number;
}

async function run(
  server: RunningServer,
  driver: Driver,
  approach: string,
  recordsPerTablet: number,
  batch: number,
  seed: number,
): Promise<Result> {
  const { projectId, planner } = await bootstrapProject(server, `bench ${approach}`);
  const random = mulberry32(seed);
  const latencies: number[] = [];
  let pulling = false;
  const tablets: Tablet[] = [];
  for (let index = 0; index < SIZES.tablets; index++) {
    const walkId = `walk-${index}`;
    const code = await createCode(server, planner, { role: "team", walkId });
    const join = await joinWith(server, code.code, `bench-${index}`);
    const tablet = makeTablet({
      serverUrl: server.url,
      join,
      deviceId: `bench-${index}`,
      walkId,
      seed: seed + index,
      faults: () => NO_FAULTS,
    });
    const inner: SyncTransport = tablet.transport;
    tablet.transport = {
      ...inner,
      push: async (request) => {
        const started = performance.now();
        const response = await inner.push(request);
        latencies.push(performance.now() - started);
        return response;
      },
      // Phase 1 pushes only: the pull answers "nothing new" until phase 2.
      pull: async (after, limit) =>
        pulling
          ? inner.pull(after, limit)
          : { records: [], conflicts: [], lastSeq: after, more: false },
    };
    for (let i = 0; i < recordsPerTablet; i++) {
      tablet.store.commit(createObservation(projectId, walkId, fields(random), tablet.ctx));
    }
    tablets.push(tablet);
  }
  let retries = 0;
  /** Sync as the app does: a retryable failure (429, 503) waits Retry-After and goes on. */
  const syncUntilDone = async (tablet: Tablet) => {
    const total = { pushed: 0, pulled: 0 };
    for (let attempt = 0; attempt < 20; attempt++) {
      try {
        const summary = await syncOnce(tablet.transport, tablet.store, {
          deviceId: tablet.deviceId,
          pushBatch: batch,
          pullLimit: 2000,
        });
        return { pushed: total.pushed + summary.pushed, pulled: total.pulled + summary.pulled };
      } catch (error) {
        if (!(error instanceof SyncHttpError) || !error.retryable) throw error;
        retries += 1;
        await new Promise((resolve) => setTimeout(resolve, error.retryAfterMs ?? 1000));
      }
    }
    throw new Error(`${tablet.deviceId}: no sync in 20 attempts`);
  };
  // Phase 1: every tablet pushes its records at once. Phase 2: every tablet pulls the others'.
  const pushStarted = performance.now();
  const pushes = await Promise.all(tablets.map(syncUntilDone));
  const pushWallMs = performance.now() - pushStarted;
  pulling = true;
  const pullStarted = performance.now();
  await Promise.all(tablets.map(syncUntilDone));
  const pullWallMs = performance.now() - pullStarted;
  const pushed = pushes.reduce((sum, summary) => sum + summary.pushed, 0);
  // Counted from what the tablets hold (a pull retried after a 503 resumes at its cursor, so
  // the summaries of the attempts that failed would be missing): each holds every record.
  const pulled = tablets.reduce((sum, tablet) => sum + tablet.store.records.size, 0) - pushed;
  return {
    driver,
    approach,
    records: pushed,
    pushWallMs,
    pullWallMs,
    pulled,
    pushedPerS: (pushed / pushWallMs) * 1000,
    pulledPerS: (pulled / pullWallMs) * 1000,
    pushP50Ms: percentile(latencies, 50),
    pushP95Ms: percentile(latencies, 95),
    pushes: latencies.length,
    retries,
    peakRssMb: memoryMb(server.child.pid!).peak,
  };
}

/** One tablet alone: 20 pushes of 100 new records, one after the other (no queue). */
async function solo(server: RunningServer, seed: number): Promise<{ p50: number; p95: number }> {
  const { projectId, planner } = await bootstrapProject(server, "bench solo");
  const code = await createCode(server, planner, { role: "team", walkId: "walk-solo" });
  const join = await joinWith(server, code.code, "bench-solo");
  const tablet = makeTablet({
    serverUrl: server.url,
    join,
    deviceId: "bench-solo",
    walkId: "walk-solo",
    seed,
    faults: () => NO_FAULTS,
  });
  const random = mulberry32(seed);
  const latencies: number[] = [];
  for (let round = 0; round < 20; round++) {
    const records = Array.from({ length: 100 }, () =>
      createObservation(projectId, "walk-solo", fields(random), tablet.ctx),
    );
    const started = performance.now();
    await tablet.transport.push({
      deviceId: "bench-solo",
      batchId: `solo-${round}`,
      records,
      conflicts: [],
    });
    latencies.push(performance.now() - started);
  }
  return { p50: percentile(latencies, 50), p95: percentile(latencies, 95) };
}

async function main() {
  let stopAll: () => Promise<void> = async () => undefined;
  const watchdog = setTimeout(() => {
    console.error("sync benchmark: watchdog, stopping");
    void stopAll().finally(() => process.exit(1));
  }, WATCHDOG_MS);
  const program = buildServer(join(process.cwd(), ".cache/sync-bench-server"));
  const results: Result[] = [];
  const solos: string[] = [];
  // LYKTA_BENCH_DRIVERS=postgresql runs one database only.
  const drivers = (process.env.LYKTA_BENCH_DRIVERS ?? "pglite,postgresql").split(",") as Driver[];
  for (const driver of drivers) {
    let postgres: Postgres | undefined;
    const dir = mkdtempSync(join(tmpdir(), `lykta-bench-${driver}-`));
    try {
      if (driver === "postgresql") postgres = await startPostgres();
      const server = await startServer({
        program,
        driver,
        dataDir: join(dir, "db"),
        ...(postgres ? { databaseUrl: postgres.url } : {}),
        extraArgs: ["--rate-limit", "0", "--join-rate-limit", "0", "--log-level", "warn"],
      });
      stopAll = async () => {
        await server.kill();
        postgres?.destroy();
      };
      const idle = memoryMb(server.child.pid!).now;
      console.log(`${driver}: server started, RSS ${idle.toFixed(0)} MB idle`);
      try {
        const alone = await solo(server, 11);
        solos.push(
          `${driver}: one tablet alone, 20 pushes of 100 records one after another: p50 ${alone.p50.toFixed(0)} ms, p95 ${alone.p95.toFixed(0)} ms`,
        );
        results.push(
          await run(
            server,
            driver,
            `${SIZES.batch} records a push`,
            SIZES.records,
            SIZES.batch,
            12,
          ),
        );
        results.push(await run(server, driver, "1 record a push", SIZES.singleRecords, 1, 13));
      } finally {
        await server.stop();
      }
    } finally {
      postgres?.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  clearTimeout(watchdog);
  const header = [
    "database",
    "approach",
    "pushed",
    "push phase",
    "pushed/s",
    "push p50",
    "push p95",
    "pulled",
    "pull phase",
    "pulled/s",
    "retries",
    "server peak RSS",
  ];
  const rows = results.map((result) => [
    result.driver,
    result.approach,
    String(result.records),
    `${(result.pushWallMs / 1000).toFixed(1)} s`,
    result.pushedPerS.toFixed(0),
    `${result.pushP50Ms.toFixed(0)} ms`,
    `${result.pushP95Ms.toFixed(0)} ms`,
    String(result.pulled),
    `${(result.pullWallMs / 1000).toFixed(1)} s`,
    result.pulledPerS.toFixed(0),
    String(result.retries),
    `${result.peakRssMb.toFixed(0)} MB`,
  ]);
  console.log(`\n12. Sync server: ${SIZES.tablets} tablets syncing at once over loopback HTTP`);
  console.log(`| ${header.join(" | ")} |\n|${header.map(() => " --- ").join("|")}|`);
  for (const row of rows) console.log(`| ${row.join(" | ")} |`);
  for (const line of solos) console.log(line);
  console.log(`SYNC_BENCH_JSON ${JSON.stringify(results)}`);
}

await main();
