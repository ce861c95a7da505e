import type { Feature, FeatureCollection, Geometry, Position } from "geojson";
import { describe, expect, it } from "vitest";
import { fromWgs84, SWEREF99_TM, toWgs84 } from "../crs";
import {
  BRUSH_AREA,
  exportFixture,
  LABELS,
  PHOTO_A,
  PHOTO_B,
  SUMMER_INSTANT_MS,
  WINTER_INSTANT_MS,
} from "./export.fixtures";
import {
  areaM2,
  isoLocalTime,
  layerFeatures,
  lengthM,
  observationFeatures,
  outputGeometry,
  ringSignedArea2,
  roundTo,
  toGeoJsonText,
  trackFeatures,
  walkFeatures,
} from "./geojson";
import { exportFeatures, projectFeatures } from "./index";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SNAKE_CASE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

function positionsOf(geometry: Geometry | null): Position[] {
  if (geometry === null) return [];
  switch (geometry.type) {
    case "Point":
      return [geometry.coordinates];
    case "MultiPoint":
    case "LineString":
      return geometry.coordinates;
    case "MultiLineString":
    case "Polygon":
      return geometry.coordinates.flat();
    case "MultiPolygon":
      return geometry.coordinates.flat(2);
    case "GeometryCollection":
      return geometry.geometries.flatMap(positionsOf);
  }
}

function decimalsOf(value: number): number {
  return (String(value).split(".")[1] ?? "").length;
}

function parse(text: string): FeatureCollection {
  return JSON.parse(text) as FeatureCollection;
}

function observationCollection() {
  const fixture = exportFixture();
  const features = observationFeatures(fixture.observations, {
    checklist: LABELS.checklist,
    groups: LABELS.groups,
    walks: fixture.walks,
  });
  return {
    fixture,
    collection: parse(toGeoJsonText(features, { name: "observations", kind: "observations" })),
  };
}

function byId(collection: FeatureCollection, id: string): Feature {
  const found = collection.features.find((feature) => feature.id === id);
  if (!found) throw new Error(`no feature ${id}`);
  return found;
}

describe("GeoJSON export (RFC 7946)", () => {
  it("writes one feature per live observation, with the record's UUID as a string id", () => {
    const { fixture, collection } = observationCollection();
    expect(collection.type).toBe("FeatureCollection");
    expect("crs" in collection).toBe(false);
    const ids = collection.features.map((feature) => feature.id);
    // Oldest first (the June observation, then the November ones).
    expect(ids).toEqual([
      fixture.ids.unknownCategory,
      fixture.ids.point,
      fixture.ids.line,
      fixture.ids.polygon,
    ]);
    for (const feature of collection.features) {
      expect(feature.id).toMatch(UUID);
      expect(feature.properties?.id).toBe(feature.id);
    }
  });

  it("leaves tombstones out of every kind", () => {
    const fixture = exportFixture();
    const kinds = projectFeatures(fixture, LABELS);
    const all = [...kinds.values()].flat().map((feature) => feature.id);
    expect(all).not.toContain(fixture.ids.deletedObservation);
    expect(all).not.toContain(fixture.ids.deletedWalk);
    expect(all).not.toContain(fixture.ids.deletedTrack);
    const text = exportFeatures(kinds.get("observations")!, {
      format: "geojson",
      kind: "observations",
    });
    expect(new TextDecoder().decode(text.bytes)).not.toContain("d".repeat(64));
  });

  it("rounds to at most 7 decimals and drops a third coordinate", () => {
    const { collection } = observationCollection();
    const positions = collection.features.flatMap((feature) => positionsOf(feature.geometry));
    expect(positions.length).toBeGreaterThan(10);
    for (const position of positions) {
      expect(position).toHaveLength(2);
      for (const value of position) expect(decimalsOf(value)).toBeLessThanOrEqual(7);
    }
    expect(positions).toContainEqual([15.1612346, 59.3054321]);
  });

  it("rewinds polygon rings to the right-hand rule: exterior counter-clockwise, holes clockwise", () => {
    expect(ringSignedArea2(BRUSH_AREA.coordinates[0]!)).toBeLessThan(0); // the fixture is wrong
    const { fixture, collection } = observationCollection();
    const polygon = byId(collection, fixture.ids.polygon).geometry;
    if (polygon?.type !== "Polygon") throw new Error("not a polygon");
    expect(ringSignedArea2(polygon.coordinates[0]!)).toBeGreaterThan(0);
    expect(ringSignedArea2(polygon.coordinates[1]!)).toBeLessThan(0);
    // Same rings, only reversed.
    expect([...polygon.coordinates[0]!].reverse()).toEqual(BRUSH_AREA.coordinates[0]);
    const walks = parse(
      toGeoJsonText(
        walkFeatures(fixture.walks, { ...LABELS, observations: fixture.observations }),
        { name: "walks", kind: "walks" },
      ),
    );
    const area = walks.features[0]!.geometry;
    if (area?.type !== "Polygon") throw new Error("not a polygon");
    expect(ringSignedArea2(area.coordinates[0]!)).toBeGreaterThan(0);
  });

  it("rewinds multipolygons and keeps rings closed after rounding", () => {
    const geometry = outputGeometry(
      {
        type: "MultiPolygon",
        coordinates: [
          [
            [
              [0, 0],
              [0, 1.000000001],
              [1, 1],
              [0, 0.00000000001],
            ],
          ],
        ],
      },
      7,
    );
    if (geometry?.type !== "MultiPolygon") throw new Error("not a multipolygon");
    const ring = geometry.coordinates[0]![0]!;
    expect(ring[0]).toEqual(ring[ring.length - 1]);
    expect(ringSignedArea2(ring)).toBeGreaterThan(0);
  });

  it("names attributes in snake_case with units, values as scalars or lists", () => {
    const { fixture, collection } = observationCollection();
    const point = byId(collection, fixture.ids.point).properties!;
    for (const key of Object.keys(point)) expect(key).toMatch(SNAKE_CASE);
    expect(point).toEqual({
      id: fixture.ids.point,
      walk_id: fixture.ids.walk,
      walk_name: "Vivalla kväll – åäö",
      walk_date: "2026-11-24",
      category_id: "lighting.broken",
      category_label_sv: "Trasig belysning",
      category_group_id: "lighting",
      category_group_label_sv: "Belysning",
      severity: 4,
      felt_unsafe: ["women", "elderly"],
      felt_unsafe_label_sv: ["Kvinnor", "Äldre"],
      note: "Lampan vid gångtunneln är trasig, ”mörkt” här; ring 1, 2",
      illuminance_lux: 0.8,
      observed_at: "2026-11-24T18:03:12.345+01:00",
      position_accuracy_m: 4.2,
      placement: "gps",
      photo_count: 2,
      photo_files: [`photos/${PHOTO_A}.jpg`, `photos/${PHOTO_B}.jpg`],
      geometry_type: "Point",
      length_m: null,
      area_m2: null,
    });
    const unknown = byId(collection, fixture.ids.unknownCategory).properties!;
    expect(unknown.category_label_sv).toBeNull();
    expect(unknown.observed_at).toBe("2026-06-15T22:30:00+02:00");
    const line = byId(collection, fixture.ids.line).properties!;
    expect(line.length_m).toBeGreaterThan(40);
    expect(line.area_m2).toBeNull();
    const polygon = byId(collection, fixture.ids.polygon).properties!;
    expect(polygon.area_m2).toBeGreaterThan(0);
    expect(polygon.length_m).toBeNull();
  });

  it("writes walks with participant counts as columns", () => {
    const fixture = exportFixture();
    const [walk, ...others] = walkFeatures(fixture.walks, {
      ...LABELS,
      observations: fixture.observations,
    });
    expect(others).toHaveLength(0);
    expect(walk!.id).toBe(fixture.ids.walk);
    expect(walk!.properties).toMatchObject({
      name: "Vivalla kväll – åäö",
      area_name: "Vivalla centrum till Lillåstorget",
      date: "2026-11-24",
      start_time: "18:00",
      end_time: "20:00",
      participants_total: 8,
      participants_municipality: 2,
      participants_police: 1,
      participants_housing_company: 0,
      participants_residents: 5,
      participants_school: 0,
      participants_other: 0,
      participants_group_women: 4,
      participants_group_men: 3,
      participants_group_children_young: 0,
      participants_group_elderly: 1,
      participants_group_disabilities: 0,
      observation_count: 4,
    });
    expect(walk!.properties.area_m2).toBeGreaterThan(1_000_000 * 0.9);
  });

  it("writes tracks as one line per track from live chunks in time order", () => {
    const fixture = exportFixture();
    const tracks = trackFeatures(fixture.tracks, fixture.trackChunks, { walks: fixture.walks });
    expect(tracks.map((track) => track.id)).toEqual([fixture.ids.track]);
    const [track] = tracks;
    expect(track!.geometry).toEqual({
      type: "LineString",
      coordinates: [
        [15.151, 59.303],
        [15.152, 59.303],
        [15.153, 59.303],
        [15.154, 59.303],
      ],
    });
    expect(track!.properties).toMatchObject({
      walk_id: fixture.ids.walk,
      point_count: 4,
      duration_s: 40,
      mean_accuracy_m: 5,
      ended_at: isoLocalTime(WINTER_INSTANT_MS - 590_000 + 45_000),
    });
    // 3 × 0.001° of longitude at 59.303°N ≈ 171 m.
    expect(track!.properties.length_m).toBeCloseTo(171.2, 0);
  });

  it("writes imported layers: model fields first, source properties as source_*", () => {
    const fixture = exportFixture();
    const [paths, lamps] = fixture.layers;
    const [path] = layerFeatures(
      { role: "paths", name: "Gångvägar", features: paths!.features },
      LABELS.pathClasses,
    );
    expect(path!.id).toBe("5c3e1d2a-1111-4aaa-8bbb-000000000001");
    expect(path!.properties).toMatchObject({
      layer_name: "Gångvägar",
      path_class: "school_route",
      path_class_label_sv: "Skolväg",
      lit: "yes",
      name: "Skolstigen",
      source_KLASS: "school_route",
      source_OBJEKT_ID: 17,
    });
    const [lamp] = layerFeatures(
      { role: "lamps", name: "Belysning", features: lamps!.features },
      LABELS.pathClasses,
    );
    // Without a stored id: OSM's own id when the source has one, else a new UUID.
    const [osmWay, plain] = layerFeatures(
      {
        role: "paths",
        name: "OSM",
        features: [
          {
            ...paths!.features[0]!,
            id: undefined,
            properties: {
              ...paths!.features[0]!.properties,
              source: { "@type": "way", "@id": 4400154 },
            },
          },
          {
            ...paths!.features[0]!,
            id: undefined,
            properties: { ...paths!.features[0]!.properties, source: {} },
          },
        ],
      },
      LABELS.pathClasses,
    );
    expect(osmWay!.id).toBe("way/4400154");
    expect(osmWay!.properties["source_@id"]).toBe(4400154);
    expect(plain!.id).toMatch(UUID);
    expect(lamp!.properties).toMatchObject({
      pole_height_m: 6,
      luminous_flux_lm: 3200,
      power_w: 28,
      status: "i drift",
      source_HOJD: "6,0",
    });
  });
});

describe("measures on the ellipsoid", () => {
  // Near SWEREF 99 TM's central meridian (15°E) its scale is k0 = 0.9996, so a line of
  // 100 grid metres is 100 / 0.9996 m on the ground, and a square of 100 × 100 grid metres
  // is 10000 / 0.9996² m².
  const toLonLat = toWgs84(SWEREF99_TM);
  const grid = (east: number, north: number) => toLonLat([east, north]);

  it("measures length as QGIS's ellipsoidal $length does (to 1 cm in 100 m)", () => {
    const length = lengthM({
      type: "LineString",
      coordinates: [grid(499_950, 6_580_000), grid(500_050, 6_580_000)],
    });
    expect(length).toBeCloseTo(100 / 0.9996, 2);
    const north = lengthM({
      type: "LineString",
      coordinates: [grid(500_000, 6_580_000), grid(500_000, 6_580_100)],
    });
    expect(north).toBeCloseTo(100 / 0.9996, 2);
  });

  it("measures area with holes subtracted", () => {
    const square = (e: number, n: number, size: number) => [
      grid(e, n),
      grid(e + size, n),
      grid(e + size, n + size),
      grid(e, n + size),
      grid(e, n),
    ];
    const area = areaM2({ type: "Polygon", coordinates: [square(499_950, 6_580_000, 100)] });
    expect(area! / (10_000 / 0.9996 ** 2)).toBeCloseTo(1, 5);
    const holed = areaM2({
      type: "Polygon",
      coordinates: [square(499_950, 6_580_000, 100), square(499_990, 6_580_040, 10)],
    });
    expect(holed! / ((10_000 - 100) / 0.9996 ** 2)).toBeCloseTo(1, 5);
  });

  it("agrees with SWEREF 99 TM grid distances scaled by the point scale factor", () => {
    const toGrid = fromWgs84(SWEREF99_TM);
    const a = [18.0686, 59.3293];
    const b = [18.0786, 59.3343];
    const [e1, n1] = toGrid(a);
    const [e2, n2] = toGrid(b);
    // Scale of TM at 3.07° from the central meridian, latitude 59.33°: k0 (1 + (Δλ cos φ)² / 2).
    const scale =
      0.9996 * (1 + (((3.0736 * Math.PI) / 180) * Math.cos((59.3318 * Math.PI) / 180)) ** 2 / 2);
    const gridDistance = Math.hypot(e2 - e1, n2 - n1);
    expect(lengthM({ type: "LineString", coordinates: [a, b] })).toBeCloseTo(
      gridDistance / scale,
      1,
    );
  });
});

describe("times", () => {
  it("are ISO 8601 in Swedish local time with the offset", () => {
    expect(isoLocalTime(WINTER_INSTANT_MS)).toBe("2026-11-24T18:03:12.345+01:00");
    expect(isoLocalTime(SUMMER_INSTANT_MS)).toBe("2026-06-15T22:30:00+02:00");
    expect(Date.parse(isoLocalTime(WINTER_INSTANT_MS))).toBe(WINTER_INSTANT_MS);
    expect(Date.parse(isoLocalTime(SUMMER_INSTANT_MS))).toBe(SUMMER_INSTANT_MS);
  });

  it("round without a negative zero", () => {
    expect(Object.is(roundTo(-0.00000001, 7), 0)).toBe(true);
    expect(roundTo(18.06860000000004, 7)).toBe(18.0686);
  });
});
