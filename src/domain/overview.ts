/**
 * The overview of many observations: below a zoom level, observations nearer each other on
 * screen than a cell are drawn as one group, coloured by the most serious. Computed on a
 * screen-pixel grid for one zoom level at a time: linear in the number of observations
 * (10,000 in a few milliseconds), where a hierarchical clusterer would index every zoom.
 */
import type { Feature, Point } from "geojson";

export interface OverviewPoint {
  id: string;
  lon: number;
  lat: number;
  severity: number;
  group: string;
}

/** MapLibre's world is 512 px wide at zoom 0. */
const TILE_SIZE_PX = 512;
/** Web Mercator's latitude limit. */
const MAX_LATITUDE = 85.051129;

/** Web Mercator pixel position at a zoom level. */
export function worldPixel(lon: number, lat: number, zoom: number): [number, number] {
  const size = TILE_SIZE_PX * 2 ** zoom;
  const clamped = Math.max(-MAX_LATITUDE, Math.min(MAX_LATITUDE, lat));
  const sin = Math.sin((clamped * Math.PI) / 180);
  const x = ((lon + 180) / 360) * size;
  const y = (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * size;
  return [x, y];
}

interface Cell {
  count: number;
  lonSum: number;
  latSum: number;
  maxSeverity: number;
  first: OverviewPoint;
}

/**
 * Group points by grid cell. A lone point keeps its own properties (id, severity, group);
 * a group has `cluster: true`, `pointCount`, `maxSeverity` and sits at its members' mean.
 * The output is sorted so the same input always gives the same features.
 */
export function groupOnGrid(
  points: readonly OverviewPoint[],
  zoom: number,
  cellPx: number,
): Feature<Point>[] {
  const cells = new Map<string, Cell>();
  for (const point of points) {
    const [x, y] = worldPixel(point.lon, point.lat, zoom);
    const key = `${Math.floor(x / cellPx)}:${Math.floor(y / cellPx)}`;
    const cell = cells.get(key);
    if (cell) {
      cell.count += 1;
      cell.lonSum += point.lon;
      cell.latSum += point.lat;
      cell.maxSeverity = Math.max(cell.maxSeverity, point.severity);
      if (point.id < cell.first.id) cell.first = point;
    } else {
      cells.set(key, {
        count: 1,
        lonSum: point.lon,
        latSum: point.lat,
        maxSeverity: point.severity,
        first: point,
      });
    }
  }
  const features: Feature<Point>[] = [];
  for (const cell of cells.values()) {
    if (cell.count === 1) {
      const point = cell.first;
      features.push({
        type: "Feature",
        geometry: { type: "Point", coordinates: [point.lon, point.lat] },
        properties: { id: point.id, severity: point.severity, group: point.group },
      });
    } else {
      features.push({
        type: "Feature",
        geometry: {
          type: "Point",
          coordinates: [cell.lonSum / cell.count, cell.latSum / cell.count],
        },
        properties: {
          cluster: true,
          pointCount: cell.count,
          maxSeverity: cell.maxSeverity,
          firstId: cell.first.id,
        },
      });
    }
  }
  return features.sort((a, b) =>
    String(a.properties?.id ?? a.properties?.firstId).localeCompare(
      String(b.properties?.id ?? b.properties?.firstId),
    ),
  );
}
