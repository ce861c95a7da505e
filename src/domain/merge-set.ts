/**
 * Merging whole sets of records, and whole packages, with the per-field merge of merge.ts.
 * Pure: the app's storage (applyRecords), the `lykta merge` command and the tests all decide
 * "what did this record's merge do" with `mergeIncomingRecord` / `classifyChange` here.
 *
 * What converges: the merged records and the photo set are a function of the set of record
 * copies and photo bytes that went in, whatever the order or grouping of the merges
 * (commutative, associative, idempotent), because mergeRecords is a per-field join. (For the
 * photos this assumes what the app's packages do: a package with a live photo record holds
 * its bytes. A merge drops the bytes of photos deleted in its result; a restore that arrives
 * later from a package without the bytes cannot bring them back.)
 *
 * The conflict log is a grow-only set keyed by conflict id (conflicts.ts), so joining logs is
 * commutative, associative and idempotent too. The entries a merge adds come from pairwise
 * mergeRecords, which does not log a losing value that equals the kept one or that is an
 * ancestor of it (a version its own tablet had already edited). Which copies meet first
 * depends on the grouping, so one grouping can log such a superseded value where another does
 * not (merge-set.test.ts pins an example). Never is a value dropped silently:
 * merge-fuzz.test.ts checks that every value that lost is the final value, in some tablet's
 * log, or was replaced by an edit on some tablet.
 * mergePackages merges each record's copies in one fixed order (fewest edits first), so its
 * result does not depend on the order of the packages given.
 */
import { addConflicts, unionConflicts } from "./conflicts";
import { valuesEqual } from "./equal";
import { type ConflictEntry, mergeRecords } from "./merge";
import { migrateRecord } from "./migrations";
// Not "./package": that module loads the zip library, which storage (a user of this file)
// must not pull into the app's first screen.
import { type PackageContent, type PackageManifest, packageManifest } from "./package-manifest";
import type { FieldClock, SyncedRecord } from "./record";

/**
 * What a merge did to one record, compared with the base's copy. Exactly one per record:
 *   added      the base did not hold it. An unknown record that arrives already deleted (a
 *              tombstone) is "added", not "deleted": nothing the base showed went away.
 *   deleted    live in the base, a tombstone after the merge.
 *   updated    held by the base, and its content (fields, deleted flag) changed in any other
 *              way, a restore included.
 *   unchanged  the same content as the base's copy. Its clocks may have moved on (the same
 *              value typed on two tablets, the same record deleted on both): a person sees no
 *              change, but storage must still write it (RecordMergeStep.recordChanged).
 */
export type RecordChange = "added" | "updated" | "unchanged" | "deleted";

export interface MergeSummary {
  added: number;
  updated: number;
  unchanged: number;
  deleted: number;
  /** Lost concurrent edits the merge logged, one per conflict id, sorted by id. */
  conflicts: ConflictEntry[];
}

/** The rule behind MergeSummary (see RecordChange). `before` undefined: the base lacked it. */
export function classifyChange(
  before: SyncedRecord | undefined,
  after: SyncedRecord,
): RecordChange {
  if (before === undefined) return "added";
  if (!before.deleted && after.deleted) return "deleted";
  if (before === after) return "unchanged";
  return before.deleted === after.deleted && valuesEqual(before.fields, after.fields)
    ? "unchanged"
    : "updated";
}

export interface RecordMergeStep<Fields extends object = object> {
  record: SyncedRecord<Fields>;
  change: RecordChange;
  /** The merged record differs from the base's copy in any way, clocks included. */
  recordChanged: boolean;
  conflicts: ConflictEntry[];
}

/**
 * Merge one incoming copy into the base's copy (undefined when the base has none). Both must
 * be in the current shape (migrateRecord). The one per-record decision used by storage and by
 * the set merges below.
 */
export function mergeIncomingRecord<Fields extends object>(
  base: SyncedRecord<Fields> | undefined,
  incoming: SyncedRecord<Fields>,
): RecordMergeStep<Fields> {
  if (base === undefined) {
    return { record: incoming, change: "added", recordChanged: true, conflicts: [] };
  }
  const { record, conflicts } = mergeRecords(base, incoming);
  return {
    record,
    change: classifyChange(base, record),
    // Key order may differ after a JSON round trip: compare values, not text.
    recordChanged: !valuesEqual(base, record),
    conflicts,
  };
}

// ---------------------------------------------------------------------------------------
// Sets of records

export type MergeProblemReason = "newer_shape" | "malformed" | "different_projects";

/** Why a merge was refused. Nothing is merged when there is one. */
export interface MergeProblem {
  reason: MergeProblemReason;
  /** Which input: "base" / "incoming" for mergeRecordSets, the package index for mergePackages. */
  input: "base" | "incoming" | number;
  /** Where in it: `records[12]`, `manifest.json: scope.projectId`. */
  where: string;
  detail: string;
}

/** Records by id, or a plain list (a list may hold several copies of one record). */
export type RecordSet = ReadonlyMap<string, SyncedRecord> | readonly SyncedRecord[];

export type MergeSetResult =
  | { ok: true; records: SyncedRecord[]; summary: MergeSummary }
  | { ok: false; problem: MergeProblem };

type Migrated = { ok: true; record: SyncedRecord } | { ok: false; problem: MergeProblem };

function migrated(raw: unknown, input: MergeProblem["input"], where: string): Migrated {
  const migration = migrateRecord(raw);
  if (migration.ok) return { ok: true, record: migration.record };
  const detail =
    migration.reason === "newer_shape"
      ? `${migration.detail}: it comes from a newer Lykta. Update the app.`
      : migration.detail;
  return { ok: false, problem: { reason: migration.reason, input, where, detail } };
}

function listOf(set: RecordSet): readonly SyncedRecord[] {
  return Array.isArray(set) ? set : [...(set as ReadonlyMap<string, SyncedRecord>).values()];
}

const byId = (a: SyncedRecord, b: SyncedRecord) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Merge `incoming` into `base` with mergeRecords, record by record. Records of an older shape
 * are migrated first; a record of a newer shape refuses the whole merge (update the app).
 * Returns every record of the result (sorted by id) and a summary of what happened to the
 * incoming records' ids (see RecordChange): added + updated + unchanged + deleted is the
 * number of distinct ids in `incoming`.
 */
export function mergeRecordSets(base: RecordSet, incoming: RecordSet): MergeSetResult {
  const conflicts = new Map<string, ConflictEntry>();
  const before = new Map<string, SyncedRecord>();
  const fold = (target: Map<string, SyncedRecord>, record: SyncedRecord) => {
    const step = mergeIncomingRecord(target.get(record.id), record);
    addConflicts(conflicts, step.conflicts);
    target.set(record.id, step.record);
  };
  for (const [index, raw] of listOf(base).entries()) {
    const result = migrated(raw, "base", `records[${index}]`);
    if (!result.ok) return result;
    fold(before, result.record);
  }
  const after = new Map(before);
  const touched = new Set<string>();
  for (const [index, raw] of listOf(incoming).entries()) {
    const result = migrated(raw, "incoming", `records[${index}]`);
    if (!result.ok) return result;
    fold(after, result.record);
    touched.add(result.record.id);
  }
  return {
    ok: true,
    records: [...after.values()].sort(byId),
    summary: summarise(touched, before, after, [...conflicts.values()]),
  };
}

function summarise(
  ids: Iterable<string>,
  before: ReadonlyMap<string, SyncedRecord>,
  after: ReadonlyMap<string, SyncedRecord>,
  conflicts: ConflictEntry[],
): MergeSummary {
  const summary: MergeSummary = {
    added: 0,
    updated: 0,
    unchanged: 0,
    deleted: 0,
    conflicts: unionConflicts(conflicts),
  };
  for (const id of ids) summary[classifyChange(before.get(id), after.get(id)!)] += 1;
  return summary;
}

// ---------------------------------------------------------------------------------------
// Packages

export type MergePackagesResult =
  | { ok: true; content: PackageContent; summary: MergeSummary }
  | { ok: false; problem: MergeProblem };

/** Sum of a copy's field versions: a copy made from another copy by editing has a larger one. */
function versionSum(record: SyncedRecord): number {
  let sum = 0;
  for (const clock of Object.values(record.clock as Record<string, FieldClock>)) {
    sum += clock.version;
  }
  return sum;
}

function clockSignature(record: SyncedRecord): string {
  const clock = record.clock as Record<string, FieldClock>;
  return Object.keys(clock)
    .sort()
    .map((key) => `${key}:${clock[key]!.version}:${clock[key]!.nonce}:${clock[key]!.by}`)
    .join("|");
}

/**
 * Merge the copies of one record in a fixed order: fewest edits first, so a copy usually meets
 * the copies it was made from before it meets concurrent ones (a replaced value is then
 * recognised as an ancestor rather than logged); equal sums by clock signature. Copies with
 * equal signatures are the same edits, so their order does not matter.
 */
function mergeCopies(copies: SyncedRecord[], log: Map<string, ConflictEntry>): SyncedRecord {
  if (copies.length === 1) return copies[0]!;
  if (copies.length === 2) {
    // Two copies merge to the same record and conflicts in either order (mergeRecords is
    // symmetric per field): no need to order them. The common case, so kept cheap.
    const [a, b] = copies as [SyncedRecord, SyncedRecord];
    if (a === b) return a;
    const result = mergeRecords(a, b);
    addConflicts(log, result.conflicts);
    return result.record;
  }
  const keyed = copies.map((record) => ({ record, sum: versionSum(record), signature: "" }));
  keyed.sort((a, b) => {
    if (a.sum !== b.sum) return a.sum - b.sum;
    a.signature ||= clockSignature(a.record);
    b.signature ||= clockSignature(b.record);
    return a.signature < b.signature ? -1 : a.signature > b.signature ? 1 : 0;
  });
  let merged = keyed[0]!.record;
  for (const { record } of keyed.slice(1)) {
    if (record === merged) continue;
    const result = mergeRecords(merged, record);
    addConflicts(log, result.conflicts);
    merged = result.record;
  }
  return merged;
}

/** The newest input by createdAt (ties: lower device id, then lower app version). */
function newestManifest(contents: readonly PackageContent[]): PackageManifest {
  return contents
    .map((content) => content.manifest)
    .reduce((newest, manifest) => {
      if (manifest.createdAt !== newest.createdAt) {
        return manifest.createdAt > newest.createdAt ? manifest : newest;
      }
      if (manifest.createdBy !== newest.createdBy) {
        return manifest.createdBy < newest.createdBy ? manifest : newest;
      }
      return manifest.appVersion < newest.appVersion ? manifest : newest;
    });
}

/**
 * Merge packages of one project into one (the `lykta merge` command, and the fuzz).
 *
 * - Records: every copy of every record merged field by field (mergeRecords); older shapes
 *   migrated, a newer shape refuses the merge. Sorted by id.
 * - Conflicts: the union of the packages' logs and the lost values this merge finds.
 * - Photos: the union of the packages' bytes by SHA-256 (one copy each), kept only for photos
 *   whose photo record is live in the result. A photo deleted on one tablet therefore does not
 *   come back from another tablet's older package: its delete is a newer version than the
 *   copy that still shows it. (A later restore is newer still, and brings the photo back,
 *   with the bytes of whichever package holds them.) Bytes without a photo record are not
 *   carried, as the app does not write them.
 * - Manifest: the newest package's app version, time and device; scope the project, and the
 *   walk when every package holds that same walk.
 * - Summary: compares the first package (the base, e.g. the coordinator's file) with the
 *   result, over the record ids of the other packages; `conflicts` are the lost values this
 *   merge found that no package's log held yet.
 *
 * A package holds one project (its manifest names one), so packages of different projects
 * are refused rather than mixed.
 */
export function mergePackages(contents: readonly PackageContent[]): MergePackagesResult {
  if (contents.length === 0) throw new Error("mergePackages: no packages given");
  const projectId = contents[0]!.manifest.scope.projectId;
  const otherProject = contents.findIndex(
    (content) => content.manifest.scope.projectId !== projectId,
  );
  if (otherProject !== -1) {
    return {
      ok: false,
      problem: {
        reason: "different_projects",
        input: otherProject,
        where: "manifest.json: scope.projectId",
        detail: `project ${contents[otherProject]!.manifest.scope.projectId}, but the first package is project ${projectId}; a package holds one project, so merge each project's packages separately`,
      },
    };
  }
  const copies = new Map<string, SyncedRecord[]>();
  const baseCopies = new Map<string, SyncedRecord[]>();
  const incomingIds = new Set<string>();
  for (const [input, content] of contents.entries()) {
    for (const [index, raw] of content.records.entries()) {
      const result = migrated(raw, input, `records[${index}]`);
      if (!result.ok) return result;
      const { record } = result;
      const list = copies.get(record.id);
      if (list) list.push(record);
      else copies.set(record.id, [record]);
      if (input === 0) {
        const base = baseCopies.get(record.id);
        if (base) base.push(record);
        else baseCopies.set(record.id, [record]);
      } else {
        incomingIds.add(record.id);
      }
    }
  }
  const found = new Map<string, ConflictEntry>();
  const before = new Map<string, SyncedRecord>();
  for (const [id, list] of baseCopies) before.set(id, mergeCopies([...list], found));
  const after = new Map<string, SyncedRecord>();
  for (const [id, list] of copies) after.set(id, mergeCopies(list, found));
  const records = [...after.values()].sort(byId);

  const carried = contents.map((content) => content.conflicts);
  const known = new Set(carried.flat().map((entry) => entry.id));
  const conflicts = unionConflicts(...carried, found.values());
  const newConflicts = conflicts.filter((entry) => !known.has(entry.id));

  const photos = new Map<string, Uint8Array>();
  const livePhotos = records.filter((record) => record.kind === "photo" && !record.deleted);
  for (const { id } of livePhotos) {
    const holder = contents.find((content) => content.photos.has(id));
    if (holder) photos.set(id, holder.photos.get(id)!);
  }

  const newest = newestManifest(contents);
  const walkIds = new Set(contents.map((content) => content.manifest.scope.walkId));
  const walkId = walkIds.size === 1 ? [...walkIds][0] : undefined;
  const manifest = packageManifest(
    {
      appVersion: newest.appVersion,
      createdAt: newest.createdAt,
      createdBy: newest.createdBy,
      scope: walkId === undefined ? { projectId } : { projectId, walkId },
    },
    records,
    photos,
  );
  const summary = summarise(incomingIds, before, after, newConflicts);
  return { ok: true, content: { manifest, records, photos, conflicts }, summary };
}
