/**
 * The GeoJSON importer's fast path (geojson-fast.ts) gives what the full checks give: the same
 * features and lighting inputs on the Helsinki file, and on any irregularity no fast result,
 * so the full importer's messages are unchanged.
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import pathClassesData from "../../../data/path-classes.json";
import type { PathClassesFile } from "../layers";
import { lampsFromFeatures, pathsFromFeatures } from "../lighting/inputs";
import { importGeoJson } from "./geojson";
import { cleanFeatureCollection, readCleanGeoJson } from "./geojson-fast";
import { ok } from "./import.fixtures";

const HELSINKI = new URL(
  "../../../../shared/data/osm/helsinki_centre_highways_lamps.geojson",
  import.meta.url,
);
const pathClasses = pathClassesData as PathClassesFile;
const utf8 = (text: string) => new TextEncoder().encode(text);

async function bothPaths(name: string, bytes: Uint8Array) {
  const fast = await importGeoJson({ name, bytes });
  const full = await importGeoJson({ name, bytes }, undefined, { fastPath: false });
  return { fast, full };
}

describe("the fast path on the Helsinki file", async () => {
  const bytes = new Uint8Array(readFileSync(HELSINKI));
  const clean = readCleanGeoJson(bytes);
  const full = ok(
    await importGeoJson({ name: "helsinki.geojson", bytes }, undefined, { fastPath: false }),
  );

  test("the file is clean: the fast path takes it", () => {
    expect(clean).not.toBeNull();
    expect(full.rejected).toEqual([]);
    expect(full.repaired).toEqual([]);
  });

  test("the same import result as the full checks", async () => {
    expect(clean).toEqual(full);
    expect(await importGeoJson({ name: "helsinki.geojson", bytes })).toEqual(full);
  });

  test("the same lighting inputs (paths and lamps)", () => {
    const fastPaths = pathsFromFeatures(clean!.features, { pathClasses });
    const fullPaths = pathsFromFeatures(full.features, { pathClasses });
    expect(fastPaths.paths.length).toBeGreaterThan(2000);
    expect(fastPaths).toEqual(fullPaths);
    const fastLamps = lampsFromFeatures(clean!.features);
    expect(fastLamps.lamps.length).toBeGreaterThan(500);
    expect(fastLamps).toEqual(lampsFromFeatures(full.features));
  });

  test("a broken coordinate: no fast result, and the full importer's message", async () => {
    const text = new TextDecoder().decode(bytes);
    const at =
      text.indexOf('"LineString","coordinates":[[') + '"LineString","coordinates":[['.length;
    const broken = utf8(`${text.slice(0, at)}"24.9"${text.slice(text.indexOf(",", at))}`);
    expect(readCleanGeoJson(broken)).toBeNull();
    const { fast, full: checked } = await bothPaths("helsinki.geojson", broken);
    expect(fast).toEqual(checked);
    const result = ok(fast);
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0]!.code).toBe("coordinate_not_number");
    expect(result.rejected[0]!.message).toBe(
      'a coordinate is a string ("24.9"), not a number (at geometry.coordinates[0][0])',
    );
    expect(result.features).toHaveLength(full.features.length - 1);
  });
});

describe("anything irregular goes to the full importer, with the same result", () => {
  const feature = (geometry: unknown, extra: Record<string, unknown> = {}) => ({
    type: "Feature",
    geometry,
    properties: { name: "a" },
    ...extra,
  });
  const line = {
    type: "LineString",
    coordinates: [
      [18.1, 59.1],
      [18.2, 59.2],
    ],
  };
  const cases: [string, unknown][] = [
    ["a third coordinate", feature({ type: "Point", coordinates: [18, 59, 12] })],
    ["more than 7 decimals", feature({ type: "Point", coordinates: [18.123456789, 59] })],
    ["out of range", feature({ type: "Point", coordinates: [674_000, 6_580_000] })],
    [
      "a repeated position",
      feature({
        type: "LineString",
        coordinates: [
          [18, 59],
          [18, 59],
          [18.1, 59],
        ],
      }),
    ],
    ["a one-position line", feature({ type: "LineString", coordinates: [[18, 59]] })],
    [
      "a clockwise ring",
      feature({
        type: "Polygon",
        coordinates: [
          [
            [18, 59],
            [18, 59.1],
            [18.1, 59],
            [18, 59],
          ],
        ],
      }),
    ],
    [
      "an open ring",
      feature({
        type: "Polygon",
        coordinates: [
          [
            [18, 59],
            [18.1, 59],
            [18, 59.1],
            [18, 59.2],
          ],
        ],
      }),
    ],
    ["a GeometryCollection", feature({ type: "GeometryCollection", geometries: [line] })],
    ["a type in the wrong case", feature({ type: "point", coordinates: [18, 59] })],
    ["a feature type in the wrong case", { ...feature(line), type: "feature" }],
    ["a bbox", feature(line, { bbox: [18.1, 59.1, 18.2, 59.2] })],
    ["a forbidden member", feature(line, { coordinates: [1, 2] })],
    ["nested properties", { ...feature(line), properties: { a: { b: 1 } } }],
    ["properties an empty array", { ...feature(line), properties: [] }],
    ["an id that is an object", feature(line, { id: { a: 1 } })],
    ["no geometry", feature(null)],
    ["a number where a position should be", feature({ type: "LineString", coordinates: [18, 59] })],
  ];
  test.each(cases)("%s", async (_name, irregular) => {
    const collection = {
      type: "FeatureCollection",
      features: [feature(line, { id: 7 }), irregular],
    };
    expect(cleanFeatureCollection(collection)).toBeNull();
    const { fast, full } = await bothPaths("a.geojson", utf8(JSON.stringify(collection)));
    expect(fast).toEqual(full);
  });

  test("a clean file with ids, null properties and every line type", async () => {
    const collection = {
      type: "FeatureCollection",
      name: "clean",
      features: [
        feature(line, { id: 7 }),
        { ...feature({ type: "Point", coordinates: [18, 59] }), properties: null, id: "x" },
        feature(
          {
            type: "MultiPoint",
            coordinates: [
              [18, 59],
              [18, 59],
            ],
          },
          { id: null },
        ),
        feature({ type: "MultiLineString", coordinates: [line.coordinates, line.coordinates] }),
        feature({
          type: "Polygon",
          coordinates: [
            [
              [18, 59],
              [18.1, 59],
              [18, 59.1],
              [18, 59],
            ],
          ],
        }),
      ],
    };
    expect(cleanFeatureCollection(collection)).not.toBeNull();
    const { fast, full } = await bothPaths("a.geojson", utf8(JSON.stringify(collection)));
    expect(ok(fast).features).toHaveLength(5);
    expect(fast).toEqual(full);
  });

  test("a crs member, even WGS 84's, and a Windows-1252 file", async () => {
    const crs = {
      type: "FeatureCollection",
      crs: { type: "name", properties: { name: "urn:ogc:def:crs:OGC:1.3:CRS84" } },
      features: [feature(line)],
    };
    expect(cleanFeatureCollection(crs)).toBeNull();
    const latin1 = Uint8Array.from(
      '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[18,59]},"properties":{"name":"G\xe4rdet"}}]}',
      (char) => char.charCodeAt(0),
    );
    const { fast, full } = await bothPaths("a.geojson", latin1);
    expect(ok(fast).encoding).toBe("windows-1252");
    expect(fast).toEqual(full);
  });
});
