import { describe, expect, it } from "vitest";
import { EMPTY_WALK_FIELDS, isValidDate, validateWalk, type WalkFields } from "./walk";

const ORGANISATIONS = ["municipality", "police", "housing_company", "residents", "school", "other"];
const GROUPS = ["women", "men", "children_young", "elderly", "disabilities"];
const walk: WalkFields = {
  ...EMPTY_WALK_FIELDS,
  name: " Vivalla kväll ",
  date: "2026-11-24",
  startTime: "18:00",
  endTime: "20:30",
};

describe("validateWalk", () => {
  it("accepts a walk and drops zero and unknown participant counts", () => {
    const result = validateWalk(
      {
        ...walk,
        participantsByOrganisation: { police: 2, residents: 0, aliens: 3 },
        participantsByGroup: { women: 4 },
      },
      ORGANISATIONS,
      GROUPS,
    );
    expect(result).toEqual({
      ok: true,
      value: {
        ...walk,
        name: "Vivalla kväll",
        participantsByOrganisation: { police: 2 },
        participantsByGroup: { women: 4 },
      },
    });
  });

  it.each([
    ["no name", { name: "  " }, { name: "required" }],
    ["impossible date", { date: "2026-02-30" }, { date: "invalid_date" }],
    ["date in another format", { date: "24/11/2026" }, { date: "invalid_date" }],
    ["bad start time", { startTime: "25:00" }, { startTime: "invalid_time" }],
    [
      "negative count",
      { participantsByOrganisation: { police: -1 } },
      { participantsByOrganisation: "out_of_range" },
    ],
    [
      "fractional count",
      { participantsByGroup: { men: 1.5 } },
      { participantsByGroup: "out_of_range" },
    ],
    [
      "open area outline",
      {
        areaPolygon: {
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
      { areaPolygon: "invalid_geometry" },
    ],
  ])("refuses %s", (_name, change, errors) => {
    expect(validateWalk({ ...walk, ...change } as WalkFields, ORGANISATIONS, GROUPS)).toEqual({
      ok: false,
      errors,
    });
  });

  it("allows a walk without times and one that ends after midnight", () => {
    expect(validateWalk({ ...walk, startTime: "", endTime: "" }, ORGANISATIONS, GROUPS).ok).toBe(
      true,
    );
    expect(
      validateWalk({ ...walk, startTime: "22:00", endTime: "00:30" }, ORGANISATIONS, GROUPS).ok,
    ).toBe(true);
  });

  it("knows leap days", () => {
    expect(isValidDate("2028-02-29")).toBe(true);
    expect(isValidDate("2027-02-29")).toBe(false);
  });
});
