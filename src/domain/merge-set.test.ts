/**
 * The merge case table (excalidraw's reconcile tests), for set and package merges: every
 * expected value below is worked out by hand from the rule in ../shared/STYLE.md (higher
 * version wins; equal versions: lower nonce; equal nonces: lower device id). The devices use
 * counting nonces so that the hand calculation is easy: tablet-b's (100, 101, ...) are lower
 * than tablet-a's (1000, ...), so B wins every tie of versions.
 */
import { describe, expect, it } from "vitest";
import { BASE_OBSERVATION_FIELDS, countingDevice } from "../../test/fixtures/observation";
import type { ConflictEntry } from "./merge";
import {
  classifyChange,
  type MergeSummary,
  mergeIncomingRecord,
  mergePackages,
  mergeRecordSets,
} from "./merge-set";
import {
  createObservation,
  EMPTY_OBSERVATION_FIELDS,
  type ObservationFields,
  type ObservationRecord,
} from "./observation";
import { type PackageContent, packageManifest } from "./package";
import { createPhotoRecord, EMPTY_PHOTO_FIELDS, type PhotoFields } from "./photo";
import {
  type EditContext,
  editRecord,
  type FieldClock,
  restoreRecord,
  type SyncedRecord,
  tombstoneRecord,
} from "./record";

const base = BASE_OBSERVATION_FIELDS;

function devices() {
  return {
    origin: countingDevice("tablet-o", 1),
    a: countingDevice("tablet-a", 1000),
    b: countingDevice("tablet-b", 100),
    c: countingDevice("tablet-c", 1000),
  };
}

function original(origin: EditContext): ObservationRecord {
  return createObservation("p", "w", base, origin, "obs-1");
}

const noConflicts = { added: 0, updated: 0, unchanged: 0, deleted: 0 };

function counts(summary: MergeSummary) {
  const { conflicts: _, ...rest } = summary;
  return rest;
}

/** The parts of conflict entries a person cares about, in id order. */
function lost(conflicts: readonly ConflictEntry[]) {
  return conflicts.map((entry) => ({
    field: entry.field,
    lostValue: entry.lostValue,
    lostBy: entry.lostClock.by,
    keptBy: entry.keptClock.by,
  }));
}

function mergeOk(baseRecords: readonly SyncedRecord[], incoming: readonly SyncedRecord[]) {
  const result = mergeRecordSets(baseRecords, incoming);
  if (!result.ok) throw new Error(`refused: ${result.problem.detail}`);
  return result;
}

/** A record in shape 1 (Lykta 0.0): light level in `lux`, clocks without ancestors. */
function asShape1(record: ObservationRecord): object {
  const { illuminanceLux, ...fields } = record.fields;
  const clock: Record<string, object> = {};
  for (const [key, entry] of Object.entries(record.clock as Record<string, FieldClock>)) {
    const { ancestors: _, ...withoutAncestors } = entry;
    clock[key === "illuminanceLux" ? "lux" : key] = withoutAncestors;
  }
  return { ...record, shapeVersion: 1, fields: { ...fields, lux: illuminanceLux }, clock };
}

interface Case {
  name: string;
  /** base (first argument) and incoming copies of obs-1 */
  build(): { base: SyncedRecord[]; incoming: SyncedRecord[] };
  deleted: boolean;
  fields: Partial<ObservationFields>;
  conflicts: ReturnType<typeof lost>;
  summary: Omit<MergeSummary, "conflicts">;
  /** The same merge with base and incoming swapped: the record is the same, the summary not. */
  summarySwapped: Omit<MergeSummary, "conflicts">;
}

const CASES: Case[] = [
  {
    name: "edit vs edit, different fields: both kept",
    build() {
      const d = devices();
      const start = original(d.origin);
      return {
        base: [editRecord(start, { severity: 5 }, d.a)],
        incoming: [editRecord(start, { note: "Buskar skymmer" }, d.b)],
      };
    },
    deleted: false,
    fields: { severity: 5, note: "Buskar skymmer" },
    conflicts: [],
    summary: { ...noConflicts, updated: 1 },
    summarySwapped: { ...noConflicts, updated: 1 },
  },
  {
    name: "edit vs edit, same field concurrently (same version, different nonce): lower nonce wins, loser logged",
    build() {
      const d = devices();
      const start = original(d.origin);
      return {
        base: [editRecord(start, { note: "A skrev" }, d.a)],
        incoming: [editRecord(start, { note: "B skrev" }, d.b)],
      };
    },
    deleted: false,
    fields: { note: "B skrev" },
    conflicts: [{ field: "note", lostValue: "A skrev", lostBy: "tablet-a", keptBy: "tablet-b" }],
    summary: { ...noConflicts, updated: 1 },
    // B's own copy is what is kept: nothing changes for B, but A's value is logged there too.
    summarySwapped: { ...noConflicts, unchanged: 1 },
  },
  {
    name: "equal versions, same nonce, different device: the lower device id wins",
    build() {
      const d = devices();
      const start = original(d.origin);
      // tablet-a and tablet-c both draw nonce 1000 for this edit.
      return {
        base: [editRecord(start, { note: "C skrev" }, d.c)],
        incoming: [editRecord(start, { note: "A skrev" }, d.a)],
      };
    },
    deleted: false,
    fields: { note: "A skrev" },
    conflicts: [{ field: "note", lostValue: "C skrev", lostBy: "tablet-c", keptBy: "tablet-a" }],
    summary: { ...noConflicts, updated: 1 },
    summarySwapped: { ...noConflicts, unchanged: 1 },
  },
  {
    name: "edit vs delete, concurrent: deleted; the edit's newer field stays in the tombstone, the tied one is logged",
    build() {
      const d = devices();
      const start = original(d.origin);
      return {
        base: [editRecord(start, { note: "Lampan är trasig", severity: 5 }, d.a)],
        incoming: [tombstoneRecord(start, EMPTY_OBSERVATION_FIELDS, d.b)],
      };
    },
    // The delete bumps `deleted` to version 2. It empties severity at version 2 too (a tie
    // with A's 5, which B's lower nonce wins: A's 5 is logged), but leaves the note alone,
    // because the note was already empty; A's note, version 2, beats version 1.
    deleted: true,
    fields: { ...EMPTY_OBSERVATION_FIELDS, note: "Lampan är trasig" },
    conflicts: [{ field: "severity", lostValue: 5, lostBy: "tablet-a", keptBy: "tablet-b" }],
    summary: { ...noConflicts, deleted: 1 },
    // For B the record was already a tombstone; its hidden content changed.
    summarySwapped: { ...noConflicts, updated: 1 },
  },
  {
    name: "edit, then a delete made after seeing it: an empty tombstone, nothing logged",
    build() {
      const d = devices();
      const edited = editRecord(original(d.origin), { note: "Lampan är trasig" }, d.a);
      return {
        base: [edited],
        incoming: [tombstoneRecord(edited, EMPTY_OBSERVATION_FIELDS, d.b)],
      };
    },
    deleted: true,
    fields: EMPTY_OBSERVATION_FIELDS,
    conflicts: [],
    summary: { ...noConflicts, deleted: 1 },
    summarySwapped: { ...noConflicts, unchanged: 1 },
  },
  {
    name: "delete vs delete, concurrent: one tombstone, no conflict",
    build() {
      const d = devices();
      const start = original(d.origin);
      return {
        base: [tombstoneRecord(start, EMPTY_OBSERVATION_FIELDS, d.a)],
        incoming: [tombstoneRecord(start, EMPTY_OBSERVATION_FIELDS, d.b)],
      };
    },
    deleted: true,
    fields: EMPTY_OBSERVATION_FIELDS,
    conflicts: [],
    // Deleted on both: a person sees no change (only the clocks move to B's).
    summary: { ...noConflicts, unchanged: 1 },
    summarySwapped: { ...noConflicts, unchanged: 1 },
  },
  {
    name: "a restore after a delete wins over the delete",
    build() {
      const d = devices();
      const deleted = tombstoneRecord(original(d.origin), EMPTY_OBSERVATION_FIELDS, d.a);
      return { base: [deleted], incoming: [restoreRecord(deleted, base, d.a)] };
    },
    deleted: false,
    fields: base,
    conflicts: [],
    summary: { ...noConflicts, updated: 1 },
    summarySwapped: { ...noConflicts, unchanged: 1 },
  },
  {
    name: "the same copy twice (after a JSON round trip): unchanged",
    build() {
      const d = devices();
      const copy = editRecord(original(d.origin), { severity: 4 }, d.a);
      return { base: [copy], incoming: [JSON.parse(JSON.stringify(copy))] };
    },
    deleted: false,
    fields: { severity: 4 },
    conflicts: [],
    summary: { ...noConflicts, unchanged: 1 },
    summarySwapped: { ...noConflicts, unchanged: 1 },
  },
  {
    name: "an older shape: a shape-1 copy (lux) merges with a shape-2 copy",
    build() {
      const d = devices();
      const old = countingDevice("tablet-old", 5000);
      const start = original(d.origin);
      return {
        base: [asShape1(editRecord(start, { illuminanceLux: 12.5 }, old)) as SyncedRecord],
        incoming: [editRecord(start, { note: "Mörkt" }, d.b)],
      };
    },
    deleted: false,
    fields: { illuminanceLux: 12.5, note: "Mörkt" },
    // Shape-1 clocks carry no ancestors, so the stale null that 12.5 replaced cannot be told
    // from a concurrent edit and is logged (migrations.ts: more willing to log, never less).
    conflicts: [
      { field: "illuminanceLux", lostValue: null, lostBy: "tablet-o", keptBy: "tablet-old" },
    ],
    summary: { ...noConflicts, updated: 1 },
    summarySwapped: { ...noConflicts, updated: 1 },
  },
];

describe("mergeRecordSets, case table", () => {
  for (const testCase of CASES) {
    it(testCase.name, () => {
      const { base: baseRecords, incoming } = testCase.build();
      const forward = mergeOk(baseRecords, incoming);
      const swapped = mergeOk(incoming, baseRecords);
      for (const result of [forward, swapped]) {
        expect(result.records).toHaveLength(1);
        const record = result.records[0] as ObservationRecord;
        expect(record.shapeVersion).toBe(2);
        expect(record.deleted).toBe(testCase.deleted);
        expect(record.fields).toMatchObject(testCase.fields);
        expect(lost(result.summary.conflicts)).toEqual(testCase.conflicts);
      }
      // Commutative: the same record whichever side it started on.
      expect(swapped.records).toEqual(forward.records);
      expect(counts(forward.summary)).toEqual(testCase.summary);
      expect(counts(swapped.summary)).toEqual(testCase.summarySwapped);
      // Idempotent: merging the result into itself, or the incoming copy again, changes nothing.
      const again = mergeOk(forward.records, incoming);
      expect(again.records).toEqual(forward.records);
      expect(counts(again.summary)).toEqual({ ...noConflicts, unchanged: 1 });
    });
  }

  it("refuses a record of a newer shape, asking for an update", () => {
    const d = devices();
    const start = original(d.origin);
    const newer = { ...editRecord(start, { note: "framtid" }, d.b), shapeVersion: 3 };
    const result = mergeRecordSets([start], [start, newer]);
    expect(result).toEqual({
      ok: false,
      problem: {
        reason: "newer_shape",
        input: "incoming",
        where: "records[1]",
        detail:
          "record obs-1 has shape 3; this app reads up to 2: it comes from a newer Lykta. Update the app.",
      },
    });
  });

  it("refuses a malformed record, saying where", () => {
    const d = devices();
    const result = mergeRecordSets([{ kind: "observation" } as never], [original(d.origin)]);
    expect(result).toEqual({
      ok: false,
      problem: {
        reason: "malformed",
        input: "base",
        where: "records[0]",
        detail: "record has no id or kind",
      },
    });
  });

  it("takes maps and lists, counts each incoming id once, and leaves base-only records alone", () => {
    const d = devices();
    const start = original(d.origin);
    const other = createObservation("p", "w", base, d.origin, "obs-2");
    const fresh = createObservation("p", "w", base, d.b, "obs-3");
    const deletedUnknown = tombstoneRecord(
      createObservation("p", "w", base, d.b, "obs-4"),
      EMPTY_OBSERVATION_FIELDS,
      d.b,
    );
    const first = editRecord(start, { severity: 1 }, d.b);
    const second = editRecord(first, { severity: 2 }, d.b);
    const result = mergeOk(
      [start, other],
      [first, fresh, second, deletedUnknown], // obs-1 twice: one id, counted once
    );
    expect(result.records.map((record) => record.id)).toEqual(["obs-1", "obs-2", "obs-3", "obs-4"]);
    expect((result.records[0] as ObservationRecord).fields.severity).toBe(2);
    // obs-4 arrives already deleted: it was unknown, so it is added, not deleted.
    expect(counts(result.summary)).toEqual({ added: 2, updated: 1, unchanged: 0, deleted: 0 });
    const fromMaps = mergeRecordSets(
      new Map([start, other].map((record) => [record.id, record])),
      new Map([first, fresh, second, deletedUnknown].map((record) => [record.id, record])),
    );
    expect(fromMaps.ok && fromMaps.records).toEqual(result.records);
  });
});

describe("the per-record decision (shared with storage)", () => {
  it("classifies by content; clocks alone make no change a person sees, but a write", () => {
    const d = devices();
    const start = original(d.origin);
    const onA = tombstoneRecord(start, EMPTY_OBSERVATION_FIELDS, d.a);
    const onB = tombstoneRecord(start, EMPTY_OBSERVATION_FIELDS, d.b);
    const step = mergeIncomingRecord(onA, onB);
    expect(step.change).toBe("unchanged");
    expect(step.recordChanged).toBe(true);
    expect(step.record).toEqual(onB);
    expect(mergeIncomingRecord(undefined, onB)).toMatchObject({
      change: "added",
      recordChanged: true,
    });
    expect(classifyChange(start, onA)).toBe("deleted");
    expect(classifyChange(onA, start)).toBe("updated");
    expect(classifyChange(start, JSON.parse(JSON.stringify(start)))).toBe("unchanged");
  });
});

// ---------------------------------------------------------------------------------------
// Packages

const PHOTO_BYTES = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
/** Any 64-hex id will do: mergePackages trusts readPackage to have checked the bytes. */
const PHOTO_ID = "ab".repeat(32);
const photoFields: PhotoFields = {
  mimeType: "image/jpeg",
  widthPx: 1600,
  heightPx: 1200,
  byteLength: PHOTO_BYTES.byteLength,
  takenAt: 1_800_000_000_000,
};

function pack(
  records: SyncedRecord[],
  options: {
    photos?: Map<string, Uint8Array>;
    conflicts?: ConflictEntry[];
    createdAt?: number;
    createdBy?: string;
    scope?: PackageContent["manifest"]["scope"];
  } = {},
): PackageContent {
  const photos = options.photos ?? new Map();
  return {
    manifest: packageManifest(
      {
        appVersion: "0.1.0",
        createdAt: options.createdAt ?? 1_800_000_100_000,
        createdBy: options.createdBy ?? "tablet-x",
        scope: options.scope ?? { projectId: "p", walkId: "w" },
      },
      records,
      photos,
    ),
    records,
    photos,
    conflicts: options.conflicts ?? [],
  };
}

function mergedOk(contents: PackageContent[]) {
  const result = mergePackages(contents);
  if (!result.ok) throw new Error(`refused: ${result.problem.detail}`);
  return result;
}

describe("mergePackages", () => {
  it("keeps one copy of a photo that both sides hold, and one record", () => {
    const d = devices();
    const onA = createPhotoRecord(PHOTO_ID, "p", "w", photoFields, d.a);
    const onB = createPhotoRecord(PHOTO_ID, "p", "w", photoFields, d.b);
    const result = mergedOk([
      pack([onA], { photos: new Map([[PHOTO_ID, PHOTO_BYTES]]) }),
      pack([onB], { photos: new Map([[PHOTO_ID, PHOTO_BYTES.slice()]]) }),
    ]);
    // Same fields on both: B's clocks win every tie, so the result is B's copy, no conflict.
    expect(result.content.records).toEqual([onB]);
    expect([...result.content.photos.keys()]).toEqual([PHOTO_ID]);
    expect(result.content.manifest).toMatchObject({ recordCount: 1, photoCount: 1 });
    expect(result.summary).toEqual({ ...noConflicts, unchanged: 1, conflicts: [] });
  });

  it("does not bring back a photo deleted on one side", () => {
    const d = devices();
    const photo = createPhotoRecord(PHOTO_ID, "p", "w", photoFields, d.a);
    const deleted = tombstoneRecord(photo, EMPTY_PHOTO_FIELDS, d.a);
    const bytes = new Map([[PHOTO_ID, PHOTO_BYTES]]);
    const result = mergedOk([pack([photo], { photos: bytes }), pack([deleted])]);
    expect(result.content.records).toEqual([deleted]);
    expect(result.content.photos.size).toBe(0);
    expect(result.content.manifest.photos).toEqual([]);
    expect(counts(result.summary)).toEqual({ ...noConflicts, deleted: 1 });
    // A later restore is newer than the delete: the photo comes back with its bytes.
    const restored = restoreRecord(deleted, photoFields, d.b);
    const back = mergedOk([pack([deleted]), pack([restored], { photos: bytes })]);
    expect([...back.content.photos.keys()]).toEqual([PHOTO_ID]);
  });

  it("carries both logs and the lost values it finds; the summary names only new ones", () => {
    const d = devices();
    const start = original(d.origin);
    const onA = editRecord(start, { note: "A skrev" }, d.a);
    const onB = editRecord(start, { note: "B skrev" }, d.b);
    const earlier = mergeRecordSets([onA], [onB]);
    if (!earlier.ok) throw new Error("refused");
    const [known] = earlier.summary.conflicts;
    const result = mergedOk([pack([onA], { conflicts: [known!] }), pack([onB])]);
    expect(result.content.conflicts).toEqual([known]);
    expect(result.summary.conflicts).toEqual([]);
    const fresh = mergedOk([pack([onA]), pack([onB])]);
    expect(fresh.summary.conflicts).toEqual([known]);
  });

  it("refuses packages of different projects, naming the one that differs", () => {
    const d = devices();
    const result = mergePackages([
      pack([original(d.origin)]),
      pack([original(d.origin)]),
      pack([], { scope: { projectId: "q" } }),
    ]);
    expect(result).toEqual({
      ok: false,
      problem: {
        reason: "different_projects",
        input: 2,
        where: "manifest.json: scope.projectId",
        detail:
          "project q, but the first package is project p; a package holds one project, so merge each project's packages separately",
      },
    });
  });

  it("names the newest package's app, time and device; scope is the walk only when all share it", () => {
    const d = devices();
    const record = original(d.origin);
    const result = mergedOk([
      pack([record], { createdAt: 5, createdBy: "tablet-z" }),
      pack([record], { createdAt: 9, createdBy: "tablet-y" }),
      pack([record], { createdAt: 9, createdBy: "tablet-x", scope: { projectId: "p" } }),
    ]);
    expect(result.content.manifest).toMatchObject({
      createdAt: 9,
      createdBy: "tablet-x",
      scope: { projectId: "p" },
      projectId: "p",
    });
    const oneWalk = mergedOk([pack([record]), pack([record])]);
    expect(oneWalk.content.manifest.scope).toEqual({ projectId: "p", walkId: "w" });
  });

  /**
   * Three tablets, one record each way: obs-1 edited on all three (the note concurrently on
   * A and B), obs-2 deleted on C, a photo deleted on B, obs-3 only on C.
   */
  function threePackages() {
    const d = devices();
    const start = original(d.origin);
    const second = createObservation("p", "w", base, d.origin, "obs-2");
    const photo = createPhotoRecord(PHOTO_ID, "p", "w", photoFields, d.origin);
    const bytes = new Map([[PHOTO_ID, PHOTO_BYTES]]);
    const a = pack([editRecord(start, { note: "A skrev", severity: 4 }, d.a), second, photo], {
      photos: bytes,
      createdBy: "tablet-a",
    });
    const b = pack(
      [
        editRecord(start, { note: "B skrev" }, d.b),
        tombstoneRecord(photo, EMPTY_PHOTO_FIELDS, d.b),
      ],
      { createdBy: "tablet-b" },
    );
    const c = pack(
      [
        editRecord(start, { placement: "drawn" }, d.c),
        tombstoneRecord(second, EMPTY_OBSERVATION_FIELDS, d.c),
        createObservation("p", "w", base, d.c, "obs-3"),
        photo,
      ],
      { photos: bytes, createdBy: "tablet-c" },
    );
    return { a, b, c };
  }

  it("is commutative: every order of the packages gives the same package", () => {
    const { a, b, c } = threePackages();
    const orders = [
      [a, b, c],
      [a, c, b],
      [b, a, c],
      [b, c, a],
      [c, a, b],
      [c, b, a],
    ];
    const first = mergedOk(orders[0]!).content;
    for (const order of orders.slice(1)) expect(mergedOk(order).content).toEqual(first);
    // By hand: obs-1 has A's severity, B's note (lower nonce), C's placement; obs-2 and the
    // photo are deleted, so no photo bytes travel; A's note is the one lost value.
    const obs1 = first.records.find((record) => record.id === "obs-1") as ObservationRecord;
    expect(obs1.fields).toMatchObject({ severity: 4, note: "B skrev", placement: "drawn" });
    // Sorted by id: "abab…" (the photo) before "obs-…".
    expect(first.records.map((record) => [record.id, record.deleted])).toEqual([
      [PHOTO_ID, true],
      ["obs-1", false],
      ["obs-2", true],
      ["obs-3", false],
    ]);
    expect(first.photos.size).toBe(0);
    expect(lost(first.conflicts)).toEqual([
      { field: "note", lostValue: "A skrev", lostBy: "tablet-a", keptBy: "tablet-b" },
    ]);
  });

  it("is associative and idempotent", () => {
    const { a, b, c } = threePackages();
    const all = mergedOk([a, b, c]).content;
    const left = mergedOk([mergedOk([a, b]).content, c]).content;
    const right = mergedOk([a, mergedOk([b, c]).content]).content;
    for (const grouped of [left, right]) {
      expect(grouped.records).toEqual(all.records);
      expect(grouped.photos).toEqual(all.photos);
      expect(grouped.conflicts).toEqual(all.conflicts);
    }
    const twice = mergedOk([all, all]);
    expect(twice.content).toEqual(all);
    expect(counts(twice.summary)).toEqual({ ...noConflicts, unchanged: 4 });
    expect(mergedOk([all]).content).toEqual(all);
  });

  it("pinned: another grouping may log a value that its own tablet had already replaced", () => {
    // A writes "x3"; B, having A's copy, replaces it with "x2"; C, concurrently, edits twice
    // and wins. Whether A's replaced "x3" is logged depends on whether A's copy meets B's
    // (an ancestor: not logged) or C's (not an ancestor: logged) first. Records agree always.
    const d = devices();
    const late = countingDevice("tablet-b", 2000);
    const start = original(d.origin);
    const onA = editRecord(start, { note: "x3" }, d.a);
    const onB = editRecord(onA, { note: "x2" }, late);
    const onC = editRecord(editRecord(start, { note: "y" }, d.b), { note: "x1" }, d.b);
    const [pa, pb, pc] = [pack([onA]), pack([onB]), pack([onC])];
    const left = mergedOk([mergedOk([pa, pb]).content, pc]).content;
    const right = mergedOk([pa, mergedOk([pb, pc]).content]).content;
    expect(right.records).toEqual(left.records);
    expect((left.records[0] as ObservationRecord).fields.note).toBe("x1");
    expect(left.conflicts.map((entry) => entry.lostValue)).toEqual(["x2"]);
    expect(right.conflicts.map((entry) => entry.lostValue).sort()).toEqual(["x2", "x3"]);
    // The extra entry is a value its own tablet's successor had replaced.
    const extra = right.conflicts.find((entry) => entry.lostValue === "x3")!;
    expect(onB.clock.note.ancestors).toContain(extra.lostClock.nonce);
    // All three at once meet in one fixed order, whatever the order of the packages.
    const atOnce = mergedOk([pc, pb, pa]).content;
    expect(atOnce).toEqual(mergedOk([pa, pb, pc]).content);
    expect(atOnce.conflicts.map((entry) => entry.lostValue)).toContain("x2");
  });
});
