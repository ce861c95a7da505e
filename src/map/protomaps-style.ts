/**
 * Lykta's style for Protomaps vector basemaps, for the two layer schemas it supports
 * (docs/basemaps.md): the 2023 schema (`pmap:kind`, physical_line, natural, mask) and the
 * current one (`kind`, landcover, rivers in water). Made for walking at night: streets and
 * paths stand out, names are readable, there are no icons (so no sprite is needed), and the
 * night palette is dark and low in contrast so the team's own layers read on top of it.
 *
 * Labels need fonts: the style declares Noto Sans (OFL 1.1, from @fontsource/noto-sans,
 * bundled with the app and precached) as `font-faces`, and MapLibre draws the glyphs in the
 * page (TinySDF). There is no `glyphs` URL, so nothing is fetched from a glyph server.
 */

import latin400 from "@fontsource/noto-sans/files/noto-sans-latin-400-normal.woff2?url";
import latin600 from "@fontsource/noto-sans/files/noto-sans-latin-600-normal.woff2?url";
import latinExt400 from "@fontsource/noto-sans/files/noto-sans-latin-ext-400-normal.woff2?url";
import latinExt600 from "@fontsource/noto-sans/files/noto-sans-latin-ext-600-normal.woff2?url";
import type { ExpressionSpecification, LayerSpecification, StyleSpecification } from "maplibre-gl";

export type ProtomapsSchema = "protomaps-2023" | "protomaps-v4";

export const FONT_REGULAR = "Noto Sans Regular";
export const FONT_SEMIBOLD = "Noto Sans SemiBold";

/** Unicode ranges of @fontsource/noto-sans's latin and latin-ext files (their CSS). */
const LATIN = [
  "U+0000-00FF",
  "U+0131",
  "U+0152-0153",
  "U+02BB-02BC",
  "U+02C6",
  "U+02DA",
  "U+02DC",
  "U+0304",
  "U+0308",
  "U+0329",
  "U+2000-206F",
  "U+20AC",
  "U+2122",
  "U+2191",
  "U+2193",
  "U+2212",
  "U+2215",
  "U+FEFF",
  "U+FFFD",
];
const LATIN_EXT = [
  "U+0100-02BA",
  "U+02BD-02C5",
  "U+02C7-02CC",
  "U+02CE-02D7",
  "U+02DD-02FF",
  "U+1D00-1DBF",
  "U+1E00-1E9F",
  "U+1EF2-1EFF",
  "U+2020",
  "U+20A0-20AB",
  "U+20AD-20C0",
  "U+2113",
  "U+2C60-2C7F",
  "U+A720-A7FF",
];

/** The style's `font-faces`: bundled files, absolute so MapLibre's worker-side requests resolve. */
export function basemapFontFaces(): NonNullable<StyleSpecification["font-faces"]> {
  const absolute = (url: string) => new URL(url, document.baseURI).href;
  return {
    [FONT_REGULAR]: [
      { url: absolute(latin400), "unicode-range": LATIN },
      { url: absolute(latinExt400), "unicode-range": LATIN_EXT },
    ],
    [FONT_SEMIBOLD]: [
      { url: absolute(latin600), "unicode-range": LATIN },
      { url: absolute(latinExt600), "unicode-range": LATIN_EXT },
    ],
  };
}

/**
 * Colours by day and by night. The day road and label colours are also what the end-to-end
 * test counts in a screenshot (test/e2e/basemap.spec.ts): change both together.
 */
export const BASEMAP_PALETTE = {
  day: {
    earth: "#ece8df",
    outside: "#dcd9d2",
    green: "#cfe2c0",
    institution: "#e6dccb",
    pedestrian: "#f3f0ea",
    water: "#9fc6e0",
    building: "#d8d0c2",
    buildingOutline: "#c6bcab",
    casing: "#bfb6a6",
    path: "#a3968a",
    minorRoad: "#ffffff",
    majorRoad: "#f6d27a",
    highway: "#f0a95a",
    rail: "#8d8d8d",
    text: "#2a2e34",
    placeText: "#1d2128",
    waterText: "#2c5f82",
    halo: "#ffffff",
  },
  night: {
    earth: "#1a2029",
    outside: "#141a22",
    green: "#1b2a22",
    institution: "#231f26",
    pedestrian: "#242a33",
    water: "#0e2638",
    building: "#262d38",
    buildingOutline: "#2f3845",
    casing: "#10151b",
    path: "#4f5866",
    minorRoad: "#3b4554",
    majorRoad: "#5b5443",
    highway: "#6a4f36",
    rail: "#4a505a",
    text: "#a9b3bf",
    placeText: "#c9d1da",
    waterText: "#6f9ab8",
    halo: "#10151c",
  },
} as const;

/** The names that differ between the two schemas. */
interface SchemaNames {
  kind: string;
  /** Rivers and streams as lines: their layer, and a filter for lines in it. */
  waterLines: string;
  /** Natural areas (woods, grass): the 2023 `natural` layer, the current `landcover`. */
  natural: string;
  /** The 2023 schema marks the world outside the extract with a `mask` polygon. */
  mask: boolean;
}

const NAMES: Record<ProtomapsSchema, SchemaNames> = {
  "protomaps-2023": {
    kind: "pmap:kind",
    waterLines: "physical_line",
    natural: "natural",
    mask: true,
  },
  "protomaps-v4": { kind: "kind", waterLines: "water", natural: "landcover", mask: false },
};

const GREEN_KINDS = [
  "park",
  "cemetery",
  "garden",
  "grass",
  "grassland",
  "forest",
  "wood",
  "scrub",
  "meadow",
  "nature_reserve",
  "national_park",
  "protected_area",
  "playground",
  "pitch",
  "golf_course",
  "allotments",
  "village_green",
  "recreation_ground",
  "farmland",
];
const INSTITUTION_KINDS = ["school", "university", "college", "hospital", "kindergarten"];
const PATH_KINDS = ["other", "path"];
const MAJOR_KINDS = ["major_road", "medium_road"];

/** Line widths (px) growing with zoom, exponential as streets do on the ground. */
function width(stops: [number, number][]): ExpressionSpecification {
  return [
    "interpolate",
    ["exponential", 1.6],
    ["zoom"],
    ...stops.flat(),
  ] as ExpressionSpecification;
}

/**
 * The basemap's layers for a source holding a Protomaps vector file, bottom to top. Layer ids
 * start with `lykta-basemap-` (night mode recolours them: basemapPaint below).
 */
export function protomapsLayers(
  schema: ProtomapsSchema,
  source: string,
  night: boolean,
): LayerSpecification[] {
  const palette = night ? BASEMAP_PALETTE.night : BASEMAP_PALETTE.day;
  const names = NAMES[schema];
  const kind: ExpressionSpecification = ["get", names.kind];
  const kindIn = (kinds: string[]): ExpressionSpecification => ["in", kind, ["literal", kinds]];
  // The 2023 schema files grass and gardens under kind "other" with an OSM tag beside it.
  const green: ExpressionSpecification =
    schema === "protomaps-2023"
      ? [
          "any",
          kindIn(GREEN_KINDS),
          ["in", ["get", "landuse"], ["literal", GREEN_KINDS]],
          ["in", ["get", "leisure"], ["literal", GREEN_KINDS]],
        ]
      : kindIn(GREEN_KINDS);
  const polygon: ExpressionSpecification = [
    "in",
    ["geometry-type"],
    ["literal", ["Polygon", "MultiPolygon"]],
  ];
  const line: ExpressionSpecification = [
    "in",
    ["geometry-type"],
    ["literal", ["LineString", "MultiLineString"]],
  ];
  const notTunnel: ExpressionSpecification =
    schema === "protomaps-2023"
      ? ["!", ["in", ["get", "tunnel"], ["literal", ["yes", "building_passage"]]]]
      : ["!=", ["get", "is_tunnel"], true];
  const id = (part: string) => `lykta-basemap-${part}`;
  const base = { source } as const;
  const layers: LayerSpecification[] = [
    {
      id: id("earth"),
      type: "fill",
      ...base,
      "source-layer": "earth",
      paint: { "fill-color": palette.earth },
    },
    {
      id: id("natural"),
      type: "fill",
      ...base,
      "source-layer": names.natural,
      filter: green,
      paint: { "fill-color": palette.green, "fill-opacity": 0.7 },
    },
    {
      id: id("landuse-green"),
      type: "fill",
      ...base,
      "source-layer": "landuse",
      filter: green,
      paint: { "fill-color": palette.green },
    },
    {
      id: id("landuse-institution"),
      type: "fill",
      ...base,
      "source-layer": "landuse",
      filter: kindIn(INSTITUTION_KINDS),
      paint: { "fill-color": palette.institution },
    },
    {
      id: id("landuse-pedestrian"),
      type: "fill",
      ...base,
      "source-layer": "landuse",
      filter: kindIn(["pedestrian", "square"]),
      paint: { "fill-color": palette.pedestrian },
    },
    {
      id: id("water"),
      type: "fill",
      ...base,
      "source-layer": "water",
      filter: polygon,
      paint: { "fill-color": palette.water },
    },
    {
      id: id("waterway"),
      type: "line",
      ...base,
      "source-layer": names.waterLines,
      minzoom: 9,
      filter: line,
      paint: {
        "line-color": palette.water,
        "line-width": width([
          [9, 0.5],
          [14, 2],
          [18, 8],
        ]),
      },
    },
    {
      id: id("buildings"),
      type: "fill",
      ...base,
      "source-layer": "buildings",
      minzoom: 13,
      paint: { "fill-color": palette.building, "fill-outline-color": palette.buildingOutline },
    },
    {
      id: id("path"),
      type: "line",
      ...base,
      "source-layer": "roads",
      minzoom: 13,
      filter: ["all", kindIn(PATH_KINDS), notTunnel],
      paint: {
        "line-color": palette.path,
        "line-width": width([
          [13, 0.5],
          [16, 1.5],
          [19, 4],
        ]),
      },
    },
    {
      id: id("road-casing"),
      type: "line",
      ...base,
      "source-layer": "roads",
      minzoom: 12,
      filter: ["all", kindIn(["minor_road", ...MAJOR_KINDS, "highway"]), notTunnel],
      layout: { "line-cap": "round", "line-join": "round" },
      paint: {
        "line-color": palette.casing,
        "line-width": width([
          [12, 1.5],
          [15, 6],
          [18, 20],
        ]),
      },
    },
    {
      id: id("road-minor"),
      type: "line",
      ...base,
      "source-layer": "roads",
      minzoom: 11,
      filter: ["all", ["==", kind, "minor_road"], notTunnel],
      layout: { "line-cap": "round", "line-join": "round" },
      paint: {
        "line-color": palette.minorRoad,
        "line-width": width([
          [11, 0.5],
          [15, 4],
          [18, 17],
        ]),
      },
    },
    {
      id: id("road-major"),
      type: "line",
      ...base,
      "source-layer": "roads",
      filter: ["all", kindIn([...MAJOR_KINDS, "highway"]), notTunnel],
      layout: { "line-cap": "round", "line-join": "round" },
      paint: {
        "line-color": ["match", kind, "highway", palette.highway, palette.majorRoad],
        "line-width": width([
          [8, 0.5],
          [12, 1.5],
          [15, 5],
          [18, 18],
        ]),
      },
    },
    {
      id: id("rail"),
      type: "line",
      ...base,
      "source-layer": "transit",
      minzoom: 11,
      filter: ["==", kind, "rail"],
      paint: { "line-color": palette.rail, "line-width": 1.2, "line-dasharray": [3, 2] },
    },
    {
      id: id("waterway-label"),
      type: "symbol",
      ...base,
      "source-layer": names.waterLines,
      minzoom: 13,
      filter: ["all", line, ["has", "name"]],
      layout: {
        "symbol-placement": "line",
        "text-field": ["get", "name"],
        "text-font": [FONT_REGULAR],
        "text-size": 13,
        "text-letter-spacing": 0.1,
      },
      paint: {
        "text-color": palette.waterText,
        "text-halo-color": palette.halo,
        "text-halo-width": 1.5,
      },
    },
    {
      id: id("road-label"),
      type: "symbol",
      ...base,
      "source-layer": "roads",
      minzoom: 14,
      filter: ["has", "name"],
      layout: {
        "symbol-placement": "line",
        "text-field": ["get", "name"],
        "text-font": [FONT_REGULAR],
        "text-size": ["interpolate", ["linear"], ["zoom"], 14, 12, 16, 14, 18, 16],
        "symbol-spacing": 300,
      },
      paint: {
        "text-color": palette.text,
        "text-halo-color": palette.halo,
        "text-halo-width": 2,
      },
    },
    {
      id: id("place-label"),
      type: "symbol",
      ...base,
      "source-layer": "places",
      filter: ["has", "name"],
      layout: {
        "text-field": ["get", "name"],
        "text-font": [FONT_SEMIBOLD],
        "text-size": [
          "match",
          kind,
          ["country", "region"],
          14,
          ["city", "locality"],
          18,
          ["neighbourhood", "macrohood"],
          14,
          12,
        ],
        "text-max-width": 8,
        "text-transform": ["match", kind, ["neighbourhood", "macrohood"], "uppercase", "none"],
        "text-letter-spacing": ["match", kind, ["neighbourhood", "macrohood"], 0.08, 0],
      },
      paint: {
        "text-color": palette.placeText,
        "text-halo-color": palette.halo,
        "text-halo-width": 2,
      },
    },
  ];
  if (names.mask) {
    // Outside the file's area: the plain background, so the edge of the map shows.
    layers.splice(1, 0, {
      id: id("mask"),
      type: "fill",
      ...base,
      "source-layer": "mask",
      paint: { "fill-color": palette.outside },
    });
  }
  return layers;
}

/** The colour properties of the basemap's layers, for switching day and night in place. */
export function protomapsPaint(
  schema: ProtomapsSchema,
  night: boolean,
): Map<string, Record<string, unknown>> {
  const paint = new Map<string, Record<string, unknown>>();
  for (const layer of protomapsLayers(schema, "unused", night)) {
    if ("paint" in layer && layer.paint)
      paint.set(layer.id, layer.paint as Record<string, unknown>);
  }
  return paint;
}
