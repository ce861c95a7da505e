/**
 * Test geometry in metres: positions given as metres east and north of a point in
 * Västerås, turned into WGS 84 by proj4's transverse Mercator (an independent
 * implementation from projection.ts), so expected values can be worked out by hand in metres.
 */
import type { Position } from "geojson";
import proj4 from "proj4";
import lightingClassesData from "../../../data/lighting-classes.json";
import type { LightingClassesFile } from "./classes";
import type { LocalProjection } from "./projection";
import type { LightingLamp, LightingPath } from "./types";

export const CLASSES = lightingClassesData as LightingClassesFile;

const local = proj4(
  "+proj=longlat +datum=WGS84 +no_defs",
  "+proj=etmerc +lat_0=59.6 +lon_0=16.5 +k=1 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs",
);

/** WGS 84 position of the point x metres east and y metres north of the origin. */
export function at(x: number, y: number): Position {
  const [lon, lat] = local.inverse([x, y]) as [number, number];
  return [lon, lat];
}

export function path(
  id: string,
  metres: [number, number][],
  options: Partial<Omit<LightingPath, "id" | "coordinates">> = {},
): LightingPath {
  return {
    id,
    coordinates: metres.map(([x, y]) => at(x, y)),
    pathClass: options.pathClass === undefined ? "local_footway" : options.pathClass,
    lit: options.lit ?? "unknown",
    name: options.name ?? null,
  };
}

export function lamp(
  id: string,
  x: number,
  y: number,
  options: Partial<Omit<LightingLamp, "id" | "position">> = {},
): LightingLamp {
  return { id, position: at(x, y), ...options };
}

/** Coordinates taken as metres as they are (for exact-arithmetic checks of the geometry). */
export const IDENTITY: LocalProjection = {
  centreLon: 0,
  centreLat: 0,
  maxScaleError: 0,
  forward: (x, y) => [x, y],
  forwardInto: (x, y, out, index) => {
    out[2 * index] = x;
    out[2 * index + 1] = y;
  },
  forwardAll: (lonLat, out, count) => out.set(lonLat.subarray(0, 2 * count)),
};
