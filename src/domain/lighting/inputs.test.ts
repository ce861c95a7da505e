/**
 * Model inputs from features and observation records: path classes (a field, else the OSM
 * highway default), lit tags, lamps and their fields, what is left out and why.
 */
import type { Feature, Geometry } from "geojson";
import { describe, expect, it } from "vitest";
import pathClassesData from "../../../data/path-classes.json";
import { testContext } from "../../../test/fixtures/context";
import type { PathClassesFile } from "../layers";
import { createObservation, EMPTY_OBSERVATION_FIELDS } from "../observation";
import { tombstoneRecord } from "../record";
import {
  areasFromFeatures,
  featureId,
  LIGHTING_INPUT_REASONS,
  lampDisplayName,
  lampsFromFeatures,
  lightingObservationsFromFeatures,
  lightingObservationsFromRecords,
  pathsFromFeatures,
  poisFromFeatures,
} from "./inputs";

const pathClasses = pathClassesData as PathClassesFile;

const line = (properties: Record<string, unknown>, id?: string): Feature<Geometry> => ({
  type: "Feature",
  ...(id === undefined ? {} : { id }),
  geometry: {
    type: "LineString",
    coordinates: [
      [16.5, 59.6],
      [16.501, 59.6],
    ],
  },
  properties,
});
const point = (properties: Record<string, unknown>): Feature<Geometry> => ({
  type: "Feature",
  geometry: { type: "Point", coordinates: [16.5, 59.6] },
  properties,
});

describe("pathsFromFeatures", () => {
  it("takes the class from OSM highway, footway=sidewalk, and the lit tag", () => {
    const { paths, leftOut } = pathsFromFeatures(
      [
        line({ "@type": "way", "@id": 1, highway: "cycleway", lit: "yes" }),
        line({ "@type": "way", "@id": 2, highway: "footway", footway: "sidewalk", lit: "24/7" }),
        line({ "@type": "way", "@id": 3, highway: "steps", lit: "no" }),
        line({ "@type": "way", "@id": 4, highway: "motorway" }),
      ],
      { pathClasses },
    );
    expect(leftOut).toEqual([]);
    expect(paths.map((path) => [path.id, path.pathClass, path.lit])).toEqual([
      ["way/1", "main_route", "yes"],
      ["way/2", "local_footway", "yes"],
      ["way/3", "steps", "no"],
      ["way/4", null, "unknown"],
    ]);
  });

  it("takes the class from a field when its value is a class id (detected or named)", () => {
    const features = [
      line({ highway: "footway", vagklass: "school_route", belyst: "ja" }, "a"),
      line({ highway: "footway", vagklass: "not a class" }, "b"),
    ];
    const detected = pathsFromFeatures(features, { pathClasses }).paths;
    expect(detected.map((path) => [path.id, path.pathClass, path.lit])).toEqual([
      ["a", "school_route", "yes"],
      ["b", "local_footway", "unknown"],
    ]);
    const named = pathsFromFeatures([line({ highway: "path", typ: "steps" })], {
      pathClasses,
      classField: "typ",
    }).paths;
    expect(named[0]!.pathClass).toBe("steps");
  });

  it("splits MultiLineStrings and leaves out what is not a line", () => {
    const { paths, leftOut } = pathsFromFeatures(
      [
        {
          type: "Feature",
          geometry: {
            type: "MultiLineString",
            coordinates: [
              [
                [16.5, 59.6],
                [16.501, 59.6],
              ],
              [
                [16.6, 59.6],
                [16.6, 59.6],
              ],
              [
                [16.7, 59.6],
                [16.701, 59.6],
              ],
            ],
          },
          properties: { highway: "path" },
        },
        point({ highway: "street_lamp" }),
      ],
      { pathClasses },
    );
    expect(paths.map((path) => path.id)).toEqual(["features[0]", "features[0]"]);
    expect(leftOut.map((entry) => [entry.where, entry.code])).toEqual([
      ["features[0]", LIGHTING_INPUT_REASONS.tooShort],
      ["features[1]", LIGHTING_INPUT_REASONS.notALine],
    ]);
  });

  it("reads normalised layer features (the app's stored layers) as they are", () => {
    const { paths } = pathsFromFeatures(
      [
        line({
          pathClass: "park_path",
          lit: "no",
          name: "Parkstigen",
          source: { highway: "cycleway" },
        }),
      ],
      { pathClasses },
    );
    expect(paths[0]).toMatchObject({ pathClass: "park_path", lit: "no", name: "Parkstigen" });
  });
});

describe("lampsFromFeatures", () => {
  it("in OSM data takes only street lamps, with height and ref", () => {
    const { lamps, leftOut } = lampsFromFeatures([
      point({ "@type": "node", "@id": 10, highway: "street_lamp", height: "6", ref: "A-12" }),
      point({ "@type": "node", "@id": 11, highway: "crossing" }),
      line({ highway: "footway" }),
    ]);
    expect(lamps).toEqual([
      {
        id: "node/10",
        position: [16.5, 59.6],
        poleHeightM: 6,
        luminousFluxLm: null,
        powerW: null,
        status: "working",
        ref: "A-12",
      },
    ]);
    expect(leftOut.map((entry) => entry.code)).toEqual([
      LIGHTING_INPUT_REASONS.notALamp,
      LIGHTING_INPUT_REASONS.notALamp,
    ]);
  });

  it("reads a municipal inventory through the detected fields", () => {
    const { lamps } = lampsFromFeatures([
      point({ MASTNUMMER: 4711, MASTLENGTE: "4,5", effekt: "35 W", tillstånd: "Trasig" }),
      point({ MASTNUMMER: 4712, ljusflöde: 3200, tillstånd: "borttagen" }),
    ]);
    expect(
      lamps.map((lamp) => [
        lamp.ref,
        lamp.poleHeightM,
        lamp.powerW,
        lamp.luminousFluxLm,
        lamp.status,
      ]),
    ).toEqual([
      ["4711", 4.5, 35, null, "off"],
      ["4712", null, null, 3200, "removed"],
    ]);
  });
});

describe("observations", () => {
  const ctx = testContext("tablet", 1);
  const make = (categoryId: string, illuminanceLux: number | null, id: string) =>
    createObservation(
      "project",
      "walk",
      {
        ...EMPTY_OBSERVATION_FIELDS,
        geometry: { type: "Point", coordinates: [16.5, 59.6] },
        categoryId,
        severity: 3,
        illuminanceLux,
        observedAt: 1,
        placement: "gps",
      },
      ctx,
      id,
    );

  it("keeps broken lamps, dark reports and lux readings from records; not deleted ones", () => {
    const records = [
      make("lighting.broken", null, "a"),
      make("lighting.dark_tunnel", 0.2, "b"),
      make("vegetation.overgrown", null, "c"),
      make("vegetation.overgrown", 3.5, "d"),
      tombstoneRecord(make("lighting.broken", null, "e"), EMPTY_OBSERVATION_FIELDS, ctx),
    ];
    expect(lightingObservationsFromRecords(records)).toEqual([
      {
        id: "a",
        coordinates: [16.5, 59.6],
        reportsBrokenLamp: true,
        reportsDark: false,
        illuminanceLux: null,
      },
      {
        id: "b",
        coordinates: [16.5, 59.6],
        reportsBrokenLamp: false,
        reportsDark: true,
        illuminanceLux: 0.2,
      },
      {
        id: "d",
        coordinates: [16.5, 59.6],
        reportsBrokenLamp: false,
        reportsDark: false,
        illuminanceLux: 3.5,
      },
    ]);
  });

  it("reads the observations GeoJSON export (category_id, illuminance_lux, lamp_ref)", () => {
    const observations = lightingObservationsFromFeatures([
      point({ id: "x", category_id: "lighting.broken", illuminance_lux: null, lamp_ref: "4711" }),
      point({ id: "y", category_id: "lighting.too_dim", illuminance_lux: 1.5 }),
    ]);
    expect(observations).toEqual([
      {
        id: "x",
        coordinates: [16.5, 59.6],
        reportsBrokenLamp: true,
        reportsDark: false,
        illuminanceLux: null,
        lampRef: "4711",
      },
      {
        id: "y",
        coordinates: [16.5, 59.6],
        reportsBrokenLamp: false,
        reportsDark: false,
        illuminanceLux: 1.5,
      },
    ]);
  });
});

describe("points of interest and areas", () => {
  it("kinds from a kind field or OSM tags; areas by their middle", () => {
    const pois = poisFromFeatures([
      point({ amenity: "school", name: "Skolan" }),
      point({ highway: "bus_stop" }),
      point({ kind: "preschool" }),
      {
        type: "Feature",
        geometry: {
          type: "Polygon",
          coordinates: [
            [
              [16, 59],
              [16.002, 59],
              [16.002, 59.002],
              [16, 59.002],
              [16, 59],
            ],
          ],
        },
        properties: { amenity: "school" },
      },
    ]);
    expect(pois.map((poi) => [poi.kind, poi.name])).toEqual([
      ["school", "Skolan"],
      ["transit_stop", null],
      ["preschool", null],
      ["school", null],
    ]);
    expect(pois[3]!.position[0]).toBeCloseTo(16.001, 9);
    expect(pois[3]!.position[1]).toBeCloseTo(59.001, 9);
  });

  it("areas from polygons, named by name or namn", () => {
    const square = [
      [
        [16, 59],
        [16.1, 59],
        [16.1, 59.1],
        [16, 59],
      ],
    ];
    const areas = areasFromFeatures([
      {
        type: "Feature",
        geometry: { type: "Polygon", coordinates: square },
        properties: { namn: "Vivalla" },
      },
      point({}),
    ]);
    expect(areas).toEqual([{ id: "features[0]", name: "Vivalla", polygons: [square] }]);
  });
});

describe("feature ids and lamp names", () => {
  const point = (properties: Record<string, unknown>, id?: string): Feature<Geometry> => ({
    type: "Feature",
    ...(id === undefined ? {} : { id }),
    geometry: { type: "Point", coordinates: [16.5, 59.6] },
    properties,
  });

  it("takes the OSM id from the feature, then its id, then a layer's kept source, then the index", () => {
    expect(featureId(point({ "@type": "node", "@id": 25291565 }), 3)).toBe("node/25291565");
    expect(featureId(point({ "@id": "way/7" }), 3)).toBe("way/7");
    expect(featureId(point({}, "lamp-9"), 3)).toBe("lamp-9");
    // A layer imported in the app: model fields plus the source's own properties.
    const normalised = point({ lit: "unknown", source: { "@type": "node", "@id": 42 } });
    expect(featureId(normalised, 3)).toBe("node/42");
    expect(featureId(point({ source: { name: "x" } }), 3)).toBe("features[3]");
  });

  it("names a lamp by its reference, else its id, and an index as a number counted from 1", () => {
    expect(lampDisplayName({ id: "node/42", ref: "B-117" })).toBe("B-117");
    expect(lampDisplayName({ id: "node/42", ref: null })).toBe("node/42");
    expect(lampDisplayName({ id: "features[100]", ref: null })).toBe("#101");
  });
});
