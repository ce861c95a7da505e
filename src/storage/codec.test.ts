import { describe, expect, it } from "vitest";
import { testContext } from "../../test/fixtures/context";
import { createObservation, type ObservationFields } from "../domain/observation";
import { editRecord } from "../domain/record";
import { packRecord, unpackRecord } from "./codec";

const fields: ObservationFields = {
  geometry: {
    type: "LineString",
    coordinates: [
      [16.5, 59.6],
      [16.51, 59.61],
    ],
  },
  categoryId: "lighting.dark_stretch",
  severity: 4,
  feltUnsafe: ["women", "elderly"],
  note: "Mörk gångväg",
  photoIds: [],
  illuminanceLux: 0.3,
  observedAt: 1_800_000_000_000,
  positionAccuracyM: null,
  placement: "drawn",
};

describe("stored record layout", () => {
  it("packs clocks into one array and unpacks them exactly", () => {
    const a = testContext("tablet-a", 1);
    const b = testContext("tablet-b", 2);
    let record = createObservation("p", "w", fields, a);
    record = editRecord(record, { note: "Skrivet på B" }, b);
    record = editRecord(record, { severity: 2 }, a);
    const stored = packRecord(record);
    expect(stored).not.toHaveProperty("clock");
    expect(stored.p![0]).toBe(1); // layout
    expect(stored.p![1]).toBe(2); // two devices
    expect(unpackRecord(stored)).toEqual(record);
    // Fields stay readable as they are (tools and tests read them straight from IndexedDB).
    expect(stored.fields).toEqual(record.fields);
  });

  it("keeps field names it does not know, and clock times exactly", () => {
    const record = {
      ...createObservation("p", "w", fields, testContext()),
      fields: { ...fields, futureField: 1 },
    };
    (record.clock as Record<string, unknown>).futureField = {
      version: 3,
      nonce: 7,
      by: "tablet-z",
      at: 1_500_000_000_123,
      ancestors: [5, 6],
    };
    expect(unpackRecord(packRecord(record as never))).toEqual(record);
  });

  it("reads records stored unpacked", () => {
    const record = createObservation("p", "w", fields, testContext());
    expect(unpackRecord(record)).toBe(record);
  });

  it("is much smaller than the unpacked form", () => {
    const record = createObservation(
      "p",
      "w",
      fields,
      testContext("3f1c2a9e-0000-4000-8000-000000000001"),
    );
    const packed = JSON.stringify(packRecord(record)).length;
    const unpacked = JSON.stringify(record).length;
    expect(packed).toBeLessThan(unpacked * 0.6);
  });
});
