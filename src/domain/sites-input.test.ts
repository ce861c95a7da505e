import { describe, expect, it } from "vitest";
import { testContext } from "../../test/fixtures/context";
import { CHECKLIST, EVENING_MS, GROUPS, pointAt, report } from "../../test/fixtures/sites";
import { observationFeatures } from "./export/geojson";
import { EMPTY_OBSERVATION_FIELDS } from "./observation";
import { tombstoneRecord } from "./record";
import { createSiteLink, EMPTY_SITE_LINK_FIELDS } from "./site-link";
import { siteInputFromGeoJson, siteInputFromRecords } from "./sites-input";

const ctx = testContext("tablet", 9);
const lamp = report("lamp", "lighting.broken", pointAt(0, 0), {
  walkId: "walk-1",
  severity: 4,
  feltUnsafe: ["women", "elderly"],
  observedAt: EVENING_MS,
});

function collection(properties: Record<string, unknown>[]) {
  const [feature] = observationFeatures([lamp], {
    checklist: CHECKLIST,
    groups: GROUPS,
    walks: [],
  });
  return {
    type: "FeatureCollection",
    features: properties.map((changes) => ({
      type: "Feature",
      geometry: feature!.geometry,
      properties: { ...feature!.properties, ...changes },
    })),
  };
}

describe("siteInputFromGeoJson", () => {
  it("maps an export's attributes back to the observation", () => {
    const input = siteInputFromGeoJson(JSON.parse(JSON.stringify(collection([{}]))));
    expect(input.problems).toEqual([]);
    const [observation] = input.observations;
    expect(observation).toMatchObject({ id: "lamp", walkId: "walk-1", deleted: false });
    expect(observation!.fields).toMatchObject({
      categoryId: "lighting.broken",
      severity: 4,
      feltUnsafe: ["women", "elderly"],
      observedAt: EVENING_MS,
      geometry: lamp.fields.geometry,
    });
  });

  it("reads felt_unsafe as CSV text or JSON text too", () => {
    const input = siteInputFromGeoJson(
      collection([
        { id: "a", felt_unsafe: "women;elderly" },
        { id: "b", felt_unsafe: '["men"]' },
      ]),
    );
    expect(input.observations.map((observation) => observation.fields.feltUnsafe)).toEqual([
      ["women", "elderly"],
      ["men"],
    ]);
  });

  it("says which feature cannot be used and why", () => {
    const input = siteInputFromGeoJson(
      collection([
        { id: "" },
        { id: "b", category_id: null },
        { id: "c", severity: "high" },
        { id: "d", observed_at: "2026-11-24 18:00" },
        { id: "e", felt_unsafe: 3 },
        { id: "f" },
        { id: "f" },
      ]),
    );
    expect(input.problems).toEqual([
      { where: "features[0]", reason: "id: missing (the observation's UUID)" },
      { where: "features[1]", reason: "category_id: missing" },
      { where: "features[2]", reason: 'severity: "high" is not a whole number 1-5' },
      {
        where: "features[3]",
        reason: 'observed_at: "2026-11-24 18:00" is not an ISO 8601 date-time with an offset',
      },
      { where: "features[4]", reason: "felt_unsafe: not a list of group ids" },
      { where: "features[6]", reason: "id: f is also features[5]" },
    ]);
    expect(input.observations.map((observation) => observation.id)).toEqual(["f"]);
  });

  it("refuses what is not a WGS 84 FeatureCollection", () => {
    expect(siteInputFromGeoJson([]).problems).toEqual([
      { where: "file", reason: "not a GeoJSON FeatureCollection" },
    ]);
    const sweref = {
      ...collection([{}]),
      crs: { type: "name", properties: { name: "EPSG:3006" } },
    };
    expect(siteInputFromGeoJson(sweref).problems[0]!.where).toBe("crs");
  });
});

describe("siteInputFromRecords", () => {
  it("keeps observations and site links (tombstones too) and reports broken ones", () => {
    const link = createSiteLink(
      "project-1",
      { relation: "same", groupA: ["a"], groupB: ["b"] },
      ctx,
    );
    const deletedLink = tombstoneRecord(
      createSiteLink("project-1", { relation: "same", groupA: ["a"], groupB: ["c"] }, ctx),
      EMPTY_SITE_LINK_FIELDS,
      ctx,
    );
    const deleted = tombstoneRecord(
      report("gone", "lighting.broken", pointAt(1, 1)),
      EMPTY_OBSERVATION_FIELDS,
      ctx,
    );
    const broken = { ...report("broken", "lighting.broken", pointAt(2, 2)) };
    broken.fields = { ...broken.fields, geometry: { type: "Point", coordinates: [200, 0] } };
    const badLink = {
      ...link,
      id: "bad-link",
      fields: { relation: "same" as const, groupA: ["a"], groupB: [] },
    };
    const input = siteInputFromRecords([lamp, lamp, deleted, broken, link, deletedLink, badLink]);
    expect(input.observations.map((observation) => observation.id)).toEqual(["lamp", "gone"]);
    expect(input.links.map((each) => each.id)).toEqual([link.id, deletedLink.id]);
    expect(input.problems).toEqual([
      { where: "observation lamp", reason: "listed twice" },
      { where: "observation broken", reason: "geometry: point coordinates are not lon/lat" },
      { where: "siteLink bad-link", reason: "groupB is empty" },
    ]);
  });
});
