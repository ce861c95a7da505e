import { describe, expect, it } from "vitest";
import { testContext } from "../../test/fixtures/context";
import { EMPTY_HISTORY, HISTORY_LIMIT, pushHistory, replayEntry } from "./history";
import { createObservation, EMPTY_OBSERVATION_FIELDS, type ObservationFields } from "./observation";
import { editRecord, type SyncedRecord, tombstoneRecord } from "./record";

type Observation = SyncedRecord<ObservationFields>;
const asObservation = (record: SyncedRecord | undefined) => record as Observation;

const fields: ObservationFields = {
  geometry: { type: "Point", coordinates: [15.2, 59.27] },
  categoryId: "vegetation.brush_sightlines",
  severity: 2,
  feltUnsafe: ["children_young"],
  note: "Buskar vid skolvägen",
  photoIds: [],
  illuminanceLux: null,
  observedAt: 1,
  positionAccuracyM: null,
  placement: "drawn",
};

const asMap = (...records: SyncedRecord[]) => new Map(records.map((record) => [record.id, record]));

describe("undo and redo", () => {
  const ctx = testContext();

  it("undoes a creation by deleting, and redoes it by restoring", () => {
    const created = createObservation("p", "w", fields, ctx);
    const entry = { label: "create" as const, changes: [{ before: null, after: created }] };
    const [undoneRaw] = replayEntry(entry, "undo", asMap(created), ctx);
    const undone = asObservation(undoneRaw);
    expect(undone.deleted).toBe(true);
    expect(undone.fields).toEqual(EMPTY_OBSERVATION_FIELDS);
    const [redoneRaw] = replayEntry(entry, "redo", asMap(undone), ctx);
    const redone = asObservation(redoneRaw);
    expect(redone.deleted).toBe(false);
    expect(redone.fields).toEqual(fields);
    expect(redone.clock.note.version).toBeGreaterThan(undone.clock.note.version);
  });

  it("undoes an edit as a new edit of the changed fields only", () => {
    const created = createObservation("p", "w", fields, ctx);
    const edited = editRecord(created, { severity: 5 }, ctx);
    const entry = { label: "edit" as const, changes: [{ before: created, after: edited }] };
    const [undoneRaw] = replayEntry(entry, "undo", asMap(edited), ctx);
    const undone = asObservation(undoneRaw);
    expect(undone.fields.severity).toBe(2);
    expect(undone.clock.severity.version).toBe(3);
    expect(undone.clock.note).toBe(edited.clock.note);
  });

  it("undoes a delete by bringing the content back", () => {
    const created = createObservation("p", "w", fields, ctx);
    const deleted = tombstoneRecord(created, EMPTY_OBSERVATION_FIELDS, ctx);
    const entry = { label: "delete" as const, changes: [{ before: created, after: deleted }] };
    const [undoneRaw] = replayEntry(entry, "undo", asMap(deleted), ctx);
    const undone = asObservation(undoneRaw);
    expect(undone.deleted).toBe(false);
    expect(undone.fields).toEqual(fields);
  });

  it("keeps an edit made on another device to a field the undo does not touch", () => {
    const created = createObservation("p", "w", fields, ctx);
    const edited = editRecord(created, { severity: 4 }, ctx);
    const mergedFromOther = editRecord(edited, { note: "från surfplatta B" }, testContext("b", 9));
    const entry = {
      label: "edit" as const,
      changes: [{ before: created, after: edited }],
    };
    const [undoneRaw] = replayEntry(entry, "undo", asMap(mergedFromOther), ctx);
    const undone = asObservation(undoneRaw);
    expect(undone.fields.severity).toBe(2);
    expect(undone.fields.note).toBe("från surfplatta B");
  });

  it("limits the stack and clears redo on a new action", () => {
    let state = EMPTY_HISTORY;
    const created = createObservation("p", "w", fields, ctx);
    for (let i = 0; i < HISTORY_LIMIT + 5; i++) {
      state = pushHistory(state, { label: "edit", changes: [{ before: created, after: created }] });
    }
    expect(state.undo).toHaveLength(HISTORY_LIMIT);
    state = { undo: state.undo, redo: [state.undo[0]!] };
    expect(pushHistory(state, state.undo[0]!).redo).toEqual([]);
  });
});
