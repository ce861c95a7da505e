/**
 * Coordinate reference systems Lykta reads and writes, and transforms between them (proj4).
 *
 * Swedish municipalities work in SWEREF 99 TM (EPSG:3006), some in a local SWEREF 99 zone
 * (EPSG:3007–3018), and older data is in RT 90 2.5 gon V (EPSG:3021). Definitions are the
 * PROJ strings GDAL 3.6 gives for these codes (`gdalsrsinfo EPSG:N -o proj4`); crs.test.ts
 * checks one point per CRS against `gdaltransform`.
 *
 * Axis order: every function here takes and returns (x, y) = (easting, northing) for
 * projected CRSs and (longitude, latitude) for geographic ones, the order of GeoJSON
 * coordinates, WKT and GIS software ("traditional GIS order"), whatever the EPSG database
 * says about the axis order of the CRS.
 *
 * The proj4 library is used without registering anything in its global `defs` table, so
 * this module cannot clash with other code that uses proj4.
 */
import type { Position } from "geojson";
import proj4, { type Converter } from "proj4";

export type CrsKind = "geographic" | "projected";

/** Plausible coordinates for a projected CRS in metres: the EPSG area of use, rounded out. */
export interface ProjectedBounds {
  minEasting: number;
  maxEasting: number;
  minNorthing: number;
  maxNorthing: number;
}

export interface CrsDefinition {
  /** Canonical code, "EPSG:NNNN". */
  code: string;
  /** The name GIS staff know it by. */
  name: string;
  kind: CrsKind;
  /** PROJ string (as GDAL gives it). */
  proj4: string;
  /** Projected CRSs: where coordinates of Swedish data lie (used for hints, never to clip). */
  bounds?: ProjectedBounds;
}

export const WGS84 = "EPSG:4326";
export const SWEREF99_TM = "EPSG:3006";
export const RT90_25_GON_V = "EPSG:3021";

const WGS84_PROJ4 = "+proj=longlat +datum=WGS84 +no_defs";
/** SWEREF 99 is ETRS89-aligned; EPSG and PROJ treat it as WGS 84 at the metre level. */
const SWEREF99_DATUM = "+ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs";

/** Northings of Sweden in every SWEREF 99 and RT 90 grid (EPSG area of use, rounded out). */
const SWEDEN_MIN_NORTHING = 6_090_000;
const SWEDEN_MAX_NORTHING = 7_700_000;

/** The twelve local SWEREF 99 zones: EPSG code and central meridian in degrees. */
const SWEREF99_LOCAL_ZONES: readonly [number, number, string][] = [
  [3007, 12, "12 00"],
  [3008, 13.5, "13 30"],
  [3009, 15, "15 00"],
  [3010, 16.5, "16 30"],
  [3011, 18, "18 00"],
  [3012, 14.25, "14 15"],
  [3013, 15.75, "15 45"],
  [3014, 17.25, "17 15"],
  [3015, 18.75, "18 45"],
  [3016, 20.25, "20 15"],
  [3017, 21.75, "21 45"],
  [3018, 23.25, "23 15"],
];

/** Every CRS Lykta reprojects from and to. */
export const SUPPORTED_CRS: readonly CrsDefinition[] = [
  { code: WGS84, name: "WGS 84", kind: "geographic", proj4: WGS84_PROJ4 },
  {
    code: SWEREF99_TM,
    name: "SWEREF 99 TM",
    kind: "projected",
    proj4: `+proj=utm +zone=33 ${SWEREF99_DATUM}`,
    // EPSG:3006 area of use in projected metres: E 181896–1086313, N 6090353–7689479.
    bounds: {
      minEasting: 180_000,
      maxEasting: 1_090_000,
      minNorthing: SWEDEN_MIN_NORTHING,
      maxNorthing: SWEDEN_MAX_NORTHING,
    },
  },
  ...SWEREF99_LOCAL_ZONES.map(
    ([code, centralMeridian, label]): CrsDefinition => ({
      code: `EPSG:${code}`,
      name: `SWEREF 99 ${label}`,
      kind: "projected",
      proj4: `+proj=tmerc +lat_0=0 +lon_0=${centralMeridian} +k=1 +x_0=150000 +y_0=0 ${SWEREF99_DATUM}`,
      // A zone is used about 1.5° either side of its central meridian (about ±90 km).
      bounds: {
        minEasting: 0,
        maxEasting: 300_000,
        minNorthing: SWEDEN_MIN_NORTHING,
        maxNorthing: SWEDEN_MAX_NORTHING,
      },
    }),
  ),
  {
    code: RT90_25_GON_V,
    name: "RT 90 2.5 gon V",
    kind: "projected",
    // Bessel 1841; towgs84 is EPSG transformation 1896 "RT90 to WGS 84 (2)" (about 1 m),
    // the one GDAL/PROJ give for EPSG:3021.
    proj4:
      "+proj=tmerc +lat_0=0 +lon_0=15.80827777777778 +k=1 +x_0=1500000 +y_0=0 +ellps=bessel " +
      "+towgs84=414.1,41.3,603.1,-0.855,2.141,-7.023,0 +units=m +no_defs",
    bounds: {
      minEasting: 1_200_000,
      maxEasting: 1_950_000,
      minNorthing: SWEDEN_MIN_NORTHING,
      maxNorthing: SWEDEN_MAX_NORTHING,
    },
  },
];

const BY_CODE = new Map(SUPPORTED_CRS.map((definition) => [definition.code, definition]));

/** Aliases of WGS 84 in lon/lat order (OGC CRS84 is what RFC 7946 means). */
const WGS84_ALIASES = new Set(["crs84", "ogc:crs84", "wgs84", "wgs 84", "epsg:4326"]);

/**
 * Any way a file or a person names an EPSG CRS, as "EPSG:NNNN", whether or not Lykta supports
 * it (for messages such as "EPSG:2154 is not supported"); null when it names no EPSG code.
 * OGC CRS84 (urn:ogc:def:crs:OGC:1.3:CRS84 and friends) is WGS 84, "EPSG:4326".
 */
export function normaliseCrsName(value: string): string | null {
  const text = value.trim().toLowerCase();
  if (text === "") return null;
  if (WGS84_ALIASES.has(text)) return WGS84;
  // urn:ogc:def:crs:OGC:1.3:CRS84, urn:ogc:def:crs:OGC::CRS84,
  // http://www.opengis.net/def/crs/OGC/1.3/CRS84
  if (
    /^(urn:(x-)?ogc:def:crs:ogc:[\d.]*:crs84|https?:\/\/www\.opengis\.net\/def\/crs\/ogc\/[\d.]+\/crs84)$/.test(
      text,
    )
  ) {
    return WGS84;
  }
  const patterns = [
    // EPSG:3006, EPSG::3006, epsg 3006, 3006
    /^(?:epsg\s*:{0,2}\s*)?(\d{4,6})$/,
    // urn:ogc:def:crs:EPSG::3006, urn:ogc:def:crs:EPSG:6.6:3006, urn:x-ogc:def:crs:EPSG:3006
    /^urn:(?:x-)?ogc:def:crs:epsg:[\d.]*:?(\d{4,6})$/,
    // http://www.opengis.net/def/crs/EPSG/0/3006 (https too)
    /^https?:\/\/www\.opengis\.net\/def\/crs\/epsg\/[\d.]+\/(\d{4,6})$/,
    // http://www.opengis.net/gml/srs/epsg.xml#3006
    /^https?:\/\/www\.opengis\.net\/gml\/srs\/epsg\.xml#(\d{4,6})$/,
  ];
  for (const pattern of patterns) {
    const match = pattern.exec(text);
    if (match) return `EPSG:${Number(match[1])}`;
  }
  // Names GIS software writes instead of codes.
  const compact = text.replace(/[\s_-]+/g, "");
  if (compact === "sweref99tm") return SWEREF99_TM;
  if (compact === "rt902.5gonv" || compact === "rt9025gonv") return RT90_25_GON_V;
  const zone = /^sweref99(\d{2})(\d{2})$/.exec(compact);
  if (zone) {
    const label = `${zone[1]} ${zone[2]}`;
    const found = SWEREF99_LOCAL_ZONES.find((entry) => entry[2] === label);
    if (found) return `EPSG:${found[0]}`;
  }
  return null;
}

/**
 * The canonical code ("EPSG:NNNN") of a CRS Lykta supports, from any of the names a file or
 * a person uses: "EPSG:3006", "urn:ogc:def:crs:EPSG::3006",
 * "http://www.opengis.net/def/crs/EPSG/0/3006", "urn:ogc:def:crs:OGC:1.3:CRS84", "3006",
 * "SWEREF 99 TM". Null when the name is unknown or the CRS is not supported.
 */
export function parseCrsName(value: string): string | null {
  const code = normaliseCrsName(value);
  return code !== null && BY_CODE.has(code) ? code : null;
}

/** The definition of a supported CRS (canonical code), or undefined. */
export function crsDefinition(code: string): CrsDefinition | undefined {
  return BY_CODE.get(code);
}

/** Human-readable list of the supported codes, for messages. */
export const SUPPORTED_CRS_TEXT =
  "EPSG:4326 (WGS 84), EPSG:3006 (SWEREF 99 TM), EPSG:3007–3018 (SWEREF 99 local zones), EPSG:3021 (RT 90 2.5 gon V)";

/**
 * A coordinate transform. Takes (x, y) or one position [x, y, ...] (extra values such as an
 * elevation are ignored) and returns [x, y] in the target CRS.
 */
export interface Transform {
  (x: number, y: number): [number, number];
  (position: Position): [number, number];
}

function transformOf(apply: (x: number, y: number) => [number, number]): Transform {
  return ((a: number | Position, b?: number) =>
    typeof a === "number" ? apply(a, b as number) : apply(a[0]!, a[1]!)) as Transform;
}

function requireDefinition(code: string): CrsDefinition {
  const definition = BY_CODE.get(code);
  if (!definition) {
    // Programmer error: callers parse names with parseCrsName first.
    throw new Error(`Unsupported CRS "${code}"; expected one of ${[...BY_CODE.keys()].join(", ")}`);
  }
  return definition;
}

const converters = new Map<string, Converter>();

function converter(code: string): Converter {
  let found = converters.get(code);
  if (!found) {
    found = proj4(WGS84_PROJ4, requireDefinition(code).proj4);
    converters.set(code, found);
  }
  return found;
}

const identity: Transform = transformOf((x, y) => [x, y]);

/**
 * A function from coordinates in `crs` (a canonical code, see parseCrsName) to WGS 84
 * [longitude, latitude]. Projected input is (easting, northing) in metres.
 * Throws for an unsupported code (a programmer error). Non-finite results (input far outside
 * the projection's domain) come back as NaN or Infinity; callers check.
 */
export function toWgs84(crs: string): Transform {
  if (requireDefinition(crs).kind === "geographic") return identity;
  const projection = converter(crs);
  return transformOf((x, y) => {
    try {
      const [lon, lat] = projection.inverse([x, y]) as [number, number];
      return [lon, lat];
    } catch {
      // proj4 throws on some input far outside the projection's domain.
      return [Number.NaN, Number.NaN];
    }
  });
}

/**
 * A function from WGS 84 (longitude, latitude) to coordinates in `crs`: for projected CRSs
 * [easting, northing] in metres (x first, as GeoJSON and GIS software expect).
 * Throws for an unsupported code.
 */
export function fromWgs84(crs: string): Transform {
  if (requireDefinition(crs).kind === "geographic") return identity;
  const projection = converter(crs);
  return transformOf((lon, lat) => {
    try {
      const [x, y] = projection.forward([lon, lat]) as [number, number];
      return [x, y];
    } catch {
      return [Number.NaN, Number.NaN];
    }
  });
}
