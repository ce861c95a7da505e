/**
 * Round trip: export, then import with Lykta's own importer (importFile), gives the same
 * features: the same ids and attributes, geometry within 1e-7 degrees (SWEREF 99 TM: 1 cm).
 */
import type { Feature, Geometry, Position } from "geojson";
import { describe, expect, it } from "vitest";
import { importFile } from "../import";
import type { ImportSuccess } from "../import/types";
import { cellText } from "./csv";
import { exportFixture, LABELS } from "./export.fixtures";
import {
  type ExportFeature,
  type ExportKind,
  layerFeatures,
  lengthM,
  observationFeatures,
  rewindPolygon,
  trackFeatures,
} from "./geojson";
import { type ExportFormat, exportFeatures } from "./index";

/** Positions of a geometry in order, polygon rings wound as the export winds them. */
function positionsOf(geometry: Geometry | null): Position[] {
  if (geometry === null) return [];
  switch (geometry.type) {
    case "Point":
      return [geometry.coordinates];
    case "MultiPoint":
    case "LineString":
      return geometry.coordinates;
    case "MultiLineString":
      return geometry.coordinates.flat();
    case "Polygon":
      return rewindPolygon(geometry.coordinates).flat();
    case "MultiPolygon":
      return geometry.coordinates.flatMap((polygon) => rewindPolygon(polygon).flat());
    case "GeometryCollection":
      return geometry.geometries.flatMap(positionsOf);
  }
}

async function roundTrip(
  features: readonly ExportFeature[],
  format: ExportFormat,
  kind: ExportKind,
  fromCrs?: string,
): Promise<ImportSuccess> {
  const file = exportFeatures(features, { format, kind });
  const result = await importFile({
    name: file.fileName,
    bytes: file.bytes,
    ...(fromCrs ? { fromCrs } : {}),
  });
  if (!result.ok) throw new Error(`${result.issue.where}: ${result.issue.message}`);
  // Lykta's own export needs no repair and loses nothing.
  expect(result.rejected).toEqual([]);
  expect(result.repaired).toEqual([]);
  expect(result.features).toHaveLength(features.length);
  return result;
}

function expectSameFeatures(
  exported: readonly ExportFeature[],
  imported: readonly Feature[],
  tolerance: (a: Position, b: Position) => void,
  csv = false,
) {
  exported.forEach((original, index) => {
    const back = imported[index]!;
    if (csv) {
      // CSV is text: every column comes back as the cell text the export wrote (lists
      // ";"-joined, formula-like text guarded); the id is the `id` column.
      const cells = Object.fromEntries(
        Object.entries(original.properties).map(([key, value]) => [key, cellText(value)]),
      );
      expect(back.properties).toMatchObject(cells);
    } else {
      expect(back.id).toBe(original.id);
      expect(back.properties).toEqual(JSON.parse(JSON.stringify(original.properties)));
    }
    expect(back.geometry.type).toBe(original.geometry?.type);
    const before = positionsOf(original.geometry);
    const after = positionsOf(back.geometry);
    expect(after).toHaveLength(before.length);
    for (const [i, position] of before.entries()) tolerance(position, after[i]!);
  });
}

const withinDegrees = (limit: number) => (a: Position, b: Position) => {
  expect(Math.abs(a[0]! - b[0]!)).toBeLessThanOrEqual(limit);
  expect(Math.abs(a[1]! - b[1]!)).toBeLessThanOrEqual(limit);
};

const withinMetres = (limit: number) => (a: Position, b: Position) => {
  const distance = lengthM({ type: "LineString", coordinates: [a, b] })!;
  expect(distance).toBeLessThanOrEqual(limit);
};

function observations() {
  const fixture = exportFixture();
  return observationFeatures(fixture.observations, { ...LABELS, walks: fixture.walks });
}

describe("round trip through Lykta's importer", () => {
  it("observations (RFC 7946): same ids and attributes, geometry within 1e-7 degrees", async () => {
    const features = observations();
    const result = await roundTrip(features, "geojson", "observations");
    expect(result.sourceCrs).toBe("EPSG:4326");
    // 1e-7 plus a little for binary floating point (rounding moves a value at most 0.5e-7).
    expectSameFeatures(features, result.features, withinDegrees(1e-7 + 1e-12));
  });

  it("tracks and imported layers (RFC 7946)", async () => {
    const fixture = exportFixture();
    const tracks = trackFeatures(fixture.tracks, fixture.trackChunks, { walks: fixture.walks });
    const trackResult = await roundTrip(tracks, "geojson", "tracks");
    expectSameFeatures(tracks, trackResult.features, withinDegrees(1e-7 + 1e-12));
    for (const layer of fixture.layers) {
      const role = layer.record.fields.role as "paths" | "lamps";
      const features = layerFeatures(
        { role, name: layer.record.fields.name, features: layer.features },
        LABELS.pathClasses,
      );
      const result = await roundTrip(features, "geojson", role);
      expectSameFeatures(features, result.features, withinDegrees(1e-7 + 1e-12));
    }
  });

  it("CSV (WGS 84): the importer reads the wkt column; the same cells, geometry within 1e-7 degrees", async () => {
    const features = observations();
    const result = await roundTrip(features, "csv", "observations");
    expect(result.encoding).toBe("utf-8");
    expectSameFeatures(features, result.features, withinDegrees(1e-7 + 1e-12), true);
  });

  it("CSV (SWEREF 99 TM, named with --from-crs): positions within 1 cm", async () => {
    const features = observations();
    const result = await roundTrip(features, "csv-sweref", "observations", "EPSG:3006");
    expect(result.sourceCrs).toBe("EPSG:3006");
    expectSameFeatures(features, result.features, withinMetres(0.01), true);
  });

  it("Lykta GeoJSON, SWEREF 99 TM: the importer reads the crs member; positions within 1 cm", async () => {
    const features = observations();
    const result = await roundTrip(features, "geojson-sweref", "observations");
    expect(result.sourceCrs).toBe("EPSG:3006");
    expectSameFeatures(features, result.features, withinMetres(0.01));
  });
});
