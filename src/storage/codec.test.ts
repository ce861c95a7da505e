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
    expect(stored.p![0]).toBe(2);
    expect(unpackRecord(stored)).toEqual(record);
    // Fields stay readable as they are (tools and tests read them straight from IndexedDB).
    expect(stored.fields).toEqual(record.fields);
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
