/**
 * Benchmark 5 (domain): merging 10,000 observation records with a copy from another tablet,
 * field by field (mergeRecords), against the naive alternative: compare whole records as
 * JSON and keep the newer one (which loses concurrent edits; shown for cost only). Also the
 * "did anything change?" check that storage does after a merge, with JSON and valuesEqual.
 *
 * 5b: two tablets' packages of 50,000 records each (30,000 ids on both, edited and deleted
 * on both sides, 300 small photos), merged as `lykta merge` does: read both zips, merge,
 * write the result; and the merge of the records alone. Against the same whole-record
 * "newest wins" alternative.
 *
 * Run by `npm run bench` (test/bench/run.mjs) through `vitest bench`; not a test.
 */
import { bench, describe } from "vitest";
import { valuesEqual } from "../../src/domain/equal";
import { sha256Hex } from "../../src/domain/hash";
import { mulberry32 } from "../../src/domain/ids";
import { mergeRecords } from "../../src/domain/merge";
import { mergePackages, mergeRecordSets } from "../../src/domain/merge-set";
import {
  createObservation,
  EMPTY_OBSERVATION_FIELDS,
  type ObservationRecord,
} from "../../src/domain/observation";
import { buildPackage, type PackageContent, readPackage } from "../../src/domain/package";
import { createPhotoRecord } from "../../src/domain/photo";
import {
  type EditContext,
  editRecord,
  type FieldClock,
  type SyncedRecord,
  tombstoneRecord,
} from "../../src/domain/record";
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

// ---------------------------------------------------------------------------------------
// Two whole packages: a coordinator merging two tablets' .lykta files (`lykta merge`).

const PACKAGE_RECORDS = 50_000;
/** Ids shared by both packages: B holds A's last 30,000 observations and 20,000 of its own. */
const SHARED = 30_000;
const PHOTO_COUNT = 300;
const packageRandom = mulberry32(20271124);
const origin = testContext("tablet-origin", 3);
const tabletA = testContext("tablet-a", 4);
const tabletB = testContext("tablet-b", 5);
const FIRST_B = PACKAGE_RECORDS - SHARED;

/** Small photos (2 to 8 KB of seeded bytes after a JPEG header), with their real SHA-256. */
const photos = await Promise.all(
  Array.from({ length: PHOTO_COUNT }, async () => {
    const bytes = new Uint8Array(2048 + Math.floor(packageRandom() * 6144));
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(packageRandom() * 256);
    bytes.set([0xff, 0xd8, 0xff, 0xe0]);
    return { id: await sha256Hex(bytes), bytes };
  }),
);

function startRecord(index: number): ObservationRecord {
  const photoIds = index % 250 === 0 ? [photos[(index / 250) % PHOTO_COUNT]!.id] : [];
  return createObservation(
    "project-1",
    "walk-1",
    {
      geometry: {
        type: "Point",
        coordinates: [
          16.5146 + (packageRandom() - 0.5) * 0.03,
          59.6262 + (packageRandom() - 0.5) * 0.01,
        ],
      },
      categoryId: "lighting.broken",
      severity: 1 + Math.floor(packageRandom() * 5),
      feltUnsafe: packageRandom() < 0.5 ? ["everyone"] : ["women", "elderly"],
      note: NOTES[Math.floor(packageRandom() * NOTES.length)] ?? "",
      photoIds,
      illuminanceLux: packageRandom() < 0.3 ? Math.round(packageRandom() * 300) / 10 : null,
      observedAt: 1_823_529_600_000 + index * 700,
      positionAccuracyM: 3 + Math.floor(packageRandom() * 20),
      placement: "gps",
    },
    origin,
    `obs-${index}`,
  );
}

/** A tablet's copy: 25 % edited (severity or note), 2 % deleted, the rest as it started. */
function tabletCopy(record: ObservationRecord, ctx: EditContext): ObservationRecord {
  const roll = packageRandom();
  if (roll < 0.02) return tombstoneRecord(record, EMPTY_OBSERVATION_FIELDS, ctx);
  if (roll < 0.15)
    return editRecord(record, { severity: 1 + Math.floor(packageRandom() * 5) }, ctx);
  if (roll < 0.27) return editRecord(record, { note: `${ctx.deviceId}: ${roll.toFixed(4)}` }, ctx);
  return record;
}

const recordsA: SyncedRecord[] = [];
const recordsB: SyncedRecord[] = [];
for (let index = 0; index < PACKAGE_RECORDS + FIRST_B; index++) {
  const start = startRecord(index);
  if (index < PACKAGE_RECORDS) recordsA.push(tabletCopy(start, tabletA));
  if (index >= FIRST_B) recordsB.push(tabletCopy(start, tabletB));
}
/** Photo records: A holds the first 200, B the last 200 (100 on both). */
const photoFields = (bytes: Uint8Array) => ({
  mimeType: "image/jpeg",
  widthPx: 1600,
  heightPx: 1200,
  byteLength: bytes.byteLength,
  takenAt: 1_823_529_600_000,
});
const photoRecords = photos.map(({ id, bytes }) =>
  createPhotoRecord(id, "project-1", "walk-1", photoFields(bytes), origin),
);
recordsA.push(...photoRecords.slice(0, 200));
recordsB.push(...photoRecords.slice(100));
const photoBytes = (from: number, to: number) =>
  new Map(photos.slice(from, to).map(({ id, bytes }) => [id, bytes]));
const packageMeta = (createdBy: string) => ({
  appVersion: "0.1.0",
  createdAt: 1_823_600_000_000,
  createdBy,
  scope: { projectId: "project-1" },
});
const fileA = buildPackage(packageMeta("tablet-a"), recordsA, photoBytes(0, 200));
const fileB = buildPackage(packageMeta("tablet-b"), recordsB, photoBytes(100, PHOTO_COUNT));

async function readBoth(): Promise<[PackageContent, PackageContent]> {
  const [a, b] = await Promise.all([readPackage(fileA), readPackage(fileB)]);
  if (!a.ok || !b.ok) throw new Error("bench: a package did not read");
  return [a.content, b.content];
}

/** The obvious alternative: per record, the copy whose newest clock is newest wins whole. */
function naiveMerge(a: readonly SyncedRecord[], b: readonly SyncedRecord[]): SyncedRecord[] {
  const kept = new Map(a.map((record) => [record.id, record]));
  for (const record of b) {
    const current = kept.get(record.id);
    if (
      !current ||
      (JSON.stringify(current) !== JSON.stringify(record) &&
        newestAt(record as ObservationRecord) > newestAt(current as ObservationRecord))
    ) {
      kept.set(record.id, record);
    }
  }
  return [...kept.values()];
}

const [contentA, contentB] = await readBoth();
/** Three runs after one warm-up: one run of the zip rows takes seconds. */
const PACKAGE_OPTIONS = { time: 0, iterations: 3, warmupTime: 0, warmupIterations: 1 };

describe(`merge two ${PACKAGE_RECORDS.toLocaleString("en")}-record packages`, () => {
  bench(
    "readPackage x2 + mergePackages + buildPackage (lykta merge)",
    async () => {
      const merged = mergePackages(await readBoth());
      if (!merged.ok) throw new Error(merged.problem.detail);
      const { content } = merged;
      result.sink += buildPackage(
        packageMeta("lykta-cli"),
        content.records,
        content.photos,
        content.conflicts,
      ).byteLength;
    },
    PACKAGE_OPTIONS,
  );

  bench(
    "naive: readPackage x2 + whole-record newest wins + buildPackage",
    async () => {
      const [a, b] = await readBoth();
      const photosUnion = new Map([...a.photos, ...b.photos]);
      result.sink += buildPackage(
        packageMeta("lykta-cli"),
        naiveMerge(a.records, b.records),
        photosUnion,
      ).byteLength;
    },
    PACKAGE_OPTIONS,
  );

  bench(
    "readPackage x2 + buildPackage, no merge (the zip work alone)",
    async () => {
      const [a, b] = await readBoth();
      // The same 70,000 ids as a merge writes, each from whichever package has it first.
      const inA = new Set(a.records.map((record) => record.id));
      result.sink += buildPackage(
        packageMeta("lykta-cli"),
        [...a.records, ...b.records.filter((record) => !inA.has(record.id))],
        new Map([...a.photos, ...b.photos]),
      ).byteLength;
    },
    PACKAGE_OPTIONS,
  );

  bench(
    "mergePackages (contents already read)",
    () => {
      const merged = mergePackages([contentA, contentB]);
      if (merged.ok) result.sink += merged.summary.conflicts.length;
    },
    PACKAGE_OPTIONS,
  );

  bench(
    "mergeRecordSets (records only)",
    () => {
      const merged = mergeRecordSets(contentA.records, contentB.records);
      if (merged.ok) result.sink += merged.summary.updated;
    },
    PACKAGE_OPTIONS,
  );

  bench(
    "naive: whole-record newest wins, JSON compare (records only)",
    () => {
      result.sink += naiveMerge(contentA.records, contentB.records).length;
    },
    PACKAGE_OPTIONS,
  );
});
