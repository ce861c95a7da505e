/**
 * CSV export (docs/format.md, "CSV conventions"): one row per feature with the same columns
 * as the GeoJSON export, lists joined with ";", the geometry as WKT in a `wkt` column and a
 * representative point as `lon`,`lat` (WGS84) or `e`,`n` (SWEREF 99 TM).
 *
 * - UTF-8 with a byte order mark: Excel (Swedish Windows) otherwise reads the file as
 *   Windows-1252 and breaks å, ä, ö; GDAL, QGIS, pandas and papaparse skip the mark.
 * - Delimiter "," and "." as decimal point (RFC 4180, CRLF line ends), quoting where needed.
 * - Formula injection (OWASP, "CSV Injection"): a text value that begins with = + - @, a tab
 *   or a carriage return gets a leading apostrophe, so a spreadsheet shows it as text and
 *   never runs it. Numbers are written as numbers and never prefixed.
 */
import type { Geometry, Position } from "geojson";
import Papa from "papaparse";
import {
  type ExportFeature,
  outputGeometry,
  type PositionTransform,
  ringSignedArea2,
  roundTo,
  WGS84_DECIMALS,
} from "./geojson";
import { SWEREF_DECIMALS, swerefOfExported } from "./sweref";

export const CSV_BOM = "\uFEFF";
export const CSV_LIST_SEPARATOR = ";";
/** First characters that make a spreadsheet read a cell as a formula (OWASP). */
const FORMULA_START = /^[=+\-@\t\r]/;

export type CsvCrs = "EPSG:4326" | "EPSG:3006";

/** A text value made safe for spreadsheets: formula-like text gets a leading apostrophe. */
export function guardFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** A number in plain decimal form (never "1e-7"): WKT readers and spreadsheets expect it. */
function formatNumber(value: number, decimals = 10): string {
  const text = String(value);
  if (!/e/i.test(text)) return text;
  return value.toFixed(decimals).replace(/\.?0+$/, "");
}

/** A cell's text. Lists are ";"-joined; objects become JSON; text is guarded. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? formatNumber(value) : "";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (Array.isArray(value)) {
    return guardFormula(
      value
        .map((item) => (typeof item === "object" && item !== null ? JSON.stringify(item) : item))
        .map((item) => (typeof item === "number" ? formatNumber(item) : String(item ?? "")))
        .join(CSV_LIST_SEPARATOR),
    );
  }
  if (typeof value === "object") return guardFormula(JSON.stringify(value));
  return guardFormula(String(value));
}

// ---------------------------------------------------------------------------------------
// WKT

const wktPosition = (position: Position) =>
  `${formatNumber(position[0]!)} ${formatNumber(position[1]!)}`;
const wktList = (positions: readonly Position[]) => `(${positions.map(wktPosition).join(", ")})`;
const wktRings = (rings: readonly Position[][]) => `(${rings.map(wktList).join(", ")})`;

/** OGC Well-Known Text of a geometry; "" for no geometry. */
export function toWkt(geometry: Geometry | null): string {
  if (geometry === null) return "";
  switch (geometry.type) {
    case "Point":
      return `POINT (${wktPosition(geometry.coordinates)})`;
    case "MultiPoint":
      return geometry.coordinates.length === 0
        ? "MULTIPOINT EMPTY"
        : `MULTIPOINT (${geometry.coordinates.map((p) => `(${wktPosition(p)})`).join(", ")})`;
    case "LineString":
      return `LINESTRING ${wktList(geometry.coordinates)}`;
    case "MultiLineString":
      return `MULTILINESTRING (${geometry.coordinates.map(wktList).join(", ")})`;
    case "Polygon":
      return `POLYGON ${wktRings(geometry.coordinates)}`;
    case "MultiPolygon":
      return `MULTIPOLYGON (${geometry.coordinates.map(wktRings).join(", ")})`;
    case "GeometryCollection":
      return geometry.geometries.length === 0
        ? "GEOMETRYCOLLECTION EMPTY"
        : `GEOMETRYCOLLECTION (${geometry.geometries.map(toWkt).join(", ")})`;
  }
}

// ---------------------------------------------------------------------------------------
// Representative point: a point on the geometry, for a spreadsheet or a point layer

/** Distance in the plane; for degrees, longitude is scaled by cos(latitude). */
function planeDistance(a: Position, b: Position, degrees: boolean): number {
  const scale = degrees ? Math.cos(((a[1]! + b[1]!) / 2) * (Math.PI / 180)) : 1;
  return Math.hypot((b[0]! - a[0]!) * scale, b[1]! - a[1]!);
}

function lineLength(positions: readonly Position[], degrees: boolean): number {
  let total = 0;
  for (let i = 1; i < positions.length; i++) {
    total += planeDistance(positions[i - 1]!, positions[i]!, degrees);
  }
  return total;
}

/** The point halfway along a line. */
function lineMidpoint(positions: readonly Position[], degrees: boolean): Position {
  let remaining = lineLength(positions, degrees) / 2;
  for (let i = 1; i < positions.length; i++) {
    const a = positions[i - 1]!;
    const b = positions[i]!;
    const step = planeDistance(a, b, degrees);
    if (step > 0 && remaining <= step) {
      const t = remaining / step;
      return [a[0]! + (b[0]! - a[0]!) * t, a[1]! + (b[1]! - a[1]!) * t];
    }
    remaining -= step;
  }
  return positions[0]!;
}

function insideRing(point: Position, ring: readonly Position[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]! as [number, number];
    const [xj, yj] = ring[j]! as [number, number];
    if (
      yi > point[1]! !== yj > point[1]! &&
      point[0]! < ((xj - xi) * (point[1]! - yi)) / (yj - yi) + xi
    ) {
      inside = !inside;
    }
  }
  return inside;
}

function insidePolygon(point: Position, rings: readonly Position[][]): boolean {
  return insideRing(point, rings[0]!) && !rings.slice(1).some((hole) => insideRing(point, hole));
}

/**
 * A point inside a polygon: its centroid when that lies inside, else the middle of the
 * widest stretch of the horizontal line through the centroid that lies inside.
 */
function polygonPoint(rings: readonly Position[][]): Position {
  const exterior = rings[0]!;
  let area2 = 0;
  let x = 0;
  let y = 0;
  for (let i = 0, j = exterior.length - 1; i < exterior.length; j = i++) {
    const [xi, yi] = exterior[i]! as [number, number];
    const [xj, yj] = exterior[j]! as [number, number];
    const cross = xj * yi - xi * yj;
    area2 += cross;
    x += (xi + xj) * cross;
    y += (yi + yj) * cross;
  }
  const centroid: Position = area2 === 0 ? exterior[0]! : [x / (3 * area2), y / (3 * area2)];
  if (insidePolygon(centroid, rings)) return centroid;
  const scanY = centroid[1]!;
  const crossings: number[] = [];
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i]! as [number, number];
      const [xj, yj] = ring[j]! as [number, number];
      if (yi > scanY !== yj > scanY) crossings.push(((xj - xi) * (scanY - yi)) / (yj - yi) + xi);
    }
  }
  crossings.sort((a, b) => a - b);
  let best: Position = exterior[0]!;
  let widest = -1;
  for (let i = 0; i + 1 < crossings.length; i += 2) {
    const width = crossings[i + 1]! - crossings[i]!;
    if (width > widest) {
      widest = width;
      best = [(crossings[i]! + crossings[i + 1]!) / 2, scanY];
    }
  }
  return best;
}

/**
 * A representative point that lies on the geometry: the point itself, the middle of a line
 * (of the longest part), a point inside a polygon (of the largest part). Null: no geometry.
 * `degrees`: coordinates are lon/lat (distances scaled by the cosine of the latitude).
 */
export function representativePoint(geometry: Geometry | null, degrees: boolean): Position | null {
  if (geometry === null) return null;
  switch (geometry.type) {
    case "Point":
      return geometry.coordinates;
    case "MultiPoint":
      return geometry.coordinates[0] ?? null;
    case "LineString":
      return geometry.coordinates.length > 0 ? lineMidpoint(geometry.coordinates, degrees) : null;
    case "MultiLineString": {
      const longest = [...geometry.coordinates].sort(
        (a, b) => lineLength(b, degrees) - lineLength(a, degrees),
      )[0];
      return longest && longest.length > 0 ? lineMidpoint(longest, degrees) : null;
    }
    case "Polygon":
      return geometry.coordinates[0]?.length ? polygonPoint(geometry.coordinates) : null;
    case "MultiPolygon": {
      const largest = [...geometry.coordinates]
        .filter((polygon) => polygon[0]?.length)
        .sort((a, b) => Math.abs(ringSignedArea2(b[0]!)) - Math.abs(ringSignedArea2(a[0]!)))[0];
      return largest ? polygonPoint(largest) : null;
    }
    case "GeometryCollection":
      for (const member of geometry.geometries) {
        const point = representativePoint(member, degrees);
        if (point) return point;
      }
      return null;
  }
}

// ---------------------------------------------------------------------------------------
// Writing

export interface CsvOptions {
  /** EPSG:4326 (default): `lon`,`lat`, 7 decimals; EPSG:3006: `e`,`n` in metres, 2 decimals. */
  crs?: CsvCrs;
  /** Start with a UTF-8 byte order mark (default true, for Excel). */
  bom?: boolean;
}

/** CSV text, one row per feature; the geometry columns come last. */
export function toCsvText(features: readonly ExportFeature[], options: CsvOptions = {}): string {
  const sweref = options.crs === "EPSG:3006";
  const decimals = sweref ? SWEREF_DECIMALS : WGS84_DECIMALS;
  const transform: PositionTransform | undefined = sweref ? swerefOfExported : undefined;
  const pointColumns = sweref ? ["e", "n"] : ["lon", "lat"];
  const geometryColumns = [...pointColumns, "wkt"];
  const propertyColumns: string[] = [];
  const seen = new Set<string>(geometryColumns);
  // Features without an `id` property (convert) still get their id as the first column.
  const idColumn = features.some((feature) => feature.id !== null && !("id" in feature.properties));
  if (idColumn) {
    propertyColumns.push("id");
    seen.add("id");
  }
  for (const feature of features) {
    for (const key of Object.keys(feature.properties)) {
      if (!seen.has(key)) {
        seen.add(key);
        propertyColumns.push(key);
      }
    }
  }
  const rows = features.map((feature) => {
    const geometry = outputGeometry(feature.geometry, decimals, transform);
    const point = representativePoint(geometry, !sweref);
    const cells = propertyColumns.map((column) =>
      column === "id" && idColumn && !("id" in feature.properties)
        ? cellText(feature.id)
        : cellText(feature.properties[column]),
    );
    cells.push(
      point ? formatNumber(roundTo(point[0]!, decimals)) : "",
      point ? formatNumber(roundTo(point[1]!, decimals)) : "",
      toWkt(geometry),
    );
    return cells;
  });
  const text = Papa.unparse(
    { fields: [...propertyColumns, ...geometryColumns], data: rows },
    { delimiter: ",", newline: "\r\n", quotes: false },
  );
  return `${options.bom === false ? "" : CSV_BOM}${text}\r\n`;
}
