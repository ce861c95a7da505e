import { describe, expect, it } from "vitest";
import {
  basemapSchemaOf,
  describeBasemapFile,
  detectVectorSchema,
  type PmtilesHeaderFacts,
  PROTOMAPS_ATTRIBUTION,
  zoomToShow,
} from "./basemap-file";

/** The header of ../shared/data/tiles/firenze.pmtiles, as the pmtiles library reads it. */
const FIRENZE: PmtilesHeaderFacts = Object.freeze({
  specVersion: 3,
  tileType: 1,
  minZoom: 0,
  maxZoom: 14,
  minLon: 11.154026,
  minLat: 43.7270125,
  maxLon: 11.3289395,
  maxLat: 43.8325455,
  centerZoom: 0,
  centerLon: 11.2414827,
  centerLat: 43.779779,
});

/** Part of Firenze's metadata (2023 schema). */
const LAYERS_2023 = [
  { id: "earth", fields: {} },
  { id: "natural", fields: { landuse: "string", natural: "string" } },
  { id: "water", fields: { water: "string" } },
  { id: "physical_line", fields: { waterway: "string" } },
  { id: "roads", fields: { highway: "string", "pmap:kind": "string" } },
  { id: "places", fields: { name: "string", "pmap:kind": "string", "pmap:rank": "string" } },
  { id: "mask", fields: {} },
];

/** The current Protomaps schema (docs.protomaps.com/basemaps/layers). */
const LAYERS_V4 = [
  { id: "boundaries", fields: { kind: "String", kind_detail: "Number" } },
  { id: "buildings", fields: { kind: "String", height: "Number" } },
  { id: "earth", fields: { kind: "String" } },
  { id: "landcover", fields: { kind: "String" } },
  { id: "landuse", fields: { kind: "String" } },
  { id: "places", fields: { kind: "String", name: "String" } },
  { id: "roads", fields: { kind: "String", kind_detail: "String", name: "String" } },
  { id: "water", fields: { kind: "String" } },
];

describe("basemap files", () => {
  it("recognises the 2023 and the current Protomaps schema", () => {
    expect(detectVectorSchema(LAYERS_2023)).toBe("protomaps-2023");
    expect(detectVectorSchema(LAYERS_V4)).toBe("protomaps-v4");
    // Layers only: still told apart.
    expect(detectVectorSchema(LAYERS_2023.map(({ id }) => ({ id })))).toBe("protomaps-2023");
    expect(detectVectorSchema(LAYERS_V4.map(({ id }) => ({ id })))).toBe("protomaps-v4");
    // OpenMapTiles: another schema, not supported.
    expect(
      detectVectorSchema([
        { id: "transportation", fields: { class: "String" } },
        { id: "water", fields: { class: "String" } },
      ]),
    ).toBeNull();
  });

  it("says why a file cannot be shown", () => {
    expect(basemapSchemaOf(FIRENZE, { vector_layers: LAYERS_2023 })).toEqual({
      ok: true,
      schema: "protomaps-2023",
    });
    expect(basemapSchemaOf({ ...FIRENZE, tileType: 2 }, {})).toEqual({
      ok: true,
      schema: "raster",
    });
    expect(basemapSchemaOf({ ...FIRENZE, specVersion: 2 }, {})).toEqual({
      ok: false,
      problem: "unsupported_version",
    });
    expect(basemapSchemaOf({ ...FIRENZE, tileType: 5 }, {})).toEqual({
      ok: false,
      problem: "unsupported_tiles",
    });
    expect(basemapSchemaOf(FIRENZE, {})).toEqual({ ok: false, problem: "unknown_schema" });
    // No fields in the metadata: a sample tile's property names decide.
    expect(basemapSchemaOf(FIRENZE, {}, ["name", "kind"])).toEqual({
      ok: true,
      schema: "protomaps-v4",
    });
  });

  it("opens on the file's area at a zoom that shows it", () => {
    const described = describeBasemapFile(
      FIRENZE,
      { attribution: '<a href="x">Protomaps</a>' },
      "protomaps-2023",
    );
    expect(described.center).toEqual([11.2414827, 43.779779]);
    expect(described.bounds).toEqual([11.154026, 43.7270125, 11.3289395, 43.8325455]);
    // Width 0.1749°: log2(1000 * 360 / (512 * 0.1749)) = 11.97; height 43.727-43.833° is
    // 0.0025507 in Mercator units: log2(700 * 2 pi / (512 * 0.0025507)) = 11.72; to the half.
    expect(described.centerZoom).toBe(11.5);
    expect(described.attribution).toBe(PROTOMAPS_ATTRIBUTION);
    // The world is 512 px wide at MapLibre's zoom 0: 1,000 x 700 px shows it at zoom 0.
    expect(zoomToShow([-180, -85, 180, 85], 0, 14)).toBe(0);
    expect(zoomToShow([11.25, 43.77, 11.2501, 43.7701], 0, 14)).toBe(14);
  });

  it("shows a raster file's own credit as text only", () => {
    const described = describeBasemapFile(
      { ...FIRENZE, tileType: 2, centerLon: 0, centerLat: 0 },
      { attribution: '<img src=x onerror="alert(1)">© Kommunen & <b>Lantmäteriet</b>' },
      "raster",
    );
    expect(described.attribution).toBe("© Kommunen &amp; Lantmäteriet");
    // A centre outside the bounds: the middle of the bounds instead.
    expect(described.center[0]).toBeCloseTo(11.2415, 3);
  });
});
