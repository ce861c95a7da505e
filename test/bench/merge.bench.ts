/**
 * Benchmark 5 (domain): merging 10,000 observation records with a copy from another tablet,
 * field by field (mergeRecords), against the naive alternative: compare whole records as
 * JSON and keep the newer one (which loses concurrent edits; shown for cost only). Also the
 * "did anything change?" check that storage does after a merge, with JSON and valuesEqual.
 *
 * Run by `npm run bench` (test/bench/run.mjs) through `vitest bench`; not a test.
 */
import { bench, describe } from "vitest";
import { valuesEqual } from "../../src/domain/equal";
import { mulberry32 } from "../../src/domain/ids";
import { mergeRecords } from "../../src/domain/merge";
import { createObservation, type ObservationRecord } from "../../src/domain/observation";
import { editRecord, type FieldClock } from "../../src/domain/record";
import { testContext } from "../fixtures/context";

const COUNT = 10_000;
const random = mulberry32(20271014);
const deviceA = testContext("device-a", 1);
const deviceB = testContext("device-b", 2);
const NOTES = ["Mörkt mellan husen.", "Buskarna skymmer sikten.", "Lampan är släckt.", ""];

/** The stored copies (tablet A) and incoming copies (tablet B, 30 % edited there). */
const stored: ObservationRecord[] = [];
const incoming: ObservationRecord[] = [];
for (let i = 0; i < COUNT; i++) {
  const record = createObservation(
    "project-1",
    "walk-1",
    {
      geometry: {
        type: "Point",
        coordinates: [16.5146 + (random() - 0.5) * 0.03, 59.6262 + (random() - 0.5) * 0.01],
      },
      categoryId: "lighting.broken",
      severity: 1 + Math.floor(random() * 5),
      feltUnsafe: random() < 0.5 ? ["everyone"] : ["women", "elderly"],
      note: NOTES[Math.floor(random() * NOTES.length)] ?? "",
      photoIds: [],
      illuminanceLux: random() < 0.3 ? Math.round(random() * 300) / 10 : null,
      observedAt: 1_823_529_600_000 + i * 700,
      positionAccuracyM: 3 + Math.floor(random() * 20),
      placement: "gps",
    },
    deviceA,
    `obs-${i}`,
  );
  stored.push(record);
  incoming.push(
    random() < 0.3
      ? editRecord(record, { severity: 1 + ((record.fields.severity + 1) % 5) }, deviceB)
      : structuredClone(record),
  );
}

function newestAt(record: ObservationRecord): number {
  let newest = 0;
  for (const clock of Object.values(record.clock) as FieldClock[]) {
    newest = Math.max(newest, clock.at);
  }
  return newest;
}

/** Results feed this global, so no engine can drop the work as unused. */
const result = { sink: 0 };
(globalThis as { lyktaBenchSink?: object }).lyktaBenchSink = result;
/** Each task runs exactly this often (about 5 s in all on 2 cores). */
const OPTIONS = { time: 0, iterations: 7, warmupTime: 0, warmupIterations: 2 };

describe(`merge ${COUNT.toLocaleString("en")} records`, () => {
  bench(
    "mergeRecords (field by field)",
    () => {
      for (let i = 0; i < COUNT; i++)
        result.sink += mergeRecords(stored[i]!, incoming[i]!).conflicts.length;
    },
    OPTIONS,
  );

  bench(
    "mergeRecords + JSON.stringify change check (as applyRecords)",
    () => {
      for (let i = 0; i < COUNT; i++) {
        const merged = mergeRecords(stored[i]!, incoming[i]!).record;
        if (JSON.stringify(merged) !== JSON.stringify(stored[i])) result.sink += 1;
      }
    },
    OPTIONS,
  );

  bench(
    "mergeRecords + valuesEqual change check",
    () => {
      for (let i = 0; i < COUNT; i++) {
        const merged = mergeRecords(stored[i]!, incoming[i]!).record;
        if (!valuesEqual(merged, stored[i])) result.sink += 1;
      }
    },
    OPTIONS,
  );

  bench(
    "naive: JSON deep-compare, newer whole record wins",
    () => {
      for (let i = 0; i < COUNT; i++) {
        const a = stored[i]!;
        const b = incoming[i]!;
        const kept =
          JSON.stringify(a) === JSON.stringify(b) ? a : newestAt(b) > newestAt(a) ? b : a;
        if (kept !== a) result.sink += 1;
      }
    },
    OPTIONS,
  );
});
