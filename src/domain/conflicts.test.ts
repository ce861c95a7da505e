import { describe, expect, it } from "vitest";
import { testContext } from "../../test/fixtures/context";
import { BASE_OBSERVATION_FIELDS } from "../../test/fixtures/observation";
import {
  parseConflictEntry,
  RESTORE_REASONS,
  restoreFromConflict,
  unionConflicts,
} from "./conflicts";
import { type ConflictEntry, mergeRecords } from "./merge";
import { createObservation, EMPTY_OBSERVATION_FIELDS, type ObservationRecord } from "./observation";
import { editRecord, tombstoneRecord } from "./record";

const fields = BASE_OBSERVATION_FIELDS;

/** Two tablets edit the note at once; returns both copies, the merge and its one conflict. */
function concurrentNotes() {
  const a = testContext("tablet-a", 1);
  const b = testContext("tablet-b", 2);
  const start = createObservation("p", "w", fields, a, "obs-1");
  const onA = editRecord(start, { note: "Trasig lampa" }, a);
  const onB = editRecord(start, { note: "Mörk gång" }, b);
  const merged = mergeRecords(onA, onB);
  expect(merged.conflicts).toHaveLength(1);
  return { a, b, onA, onB, merged: merged.record, conflict: merged.conflicts[0]! };
}

describe("restoreFromConflict", () => {
  it("puts the lost value back as a new edit that wins the next merge everywhere", () => {
    const { a, onA, onB, merged, conflict } = concurrentNotes();
    const kept = merged.fields.note;
    const result = restoreFromConflict(merged, conflict, a);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const restored = result.record as ObservationRecord;
    expect(restored.fields.note).toBe(conflict.lostValue);
    expect(restored.fields.note).not.toBe(kept);
    // One version above the kept value, so it beats every copy that holds the kept value.
    expect(restored.clock.note.version).toBe(merged.clock.note.version + 1);
    for (const copy of [onA, onB, merged]) {
      expect(mergeRecords(copy, restored).record.fields.note).toBe(conflict.lostValue);
      expect(mergeRecords(restored, copy).record.fields.note).toBe(conflict.lostValue);
    }
    // The kept value it replaces is an ancestor now: restoring logs no new conflict.
    expect(mergeRecords(merged, restored).conflicts).toEqual([]);
  });

  it("changes nothing when the record already holds the lost value", () => {
    const { a, merged, conflict } = concurrentNotes();
    const already = editRecord(merged, { note: conflict.lostValue as string }, a);
    const result = restoreFromConflict(already, conflict, a);
    expect(result).toEqual({ ok: true, record: already });
    if (result.ok) expect(result.record).toBe(already);
  });

  it("refuses on a tombstone: the record must be restored first", () => {
    const { a, merged, conflict } = concurrentNotes();
    const deleted = tombstoneRecord(merged, EMPTY_OBSERVATION_FIELDS, a);
    expect(restoreFromConflict(deleted, conflict, a)).toEqual({
      ok: false,
      reason: RESTORE_REASONS.recordDeleted,
      detail: "observation obs-1 is deleted; restore it before its lost note",
    });
  });

  it("refuses when the field no longer exists", () => {
    const { a, merged, conflict } = concurrentNotes();
    const renamed: ConflictEntry = { ...conflict, field: "lux" };
    expect(restoreFromConflict(merged, renamed, a)).toEqual({
      ok: false,
      reason: RESTORE_REASONS.fieldGone,
      detail: 'observation obs-1 has no field "lux" any more',
    });
    const tombstoneFlag: ConflictEntry = { ...conflict, field: "deleted" };
    expect(restoreFromConflict(merged, tombstoneFlag, a)).toMatchObject({
      ok: false,
      reason: "field_gone",
    });
  });

  it("throws when given another record's conflict (a programming error)", () => {
    const { a, conflict } = concurrentNotes();
    const other = createObservation("p", "w", fields, a, "obs-2");
    expect(() => restoreFromConflict(other, conflict, a)).toThrow(
      "restoreFromConflict: conflict obs-1|note|",
    );
  });
});

describe("conflict entries in files", () => {
  it("accepts an entry as mergeRecords makes it, after a JSON round trip", () => {
    const { conflict } = concurrentNotes();
    expect(parseConflictEntry(JSON.parse(JSON.stringify(conflict)))).toEqual({
      ok: true,
      entry: conflict,
    });
  });

  it("refuses entries with missing members or an id that does not match", () => {
    const { conflict } = concurrentNotes();
    expect(parseConflictEntry(7)).toEqual({
      ok: false,
      detail: "conflict entry is not an object",
    });
    expect(parseConflictEntry({ ...conflict, field: undefined })).toEqual({
      ok: false,
      detail: "conflict entry has no field",
    });
    expect(
      parseConflictEntry({ ...conflict, lostClock: { ...conflict.lostClock, version: 0 } }),
    ).toEqual({ ok: false, detail: `conflict ${conflict.id}: lostClock has no version` });
    expect(parseConflictEntry({ ...conflict, id: "obs-1|note|9|9|x" })).toEqual({
      ok: false,
      detail: `conflict obs-1|note|9|9|x: id does not match its record, field and lost clock (expected ${conflict.id})`,
    });
    const { lostValue: _, ...withoutValue } = conflict;
    expect(parseConflictEntry(withoutValue)).toEqual({
      ok: false,
      detail: `conflict ${conflict.id} has no lostValue`,
    });
  });

  it("gives clocks without ancestors an empty list", () => {
    const { conflict } = concurrentNotes();
    const { ancestors: _, ...bare } = conflict.keptClock;
    const result = parseConflictEntry({ ...conflict, keptClock: bare });
    expect(result.ok && result.entry.keptClock).toEqual({ ...bare, ancestors: [] });
  });
});

describe("unionConflicts", () => {
  it("keeps one entry per id, the one with the winning kept clock, in id order", () => {
    const { conflict } = concurrentNotes();
    const newer: ConflictEntry = {
      ...conflict,
      keptClock: { ...conflict.keptClock, version: conflict.keptClock.version + 1 },
    };
    const other: ConflictEntry = { ...conflict, id: "aaa" };
    expect(unionConflicts([conflict], [newer, other], [conflict])).toEqual([other, newer]);
    expect(unionConflicts([newer], [conflict])).toEqual([newer]);
  });
});
