/**
 * Geometry checks and small helpers for observation geometries (GeoJSON, WGS84 lon/lat,
 * RFC 7946).
 */
import type { LineString, Point, Polygon, Position } from "geojson";

export type ObservationGeometry = Point | LineString | Polygon;

/** Mean Earth radius in metres (IUGG), used for haversine distances. */
export const EARTH_RADIUS_M = 6_371_008.8;

function isPosition(value: unknown): value is Position {
  return (
    Array.isArray(value) &&
    (value.length === 2 || value.length === 3) &&
    value.every((n) => typeof n === "number" && Number.isFinite(n)) &&
    (value[0] as number) >= -180 &&
    (value[0] as number) <= 180 &&
    (value[1] as number) >= -90 &&
    (value[1] as number) <= 90
  );
}

function samePosition(a: Position, b: Position): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

/** Why a geometry is not a valid observation geometry, or null when it is. */
export function geometryProblem(value: unknown): string | null {
  if (typeof value !== "object" || value === null) return "not a geometry";
  const geometry = value as { type?: unknown; coordinates?: unknown };
  switch (geometry.type) {
    case "Point":
      return isPosition(geometry.coordinates) ? null : "point coordinates are not lon/lat";
    case "LineString": {
      const coordinates = geometry.coordinates;
      if (!Array.isArray(coordinates) || !coordinates.every(isPosition)) {
        return "line coordinates are not lon/lat positions";
      }
      if (coordinates.length < 2) return "a line needs at least 2 positions";
      return null;
    }
    case "Polygon": {
      const rings = geometry.coordinates;
      if (!Array.isArray(rings) || rings.length === 0) return "a polygon needs a ring";
      for (const [index, ring] of rings.entries()) {
        if (!Array.isArray(ring) || !ring.every(isPosition)) {
          return `ring ${index} coordinates are not lon/lat positions`;
        }
        if (ring.length < 4) return `ring ${index} needs at least 4 positions`;
        if (!samePosition(ring[0] as Position, ring[ring.length - 1] as Position)) {
          return `ring ${index} is not closed`;
        }
      }
      return null;
    }
    default:
      return "geometry must be a Point, LineString or Polygon";
  }
}

/** Great-circle distance in metres between two lon/lat positions (haversine). */
export function distanceM(a: Position, b: Position): number {
  const toRad = Math.PI / 180;
  const dLat = ((b[1]! - a[1]!) * toRad) / 2;
  const dLon = ((b[0]! - a[0]!) * toRad) / 2;
  const h =
    Math.sin(dLat) ** 2 + Math.cos(a[1]! * toRad) * Math.cos(b[1]! * toRad) * Math.sin(dLon) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** A representative lon/lat for a geometry: the point, or the mean of the vertices. */
export function representativePosition(geometry: ObservationGeometry): Position {
  if (geometry.type === "Point") return geometry.coordinates;
  const positions =
    geometry.type === "LineString" ? geometry.coordinates : geometry.coordinates[0]!.slice(0, -1);
  let lon = 0;
  let lat = 0;
  for (const position of positions) {
    lon += position[0]!;
    lat += position[1]!;
  }
  return [lon / positions.length, lat / positions.length];
}

export function geometryKindOf(geometry: ObservationGeometry): "point" | "line" | "polygon" {
  if (geometry.type === "Point") return "point";
  if (geometry.type === "LineString") return "line";
  return "polygon";
}

/** Length of a line in metres. */
export function lineLengthM(positions: Position[]): number {
  let total = 0;
  for (let i = 1; i < positions.length; i++) total += distanceM(positions[i - 1]!, positions[i]!);
  return total;
}
