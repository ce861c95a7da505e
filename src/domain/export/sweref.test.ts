import type { FeatureCollection, Position } from "geojson";
import { describe, expect, it } from "vitest";
import { exportFixture, LABELS } from "./export.fixtures";
import { observationFeatures, ringSignedArea2 } from "./geojson";
import { exportFeatures } from "./index";
import { SWEREF_CRS_MEMBER, toSweref99Tm, toSwerefGeoJsonText } from "./sweref";

const STOCKHOLM = {
  id: "stockholm",
  geometry: { type: "Point" as const, coordinates: [18.0686, 59.3293] },
  properties: { name: "Stockholm" },
};

describe("Lykta GeoJSON, SWEREF 99 TM", () => {
  it("puts WGS84 lat 59.3293, lon 18.0686 at N 6580743.0, E 674571.9 (±0.1 m)", () => {
    const [east, north] = toSweref99Tm([18.0686, 59.3293]);
    expect(Math.abs(east! - 674_571.9)).toBeLessThanOrEqual(0.1);
    expect(Math.abs(north! - 6_580_743.0)).toBeLessThanOrEqual(0.1);
    const collection = JSON.parse(
      toSwerefGeoJsonText([STOCKHOLM], { name: "points", kind: "features" }),
    ) as FeatureCollection & { crs: unknown; lykta: { format: string } };
    const point = collection.features[0]!.geometry;
    if (point.type !== "Point") throw new Error("not a point");
    const [e, n] = point.coordinates;
    expect(Math.abs(e! - 674_571.9)).toBeLessThanOrEqual(0.1);
    expect(Math.abs(n! - 6_580_743.0)).toBeLessThanOrEqual(0.1);
  });

  it("names its CRS with the legacy crs member and its format in the header", () => {
    const text = toSwerefGeoJsonText([STOCKHOLM], { name: "points", kind: "features" });
    const collection = JSON.parse(text);
    expect(collection.crs).toEqual({
      type: "name",
      properties: { name: "urn:ogc:def:crs:EPSG::3006" },
    });
    expect(collection.crs).toEqual(SWEREF_CRS_MEMBER);
    expect(collection.lykta).toEqual({
      format: "lykta-geojson-sweref99tm",
      formatVersion: 1,
      kind: "features",
    });
  });

  it("writes [E, N] in metres with at most 2 decimals, rings still right-handed", () => {
    const fixture = exportFixture();
    const features = observationFeatures(fixture.observations, {
      checklist: LABELS.checklist,
      groups: LABELS.groups,
      walks: fixture.walks,
    });
    const file = exportFeatures(features, { format: "geojson-sweref", kind: "observations" });
    expect(file.fileName).toBe("observations-sweref99tm.geojson");
    const collection = JSON.parse(new TextDecoder().decode(file.bytes)) as FeatureCollection;
    const positions: Position[] = [];
    for (const feature of collection.features) {
      const geometry = feature.geometry;
      if (geometry.type === "Point") positions.push(geometry.coordinates);
      if (geometry.type === "LineString") positions.push(...geometry.coordinates);
      if (geometry.type === "Polygon") {
        positions.push(...geometry.coordinates.flat());
        expect(ringSignedArea2(geometry.coordinates[0]!)).toBeGreaterThan(0);
        expect(ringSignedArea2(geometry.coordinates[1]!)).toBeLessThan(0);
      }
    }
    for (const [east, north] of positions) {
      // Örebro: E about 512 km, N about 6 573 km.
      expect(east).toBeGreaterThan(500_000);
      expect(east).toBeLessThan(520_000);
      expect(north).toBeGreaterThan(6_570_000);
      expect(north).toBeLessThan(6_580_000);
      for (const value of [east!, north!]) {
        expect((String(value).split(".")[1] ?? "").length).toBeLessThanOrEqual(2);
      }
    }
    // The same attributes as the RFC export.
    const rfc = exportFeatures(features, { format: "geojson", kind: "observations" });
    const rfcCollection = JSON.parse(new TextDecoder().decode(rfc.bytes)) as FeatureCollection;
    expect(collection.features.map((feature) => feature.properties)).toEqual(
      rfcCollection.features.map((feature) => feature.properties),
    );
  });
});
