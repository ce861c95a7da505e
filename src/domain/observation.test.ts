import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { deepFreeze } from "../../test/fixtures/context";
import type { Checklist } from "./checklist";
import { type ObservationInput, parseTypedNumber, validateObservation } from "./observation";

const checklist: Checklist = JSON.parse(
  readFileSync(new URL("../../data/checklist.json", import.meta.url), "utf8"),
);
const GROUPS = ["women", "men", "children_young", "elderly", "disabilities"];

const valid: ObservationInput = deepFreeze({
  geometry: { type: "Point", coordinates: [16.55, 59.61] },
  categoryId: "lighting.dark_tunnel",
  severity: "4",
  feltUnsafe: ["elderly", "women"],
  note: "  Mörk gångtunnel under vägen  ",
  photoIds: [],
  illuminanceLux: "0,8",
  observedAt: 1_800_000_000_000,
  positionAccuracyM: 5,
  placement: "gps",
});

describe("validateObservation", () => {
  it("accepts a valid observation and normalises it", () => {
    const result = validateObservation(valid, checklist, GROUPS);
    expect(result).toEqual({
      ok: true,
      value: {
        ...valid,
        severity: 4,
        illuminanceLux: 0.8,
        note: "Mörk gångtunnel under vägen",
        feltUnsafe: ["women", "elderly"],
      },
    });
  });

  it.each([
    ["severity 0", { severity: "0" }, { severity: "out_of_range" }],
    ["severity 6", { severity: 6 }, { severity: "out_of_range" }],
    ["severity 2.5", { severity: "2,5" }, { severity: "not_a_whole_number" }],
    ["severity text", { severity: "hög" }, { severity: "not_a_number" }],
    ["severity empty", { severity: "" }, { severity: "required" }],
    ["negative lux", { illuminanceLux: "-1" }, { illuminanceLux: "negative" }],
    ["lux not a number", { illuminanceLux: "mörkt" }, { illuminanceLux: "not_a_number" }],
    ["lux far too high", { illuminanceLux: "1000000" }, { illuminanceLux: "out_of_range" }],
    ["empty category", { categoryId: " " }, { categoryId: "required" }],
    ["unknown category", { categoryId: "lighting.disco" }, { categoryId: "unknown_category" }],
    ["unknown group", { feltUnsafe: ["aliens"] }, { feltUnsafe: "unknown_group" }],
    [
      "everyone plus a group",
      { feltUnsafe: ["everyone", "men"] },
      { feltUnsafe: "everyone_with_groups" },
    ],
    ["six photos", { photoIds: ["1", "2", "3", "4", "5", "6"] }, { photoIds: "too_many_photos" }],
    [
      "open polygon",
      {
        geometry: {
          type: "Polygon",
          coordinates: [
            [
              [0, 0],
              [1, 0],
              [1, 1],
              [0, 1],
            ],
          ],
        },
      },
      { geometry: "invalid_geometry" },
    ],
    [
      "latitude out of range",
      { geometry: { type: "Point", coordinates: [16, 95] } },
      { geometry: "invalid_geometry" },
    ],
    [
      "line with one point",
      { geometry: { type: "LineString", coordinates: [[16, 59]] } },
      { geometry: "invalid_geometry" },
    ],
  ])("refuses %s with the exact reason", (_name, change, errors) => {
    expect(
      validateObservation({ ...valid, ...change } as ObservationInput, checklist, GROUPS),
    ).toEqual({
      ok: false,
      errors,
    });
  });

  it("reports every bad field at once", () => {
    const result = validateObservation(
      { ...valid, severity: "9", illuminanceLux: "-3", categoryId: "" },
      checklist,
      GROUPS,
    );
    expect(result).toEqual({
      ok: false,
      errors: { severity: "out_of_range", illuminanceLux: "negative", categoryId: "required" },
    });
  });

  it("accepts an empty lux field as no measurement", () => {
    const result = validateObservation({ ...valid, illuminanceLux: " " }, checklist, GROUPS);
    expect(result.ok && result.value.illuminanceLux).toBe(null);
  });
});

describe("parseTypedNumber", () => {
  it.each([
    ["3", 3],
    ["3,5", 3.5],
    [" 12.25 ", 12.25],
    ["1 000", 1000],
    ["", null],
    ["abc", "nan"],
    ["1e5", "nan"],
    [Number.NaN, "nan"],
  ] as const)("parses %j as %j", (input, expected) => {
    expect(parseTypedNumber(input)).toBe(expected);
  });
});
