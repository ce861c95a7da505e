import { readFileSync } from "node:fs";
import type { LineString, Point, Polygon } from "geojson";
import { describe, expect, test } from "vitest";
import { IMPORT_MESSAGES_CORE } from "../../i18n/import-messages-core";
import { fromWgs84 } from "../crs";
import { detectFieldMapping, parseMeasure, propertyNames } from "../layers";
import { CSV_REASONS } from "./csv";
import { GEOJSON_REASONS, importGeoJson, REPAIRS } from "./geojson";
import { signedArea } from "./geojson-checks";
import type { ImportResult, ImportSuccess } from "./types";

const LAMPS = new URL("../../../../shared/data/lamps/", import.meta.url);

async function geojson(value: unknown, fromCrs?: string): Promise<ImportResult> {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return importGeoJson({
    name: "test.geojson",
    bytes: new TextEncoder().encode(text),
    ...(fromCrs === undefined ? {} : { fromCrs }),
  });
}

function success(result: ImportResult): ImportSuccess {
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.issue)}`);
  return result;
}

function failureCode(result: ImportResult): string {
  if (result.ok) throw new Error("expected a failure");
  expect(result.issue.where).toBe("file");
  expect(result.issue.message.length).toBeGreaterThan(10);
  return result.issue.code;
}

const point = (coordinates: unknown, properties: unknown = {}) => ({
  type: "Feature",
  properties,
  geometry: { type: "Point", coordinates },
});
const collection = (...features: unknown[]) => ({ type: "FeatureCollection", features });
const square = [
  [18, 59],
  [18.001, 59],
  [18.001, 59.001],
  [18, 59.001],
  [18, 59],
];

describe("real files", () => {
  test("the Latin-1 Utrecht lamp file: encoding, accented street names, pole heights", async () => {
    const bytes = new Uint8Array(
      readFileSync(new URL("utrecht_mastoverzicht_latin1.geojson", LAMPS)),
    );
    const result = success(
      await importGeoJson({ name: "utrecht_mastoverzicht_latin1.geojson", bytes }),
    );
    expect(result.encoding).toBe("windows-1252");
    expect(result.sourceCrs).toBe("EPSG:4326");
    expect(result.totalFeatures).toBe(9793);
    expect(result.features).toHaveLength(9793);
    expect(result.rejected).toEqual([]);
    expect(result.repaired).toEqual([]);
    // Found with: iconv -f latin1 -t utf-8 utrecht_mastoverzicht_latin1.geojson | grep Trév
    expect(result.features[1028]!.properties).toEqual({
      BUURT: "10.23",
      STRAAT: "Trévouxperenlaan",
      MASTNUMMER: "1",
      MASTLENGTE: "4",
    });
    expect((result.features[1028]!.geometry as Point).coordinates).toEqual([5.000696, 52.093142]);
    const streets = new Set(result.features.map((feature) => feature.properties?.STRAAT));
    for (const street of ["Tolsteegbarrière", "Thomas à Kempisplantsoen", "Thomas à Kempisweg"]) {
      expect(streets.has(street)).toBe(true);
    }
    // Heights: detected as the pole height and read as numbers (4021 masts are 4 m).
    const mapping = detectFieldMapping("lamps", propertyNames(result.features));
    expect(mapping.poleHeightM).toBe("MASTLENGTE");
    const heights = result.features.map((feature) => parseMeasure(feature.properties?.MASTLENGTE));
    expect(heights.every((height) => height !== null && height >= 0)).toBe(true);
    // 67 masts have MASTLENGTE "0" (height not recorded in the source).
    expect(heights.filter((height) => height === 0)).toHaveLength(67);
    expect(heights.filter((height) => height === 4)).toHaveLength(4021);
  });

  test("30,000 Montpellier lamps import well under 2 s, with progress", async () => {
    const bytes = new Uint8Array(
      readFileSync(new URL("montpellier_eclairage_public.geojson", LAMPS)),
    );
    const fractions: number[] = [];
    const start = performance.now();
    const result = success(
      await importGeoJson({ name: "montpellier.geojson", bytes }, (fraction) =>
        fractions.push(fraction),
      ),
    );
    const elapsedMs = performance.now() - start;
    console.log(`Montpellier: ${result.features.length} features in ${elapsedMs.toFixed(0)} ms`);
    expect(result.features).toHaveLength(29969);
    expect(result.rejected).toEqual([]);
    expect(elapsedMs).toBeLessThan(2000);
    expect(fractions.length).toBeGreaterThan(10);
    expect(fractions[0]).toBe(0);
    expect(fractions.at(-1)).toBe(1);
    expect(
      fractions.every((fraction, index) => index === 0 || fraction >= fractions[index - 1]!),
    ).toBe(true);
  });
});

describe("SWEREF 99 TM and other named CRSs", () => {
  // The issue's known pair: WGS84 lat 59.3293, lon 18.0686 is N 6580743.0, E 674571.9.
  const swerefFeatures = [
    point([674571.9, 6580743.0], { name: "Stockholm" }),
    {
      type: "Feature",
      properties: {},
      geometry: {
        type: "LineString",
        coordinates: [
          [674571.9, 6580743.0],
          [674671.9, 6580843.0],
        ],
      },
    },
  ];
  const named = (name: string) => ({
    ...collection(...swerefFeatures),
    crs: { type: "name", properties: { name } },
  });

  test.each([
    "urn:ogc:def:crs:EPSG::3006",
    "EPSG:3006",
    "http://www.opengis.net/def/crs/EPSG/0/3006",
  ])("a crs member naming %s is reprojected to WGS 84", async (name) => {
    const result = success(await geojson(named(name)));
    expect(result.sourceCrs).toBe("EPSG:3006");
    const [lon, lat] = (result.features[0]!.geometry as Point).coordinates;
    expect(Math.abs(lon! - 18.0686)).toBeLessThan(2e-6);
    expect(Math.abs(lat! - 59.3293)).toBeLessThan(2e-6);
    // Rounded to 7 decimals without a report: reprojection digits are not data.
    expect(lon).toBe(Math.round(lon! * 1e7) / 1e7);
    expect(result.repaired).toEqual([]);
    expect(result.features[0]!.properties).toEqual({ name: "Stockholm" });
  });

  test("the legacy {type: EPSG, properties: {code}} form", async () => {
    const result = success(
      await geojson({
        ...collection(...swerefFeatures),
        crs: { type: "EPSG", properties: { code: 3006 } },
      }),
    );
    expect(result.sourceCrs).toBe("EPSG:3006");
  });

  test("the same coordinates without a crs member are refused with the SWEREF 99 TM hint", async () => {
    const result = await geojson(collection(...swerefFeatures));
    expect(failureCode(result)).toBe(GEOJSON_REASONS.outOfRangeLikelyCrs);
    if (result.ok) return;
    expect(result.issue.params).toMatchObject({ crs: "EPSG:3006", crsName: "SWEREF 99 TM" });
    expect(result.issue.message).toContain("outside WGS84's range");
    expect(result.issue.message).toContain("SWEREF 99 TM (EPSG:3006)");
    expect(result.issue.message).toContain("Name the CRS");
  });

  test("... and with fromCrs EPSG:3006 they import", async () => {
    const result = success(await geojson(collection(...swerefFeatures), "EPSG:3006"));
    expect(result.sourceCrs).toBe("EPSG:3006");
    const [lon, lat] = (result.features[0]!.geometry as Point).coordinates;
    expect(lon).toBeCloseTo(18.0686, 5);
    expect(lat).toBeCloseTo(59.3293, 5);
    expect((result.features[1]!.geometry as LineString).coordinates).toHaveLength(2);
  });

  test("fromCrs overrides the crs member", async () => {
    const [e, n] = fromWgs84("EPSG:3011")(18.0686, 59.3293);
    const file = {
      ...collection(point([e, n])),
      crs: { type: "name", properties: { name: "EPSG:3006" } },
    };
    const result = success(await geojson(file, "urn:ogc:def:crs:EPSG::3011"));
    expect(result.sourceCrs).toBe("EPSG:3011");
    const [lon, lat] = (result.features[0]!.geometry as Point).coordinates;
    expect(lon).toBeCloseTo(18.0686, 6);
    expect(lat).toBeCloseTo(59.3293, 6);
  });

  test("a local zone and RT 90 named in the file", async () => {
    const local = success(await geojson(named("EPSG:3011")));
    expect(local.sourceCrs).toBe("EPSG:3011");
    const [rtE, rtN] = fromWgs84("EPSG:3021")(18.0686, 59.3293);
    const rt90 = success(
      await geojson({
        ...collection(point([rtE, rtN])),
        crs: { type: "name", properties: { name: "urn:ogc:def:crs:EPSG::3021" } },
      }),
    );
    const [lon, lat] = (rt90.features[0]!.geometry as Point).coordinates;
    expect(lon).toBeCloseTo(18.0686, 6);
    expect(lat).toBeCloseTo(59.3293, 6);
  });

  test("CRS84 and EPSG:4326 crs members are WGS 84", async () => {
    const result = success(
      await geojson({
        ...collection(point([18.0686, 59.3293])),
        crs: { type: "name", properties: { name: "urn:ogc:def:crs:OGC:1.3:CRS84" } },
      }),
    );
    expect(result.sourceCrs).toBe("EPSG:4326");
    expect((result.features[0]!.geometry as Point).coordinates).toEqual([18.0686, 59.3293]);
  });

  test("an unknown named CRS refuses the file and names it", async () => {
    const result = await geojson({
      ...collection(point([652000, 6862000])),
      crs: { type: "name", properties: { name: "urn:ogc:def:crs:EPSG::2154" } },
    });
    expect(failureCode(result)).toBe(GEOJSON_REASONS.unknownCrs);
    if (!result.ok) expect(result.issue.message).toContain("EPSG:2154");
    const link = await geojson({
      ...collection(point([1, 2])),
      crs: { type: "link", properties: { href: "http://example.com/crs" } },
    });
    expect(failureCode(link)).toBe(GEOJSON_REASONS.unknownCrs);
  });

  test("fromCrs makes an unreadable crs member irrelevant", async () => {
    const file = {
      ...collection(point([674571.9, 6580743.0])),
      crs: { type: "name", properties: { name: "EPSG:2154" } },
    };
    expect(success(await geojson(file, "EPSG:3006")).features).toHaveLength(1);
  });

  test("an unknown fromCrs refuses the import", async () => {
    expect(failureCode(await geojson(collection(point([1, 2])), "EPSG:9999"))).toBe(
      GEOJSON_REASONS.unknownCrs,
    );
  });

  test("degrees in a file that names a projected CRS are refused", async () => {
    const result = await geojson({
      ...collection(point([18.0686, 59.3293])),
      crs: { type: "name", properties: { name: "EPSG:3006" } },
    });
    expect(failureCode(result)).toBe(GEOJSON_REASONS.crsMismatch);
  });

  test("RT 90 coordinates without a CRS get the RT 90 hint; others the general one", async () => {
    const rt90 = await geojson(point([1628832.57, 6580908.6]));
    expect(failureCode(rt90)).toBe(GEOJSON_REASONS.outOfRangeLikelyCrs);
    if (!rt90.ok) expect(rt90.issue.params?.crs).toBe("EPSG:3021");
    const other = await geojson(point([-263, -141]));
    expect(failureCode(other)).toBe(GEOJSON_REASONS.outOfRange);
    if (!other.ok) expect(other.issue.message).toContain("Name the CRS");
  });

  test("one out-of-range feature among good ones is rejected alone", async () => {
    const result = success(await geojson(collection(point([18, 59]), point([200.5, 59]))));
    expect(result.features).toHaveLength(1);
    expect(result.rejected).toMatchObject([
      { where: "features[1]", code: GEOJSON_REASONS.outOfRange, params: { index: 1, x: 200.5 } },
    ]);
  });
});

describe("roots", () => {
  test("a single Feature keeps its id and properties", async () => {
    const result = success(await geojson({ ...point([18, 59], { a: 1 }), id: "x1" }));
    expect(result.features).toEqual([
      {
        type: "Feature",
        id: "x1",
        geometry: { type: "Point", coordinates: [18, 59] },
        properties: { a: 1 },
      },
    ]);
  });

  test("a bare geometry becomes one feature without properties", async () => {
    const result = success(
      await geojson({
        type: "LineString",
        coordinates: [
          [18, 59],
          [18.1, 59.1],
        ],
      }),
    );
    expect(result.features).toEqual([
      {
        type: "Feature",
        geometry: {
          type: "LineString",
          coordinates: [
            [18, 59],
            [18.1, 59.1],
          ],
        },
        properties: {},
      },
    ]);
  });

  test("a GeometryCollection in a feature is split, properties copied to each part", async () => {
    const result = success(
      await geojson(
        collection({
          type: "Feature",
          id: 7,
          properties: { name: "a" },
          geometry: {
            type: "GeometryCollection",
            geometries: [
              { type: "Point", coordinates: [18, 59] },
              { type: "Polygon", coordinates: [square] },
            ],
          },
        }),
      ),
    );
    expect(result.totalFeatures).toBe(1);
    expect(
      result.features.map((feature) => [feature.geometry.type, feature.properties, feature.id]),
    ).toEqual([
      ["Point", { name: "a" }, undefined],
      ["Polygon", { name: "a" }, undefined],
    ]);
    expect(result.features[0]!.properties).not.toBe(result.features[1]!.properties);
    expect(result.repaired).toMatchObject([
      { where: "features[0]", code: REPAIRS.geometryCollectionSplit, params: { count: 2 } },
    ]);
  });

  test("not GeoJSON, empty, or no features: one clear sentence", async () => {
    expect(failureCode(await geojson('{"a":1}'))).toBe(GEOJSON_REASONS.notGeoJson);
    expect(failureCode(await geojson("[1, 2]"))).toBe(GEOJSON_REASONS.notGeoJson);
    expect(failureCode(await geojson('"text"'))).toBe(GEOJSON_REASONS.notGeoJson);
    expect(failureCode(await geojson("<!DOCTYPE html><html></html>"))).toBe(
      GEOJSON_REASONS.notGeoJson,
    );
    expect(failureCode(await geojson({ type: "Topology", objects: {} }))).toBe(
      GEOJSON_REASONS.unknownType,
    );
    expect(failureCode(await geojson(" \n\t"))).toBe(GEOJSON_REASONS.emptyFile);
    const empty = await geojson(collection());
    expect(failureCode(empty)).toBe(GEOJSON_REASONS.noFeatures);
    if (!empty.ok) expect(empty.issue.message).toBe("test.geojson contains no features");
  });
});

describe("invalid JSON says where", () => {
  test.each([
    [
      '{\n  "type": "Point"\n  "coordinates": [1, 2]\n}',
      3,
      3,
      "expected ',' or '}' after a property value, found '\"'",
    ],
    [
      '{"type": "FeatureCollection", "features": [\n{"type": "Feature"',
      2,
      19,
      "the file ends too early (it may be cut off)",
    ],
    ['{"a": [1, 2,]}', 1, 13, "a comma before ']' (trailing commas are not allowed in JSON)"],
    ['{"a": 1,}', 1, 9, "a comma before '}' (trailing commas are not allowed in JSON)"],
    ["{'a': 1}", 1, 2, "strings must be in double quotes, not single quotes"],
    ['{"a": NaN}', 1, 7, "NaN and Infinity are not allowed in JSON"],
    ['{"a": 01}', 1, 7, "an invalid number"],
    ['{"a": "x\ny"}', 1, 9, "a line break or control character inside a string (write it as \\n)"],
    ["// comment\n{}", 1, 1, "comments are not allowed in JSON"],
    ['{"a": 1} {"b": 2}', 1, 10, "more text after the end of the JSON value"],
    ['{"a": "\\x"}', 1, 8, "an invalid escape \\x in a string"],
    [
      '{"a": "abc',
      1,
      7,
      "the file ends inside a string (it may be cut off, or a quote is missing)",
    ],
  ])("%j: line %i, column %i", async (text, line, column, detail) => {
    const result = await geojson(text);
    expect(failureCode(result)).toBe(GEOJSON_REASONS.invalidJson);
    if (result.ok) return;
    expect(result.issue.params).toEqual({ line, column });
    expect(result.issue.message).toBe(
      `test.geojson is not valid JSON: line ${line}, column ${column}: ${detail}`,
    );
  });
});

describe("features: rejected with where and why", () => {
  test('the issue\'s example: "features[17]: polygon ring is not closed"', async () => {
    const features = Array.from({ length: 20 }, (_, index) =>
      index === 17
        ? {
            type: "Feature",
            properties: {},
            geometry: { type: "Polygon", coordinates: [square.slice(0, 4)] },
          }
        : point([18 + index / 1000, 59]),
    );
    const result = success(await geojson(collection(...features)));
    expect(result.features).toHaveLength(19);
    expect(result.totalFeatures).toBe(20);
    expect(result.rejected).toHaveLength(1);
    const issue = result.rejected[0]!;
    expect(issue.where).toBe("features[17]");
    expect(issue.code).toBe(GEOJSON_REASONS.ringNotClosed);
    expect(issue.message).toMatch(/^polygon ring is not closed/);
    expect(issue.params).toEqual({ index: 17, path: "geometry.coordinates[0]" });
  });

  const geometry = (value: unknown) => ({ type: "Feature", properties: {}, geometry: value });
  test.each([
    ["null feature", null, GEOJSON_REASONS.featureNotObject, undefined],
    [
      "feature type",
      { ...point([1, 2]), type: "Feture" },
      GEOJSON_REASONS.featureTypeInvalid,
      undefined,
    ],
    [
      "geometry in features",
      { type: "Point", coordinates: [1, 2] },
      GEOJSON_REASONS.featureTypeInvalid,
      undefined,
    ],
    ["properties a string", point([1, 2], "x"), GEOJSON_REASONS.propertiesNotObject, undefined],
    ["properties [1]", point([1, 2], [1]), GEOJSON_REASONS.propertiesNotObject, undefined],
    [
      "no geometry member",
      { type: "Feature", properties: {} },
      GEOJSON_REASONS.geometryMissing,
      undefined,
    ],
    ["geometry null", geometry(null), GEOJSON_REASONS.noGeometry, undefined],
    ["geometry a string", geometry("POINT (1 2)"), GEOJSON_REASONS.geometryNotObject, "geometry"],
    [
      "unknown geometry",
      geometry({ type: "Circle", coordinates: [1, 2] }),
      GEOJSON_REASONS.geometryTypeInvalid,
      "geometry",
    ],
    ["no coordinates", geometry({ type: "Point" }), GEOJSON_REASONS.coordinatesMissing, "geometry"],
    [
      "coordinates a string",
      geometry({ type: "Point", coordinates: "1 2" }),
      GEOJSON_REASONS.coordinatesInvalid,
      "geometry.coordinates",
    ],
    [
      "too shallow",
      geometry({ type: "LineString", coordinates: [1, 2] }),
      GEOJSON_REASONS.coordinatesNesting,
      "geometry.coordinates[0]",
    ],
    [
      "too deep",
      geometry({ type: "Point", coordinates: [[1, 2]] }),
      GEOJSON_REASONS.coordinatesNesting,
      "geometry.coordinates[0]",
    ],
    [
      "null coordinate",
      geometry({ type: "Point", coordinates: [1, null] }),
      GEOJSON_REASONS.coordinateNotNumber,
      "geometry.coordinates[1]",
    ],
    [
      "string coordinate",
      geometry({
        type: "LineString",
        coordinates: [
          [1, 2],
          ["3", 4],
        ],
      }),
      GEOJSON_REASONS.coordinateNotNumber,
      "geometry.coordinates[1][0]",
    ],
    [
      "1 number",
      geometry({ type: "Point", coordinates: [1] }),
      GEOJSON_REASONS.positionTooShort,
      "geometry.coordinates",
    ],
    [
      "line of 1",
      geometry({ type: "LineString", coordinates: [[1, 2]] }),
      GEOJSON_REASONS.lineTooShort,
      "geometry.coordinates",
    ],
    [
      "line of 1 point twice",
      geometry({
        type: "LineString",
        coordinates: [
          [1, 2],
          [1, 2],
        ],
      }),
      GEOJSON_REASONS.lineTooShort,
      "geometry.coordinates",
    ],
    [
      "ring of 3",
      geometry({ type: "Polygon", coordinates: [square.slice(0, 3)] }),
      GEOJSON_REASONS.ringTooShort,
      "geometry.coordinates[0]",
    ],
    [
      "hole not closed",
      geometry({ type: "MultiPolygon", coordinates: [[square], [square, square.slice(0, 4)]] }),
      GEOJSON_REASONS.ringNotClosed,
      "geometry.coordinates[1][1]",
    ],
    [
      "empty",
      geometry({ type: "MultiPoint", coordinates: [] }),
      GEOJSON_REASONS.emptyGeometry,
      "geometry",
    ],
    [
      "empty collection",
      geometry({ type: "GeometryCollection", geometries: [] }),
      GEOJSON_REASONS.emptyGeometry,
      "geometry",
    ],
    [
      "bad member",
      geometry({
        type: "GeometryCollection",
        geometries: [{ type: "Point", coordinates: [1, 2] }, 5],
      }),
      GEOJSON_REASONS.geometryNotObject,
      "geometry.geometries[1]",
    ],
  ])("%s", async (_label, feature, code, path) => {
    const result = success(await geojson(collection(point([18, 59]), feature)));
    expect(result.features).toHaveLength(1);
    expect(result.rejected).toHaveLength(1);
    const issue = result.rejected[0]!;
    expect(issue.where).toBe("features[1]");
    expect(issue.code).toBe(code);
    expect(issue.params?.index).toBe(1);
    expect(issue.params?.path).toBe(path);
    if (path !== undefined) expect(issue.message).toContain(`(at ${path})`);
  });

  test("properties nested deeper than 32 levels are refused (hostile files)", async () => {
    // Written as text: JSON.stringify itself overflows the stack on such a value.
    const deep = `${"[".repeat(10_000)}"x"${"]".repeat(10_000)}`;
    let shallow: unknown = "x";
    for (let depth = 0; depth < 30; depth++) shallow = { a: shallow };
    const feature = (properties: string) =>
      `{"type":"Feature","properties":${properties},"geometry":{"type":"Point","coordinates":[18,59]}}`;
    const text = `{"type":"FeatureCollection","features":[${feature(`{"deep":${deep}}`)},${feature(JSON.stringify({ shallow }))}]}`;
    const result = success(await geojson(text));
    expect(result.features).toHaveLength(1);
    expect(result.rejected).toMatchObject([
      { where: "features[0]", code: GEOJSON_REASONS.propertiesTooDeep, params: { depth: 32 } },
    ]);
  });

  test("Infinity (1e999 in the file) is not a coordinate", async () => {
    const result = success(
      await geojson(
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1e999,2]}}]}',
      ),
    );
    expect(result.rejected[0]!.code).toBe(GEOJSON_REASONS.coordinateNotFinite);
  });

  test("GeometryCollections nested too deep are refused, not recursed", async () => {
    let nested: unknown = { type: "Point", coordinates: [1, 2] };
    for (let depth = 0; depth < 50; depth++)
      nested = { type: "GeometryCollection", geometries: [nested] };
    const result = success(
      await geojson(collection({ type: "Feature", properties: {}, geometry: nested })),
    );
    expect(result.rejected[0]!.code).toBe(GEOJSON_REASONS.nestingTooDeep);
  });
});

describe("repairs: kept, changed as documented, and reported", () => {
  test("3D coordinates: elevation dropped", async () => {
    const result = success(await geojson(collection(point([18, 59, 12.5]))));
    expect((result.features[0]!.geometry as Point).coordinates).toEqual([18, 59]);
    expect(result.repaired).toMatchObject([
      { where: "features[0]", code: REPAIRS.dimensionsDropped },
    ]);
  });

  test("more than 7 decimals rounded; 7 or fewer untouched and not reported", async () => {
    const result = success(
      await geojson(collection(point([18.123456789, 59.1]), point([3.8791371, 43.60471]))),
    );
    expect((result.features[0]!.geometry as Point).coordinates).toEqual([18.1234568, 59.1]);
    expect((result.features[1]!.geometry as Point).coordinates).toEqual([3.8791371, 43.60471]);
    expect(result.repaired).toMatchObject([
      { where: "features[0]", code: REPAIRS.precisionReduced },
    ]);
  });

  test("repeated positions removed (duplicate closing points too)", async () => {
    const ring = [...square, square[0]];
    const result = success(
      await geojson(
        collection({
          type: "Feature",
          properties: {},
          geometry: { type: "Polygon", coordinates: [ring] },
        }),
      ),
    );
    expect((result.features[0]!.geometry as Polygon).coordinates[0]).toEqual(square);
    expect(result.repaired).toMatchObject([
      { where: "features[0]", code: REPAIRS.duplicatePositionsRemoved, params: { count: 1 } },
    ]);
  });

  test("rings rewound to the right-hand rule", async () => {
    const clockwise = [...square].reverse();
    const hole = [
      [18.0002, 59.0002],
      [18.0008, 59.0002],
      [18.0008, 59.0008],
      [18.0002, 59.0002],
    ]; // counterclockwise: wrong for a hole
    const result = success(
      await geojson(
        collection({
          type: "Feature",
          properties: {},
          geometry: { type: "Polygon", coordinates: [clockwise, hole] },
        }),
      ),
    );
    const [outer, inner] = (result.features[0]!.geometry as Polygon).coordinates;
    expect(signedArea(outer!)).toBeGreaterThan(0);
    expect(signedArea(inner!)).toBeLessThan(0);
    expect(outer).toEqual(square);
    expect(result.repaired).toMatchObject([{ where: "features[0]", code: REPAIRS.windingRewound }]);
  });

  test("properties: [] is read as {}; null and missing as {}; an odd id is dropped", async () => {
    const result = success(
      await geojson(
        collection(
          point([18, 59], []),
          point([18, 59], null),
          { type: "Feature", geometry: { type: "Point", coordinates: [18, 59] } },
          { ...point([18, 59]), id: { nested: true } },
          { ...point([18, 59]), id: null },
        ),
      ),
    );
    expect(result.features.map((feature) => feature.properties)).toEqual([{}, {}, {}, {}, {}]);
    expect(result.features.map((feature) => "id" in feature)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(result.repaired.map((issue) => [issue.where, issue.code])).toEqual([
      ["features[0]", REPAIRS.propertiesEmptyArray],
      ["features[3]", REPAIRS.idDropped],
    ]);
  });

  test("property values are kept as read, HTML included", async () => {
    const properties = {
      name: "<script>alert(1)</script>",
      n: 1.5,
      list: [1, 2],
      nested: { a: null },
    };
    const result = success(await geojson(collection(point([18, 59], properties))));
    expect(result.features[0]!.properties).toEqual(properties);
  });

  test("wrong-case types are read and reported; foreign members are dropped silently", async () => {
    const result = success(
      await geojson({
        type: "featurecollection",
        features: [
          {
            type: "feature",
            properties: {},
            geometry: { type: "POINT", coordinates: [1, 2] },
            custom: 1,
          },
        ],
      }),
    );
    expect(result.features).toEqual([
      { type: "Feature", geometry: { type: "Point", coordinates: [1, 2] }, properties: {} },
    ]);
    expect(result.repaired.map((issue) => [issue.where, issue.code])).toEqual([
      ["file", REPAIRS.typeCase],
      ["features[0]", REPAIRS.typeCase],
    ]);
  });
});

test("every reason and repair code has a Swedish and an English template with the same placeholders", () => {
  const codes = [
    ...Object.values(GEOJSON_REASONS),
    ...Object.values(REPAIRS),
    ...Object.values(CSV_REASONS),
  ].filter((code) => code !== "empty_file"); // in import-messages.ts (GENERAL)
  const placeholders = (template: string) =>
    [...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
  for (const code of codes) {
    const templates = IMPORT_MESSAGES_CORE[code];
    expect(templates, code).toBeDefined();
    expect(templates!.sv.length, code).toBeGreaterThan(10);
    expect(placeholders(templates!.sv), code).toEqual(placeholders(templates!.en));
  }
  expect(Object.keys(IMPORT_MESSAGES_CORE).sort()).toEqual([...codes].sort());
});
