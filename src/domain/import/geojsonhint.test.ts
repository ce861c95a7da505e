/**
 * The test suite of a peer validator, mapbox/geojsonhint (../shared/data/geojsonhint/, ISC),
 * run as a whole folder: every file in good/ imports, every file in bad/ is refused or
 * rejected with a clear reason, or repaired as documented (geojson-checks.ts).
 *
 * The tables were written by reading each fixture and its `.result` (geojsonhint's
 * messages). Where Lykta accepts something geojsonhint flags, `accepted` says why.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { REPAIRS as F, GEOJSON_REASONS as R } from "./geojson-checks";
import { importFile } from "./index";
import type { ImportResult } from "./types";

const FOLDER = new URL("../../../../shared/data/geojsonhint/", import.meta.url);

type Expected =
  /** The whole file is refused (ImportFailure) with this code. */
  | { refused: string }
  /** The file imports; `kept` features; these [where, code] rejected and repaired. */
  | {
      kept: number;
      rejected?: [string, string][];
      repaired?: [string, string][];
      /** Why Lykta accepts what geojsonhint flags. */
      accepted?: string;
    };

const GOOD: Record<string, Expected> = {
  "good-feature-with-id.geojson": { kept: 1 },
  "good-feature-with-string-id.geojson": { kept: 1 },
  "good-feature.geojson": { kept: 1 },
  "good-featurecollection-bbox.geojson": { kept: 2 },
  "good-featurecollection-bbox3d.geojson": {
    kept: 2,
    repaired: [
      ["features[0]", F.dimensionsDropped],
      ["features[1]", F.dimensionsDropped],
    ],
  },
  "good-featurecollection-extensions.geojson": { kept: 3 },
  "good-featurecollection.geojson": { kept: 3 },
  "good-geometrycollection.geojson": {
    kept: 2,
    repaired: [["geometry", F.geometryCollectionSplit]],
  },
  "good-linestring.geojson": { kept: 1 },
  "good-multilinestring.geojson": { kept: 1 },
  "good-multipoint.geojson": { kept: 1 },
  "good-point-3d.geojson": { kept: 1, repaired: [["geometry", F.dimensionsDropped]] },
  "good-point.geojson": { kept: 1 },
  "good-polygon.geojson": { kept: 1 },
  // Lon -263, lat -141: outside WGS84's range, and no crs member. The issue requires refusal.
  "issue82.geojson": { refused: R.outOfRange },
  "multipolygon.geojson": { kept: 1 },
  // Valid RFC 7946 (an unlocated feature), but nothing to put on a map: the file imports
  // (ok: true) and its one feature is listed as rejected, so the person sees why it is absent.
  "nullgeometry.geojson": { kept: 0, rejected: [["features[0]", R.noGeometry]] },
  "nullproperties.geojson": { kept: 1 },
};

const BAD: Record<string, Expected> = {
  // JSON keeps the last "type" ("Feature"); that Feature has no geometry member. Its
  // forbidden "features" member would be ignored, but the feature is rejected anyway.
  "bad-duplicate-properties.geojson": {
    kept: 0,
    rejected: [["feature", R.geometryMissing]],
  },
  // Polygon coordinates [5].
  "bad-featurelist.geojson": { kept: 0, rejected: [["geometry", R.coordinatesNesting]] },
  // Missing comma: line 3, column 5.
  "bad-json.geojson": { refused: R.invalidJson },
  "bad-object-type.geojson": { refused: R.notGeoJson },
  "bad-polygon-interiorring-rhr.geojson": {
    kept: 1,
    repaired: [["geometry", F.windingRewound]],
    accepted:
      "RFC 7946 §3.1.6: parsers SHOULD NOT reject polygons that do not follow the right-hand rule; rewound and reported",
  },
  // A Polygon whose coordinates are positions, not rings.
  "bad-polygonloop.geojson": { kept: 0, rejected: [["feature", R.coordinatesNesting]] },
  // properties [] is repaired to {} (PHP's empty object), but the geometry is null.
  "bad-properties-as-array.geojson": { kept: 0, rejected: [["feature", R.noGeometry]] },
  // [1, 2, "f"]
  "badcoord.geojson": { kept: 0, rejected: [["geometry", R.coordinateNotNumber]] },
  // MultiPolygon [[[1]]]
  "badcoordtype.geojson": { kept: 0, rejected: [["features[0]", R.coordinatesNesting]] },
  "badfeature.geojson": { kept: 0, rejected: [["features[0]", R.featureNotObject]] },
  "badfeatureid.geojson": {
    kept: 1,
    repaired: [["features[0]", F.idDropped]],
    accepted: "the id {} is dropped (reported); the feature itself is sound",
  },
  "bbox-4or6elements.geojson": {
    kept: 1,
    repaired: [["geometry", F.bboxIgnored]],
    accepted:
      "Lykta never uses a file's bbox (it computes extents); an invalid one is ignored and reported",
  },
  "bbox-contains-string.geojson": {
    kept: 1,
    repaired: [["geometry", F.bboxIgnored]],
    accepted: "as bbox-4or6elements",
  },
  "bbox-string.geojson": {
    kept: 1,
    repaired: [["geometry", F.bboxIgnored]],
    accepted: "as bbox-4or6elements",
  },
  // The issue: an unclosed ring is rejected, never closed silently.
  "different-first-last.geojson": { kept: 0, rejected: [["geometry", R.ringNotClosed]] },
  "different-first-size.geojson": {
    kept: 1,
    repaired: [
      ["geometry", F.dimensionsDropped],
      ["geometry", F.windingRewound],
    ],
    accepted:
      "first [100, 0] and last [100, 0, 4.9] are the same x/y; the elevation is dropped (as for every 3D position), which closes the ring",
  },
  "excessive_precision_truncated.geojson": {
    kept: 1,
    repaired: [["geometry", F.precisionReduced]],
    accepted: "geojsonhint reports nothing; Lykta rounds to 7 decimals (about 1 cm) and says so",
  },
  // properties: 123
  "expected_object.geojson": { kept: 0, rejected: [["feature", R.propertiesNotObject]] },
  // GeometryCollection [false]
  "false.geojson": { kept: 0, rejected: [["geometry", R.geometryNotObject]] },
  "feature_changed_semantics.geojson": {
    kept: 1,
    repaired: [["feature", F.forbiddenMemberIgnored]],
    accepted:
      'RFC 7946 §7.1 forbids "features" and "coordinates" on a Feature; its type, geometry and properties are unambiguous, so the members are ignored and reported',
  },
  "featurecollection-obj.geojson": { refused: R.featuresNotArray },
  "featurecollection-type-case.geojson": {
    kept: 3,
    repaired: [
      ["file", F.typeCase],
      ["features[0]", F.typeCase],
      ["features[1]", F.typeCase],
      ["features[2]", F.typeCase],
    ],
    accepted:
      'GDAL and QGIS read type names without case; "featurecollection" is read as FeatureCollection and reported',
  },
  "featurecollection.geojson": { refused: R.featuresMissing },
  "featurecollection_changed_semantics.geojson": {
    kept: 3,
    repaired: [["file", F.forbiddenMemberIgnored]],
    accepted: 'some exporters put "properties" on a FeatureCollection; ignored and reported',
  },
  "geometry_changed_semantics.geojson": {
    kept: 1,
    repaired: [["geometry", F.forbiddenMemberIgnored]],
    accepted:
      'a Point with "features", "geometry" and "properties" members: the Point is read, the members ignored and reported',
  },
  "geometrycollection_nested.geojson": {
    kept: 3,
    repaired: [["geometry", F.geometryCollectionSplit]],
    accepted:
      "geojsonhint only advises against nesting; collections are split into features, nesting flattened",
  },
  "geometrycollection_single.geojson": {
    kept: 1,
    repaired: [["geometry", F.geometryCollectionSplit]],
    accepted: "geojsonhint only advises against a single-member collection; split into one feature",
  },
  "multiple_problems.geojson": {
    kept: 1,
    rejected: [
      ["features[0]", R.coordinateNotNumber],
      ["features[2]", R.featureTypeInvalid],
      ["features[3]", R.featureTypeInvalid],
    ],
  },
  // [[[0,0],[0,0]]]: a position holding positions.
  "multipoint-multidimension.geojson": { kept: 0, rejected: [["geometry", R.coordinatesNesting]] },
  // MultiPoint [0, 0]
  "multipoint-nondimension.geojson": { kept: 0, rejected: [["geometry", R.coordinatesNesting]] },
  // "Featre"
  "nofeaturetype.geojson": { kept: 0, rejected: [["features[0]", R.featureTypeInvalid]] },
  "notype.geojson": { refused: R.notGeoJson },
  "point-labeled-as-a-multipolygon.geojson": {
    kept: 0,
    rejected: [["feature", R.coordinatesNesting]],
  },
  "point-string.geojson": { kept: 0, rejected: [["geometry", R.coordinateNotNumber]] },
  "point-toofew.geojson": { kept: 0, rejected: [["geometry", R.positionTooShort]] },
  "point-toomany.geojson": {
    kept: 1,
    repaired: [["geometry", F.dimensionsDropped]],
    accepted:
      "geojsonhint only advises against 4 values; x and y are kept, the rest dropped and reported",
  },
  "point.geojson": { kept: 0, rejected: [["geometry", R.coordinatesMissing]] },
  "polygon_winding_order.geojson": {
    kept: 1,
    repaired: [["geometry", F.windingRewound]],
    accepted: "as bad-polygon-interiorring-rhr",
  },
  // The root is null.
  "rootstring.geojson": { refused: R.notGeoJson },
  "short-line.geojson": { kept: 0, rejected: [["geometry", R.lineTooShort]] },
  // 3 positions, not closed: too short is reported first.
  "short-linearring.geojson": { kept: 0, rejected: [["geometry", R.ringTooShort]] },
  "short-multilinestring.geojson": { kept: 0, rejected: [["geometry", R.lineTooShort]] },
  "stringcoord.geojson": { kept: 1, rejected: [["features[0]", R.coordinateNotNumber]] },
  "unknowntype.geojson": { refused: R.unknownType },
};

function listFixtures(folder: string): string[] {
  return readdirSync(new URL(`${folder}/`, FOLDER))
    .filter((name) => name.endsWith(".geojson"))
    .sort();
}

async function importFixture(folder: string, name: string): Promise<ImportResult> {
  const bytes = new Uint8Array(readFileSync(new URL(`${folder}/${name}`, FOLDER)));
  return importFile({ name, bytes });
}

function check(result: ImportResult, expected: Expected): void {
  if ("refused" in expected) {
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issue.code).toBe(expected.refused);
    expect(result.issue.where).toBe("file");
    expect(result.issue.message.length).toBeGreaterThan(20);
    return;
  }
  expect(result.ok).toBe(true);
  if (!result.ok) return;
  expect(result.features).toHaveLength(expected.kept);
  expect(result.rejected.map((issue) => [issue.where, issue.code])).toEqual(
    expected.rejected ?? [],
  );
  expect(result.repaired.map((issue) => [issue.where, issue.code])).toEqual(
    expected.repaired ?? [],
  );
  for (const issue of [...result.rejected, ...result.repaired]) {
    expect(issue.message.length).toBeGreaterThan(10);
  }
}

describe("geojsonhint good/", () => {
  test("the table covers exactly the files in the folder", () => {
    expect(Object.keys(GOOD).sort()).toEqual(listFixtures("good"));
  });
  test.each(listFixtures("good"))("%s", async (name) => {
    check(await importFixture("good", name), GOOD[name]!);
  });
  test("issue82: refused because the coordinates are outside WGS84's range, with a hint", async () => {
    const result = await importFixture("good", "issue82.geojson");
    if (result.ok) throw new Error("issue82 must be refused");
    expect(result.issue.message).toContain("outside WGS84's range");
    expect(result.issue.message).toContain("Name the CRS");
  });
});

describe("geojsonhint bad/", () => {
  test("the table covers exactly the files in the folder, each with geojsonhint's result", () => {
    expect(Object.keys(BAD).sort()).toEqual(listFixtures("bad"));
    for (const name of listFixtures("bad")) {
      const hint = JSON.parse(
        readFileSync(new URL(`bad/${name.replace(/\.geojson$/, ".result")}`, FOLDER), "utf8"),
      ) as unknown[];
      // geojsonhint flags every bad file but one, which Lykta repairs (and says so).
      if (hint.length === 0) expect(BAD[name]).toMatchObject({ accepted: expect.any(String) });
    }
  });
  test.each(listFixtures("bad"))("%s", async (name) => {
    check(await importFixture("bad", name), BAD[name]!);
  });
  test("bad-json: the sentence says where", async () => {
    const result = await importFixture("bad", "bad-json.geojson");
    if (result.ok) throw new Error("bad-json must be refused");
    expect(result.issue.params).toEqual({ line: 3, column: 5 });
    expect(result.issue.message).toBe(
      "bad-json.geojson is not valid JSON: line 3, column 5: expected ',' or '}' after a property value, found '\"'",
    );
  });
});
