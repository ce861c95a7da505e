/**
 * Lines of the project's path layers that reach into a box, for the reports' SVG maps. Layer
 * data is stored as a GeoJSON FeatureCollection in WGS 84 (src/storage, putLayer).
 */
import type { Feature, FeatureCollection, Position } from "geojson";
import { db } from "../../state/session";
import type { LayerRecord } from "../../state/store";
import type { Bbox } from "./SvgMap";

function inside(position: Position, box: Bbox): boolean {
  const [lon, lat] = position as [number, number];
  return lon >= box[0] && lon <= box[2] && lat >= box[1] && lat <= box[3];
}

function linesOf(feature: Feature): Position[][] {
  const geometry = feature.geometry;
  if (!geometry) return [];
  if (geometry.type === "LineString") return [geometry.coordinates];
  if (geometry.type === "MultiLineString") return geometry.coordinates;
  if (geometry.type === "Polygon") return geometry.coordinates;
  if (geometry.type === "MultiPolygon") return geometry.coordinates.flat();
  return [];
}

/** Lines of `layers` with at least one vertex in `box` (unreadable layers are skipped). */
export async function layerLines(layers: readonly LayerRecord[], box: Bbox): Promise<Position[][]> {
  const found: Position[][] = [];
  for (const layer of layers) {
    try {
      const blob = await db().getLayerData(layer.fields.dataId);
      if (!blob) continue;
      const collection = JSON.parse(await blob.text()) as FeatureCollection;
      for (const feature of collection.features ?? []) {
        for (const line of linesOf(feature)) {
          if (line.some((position) => inside(position, box))) found.push(line);
        }
      }
    } catch {
      // A layer that cannot be read leaves the map without its lines; the report still prints.
    }
  }
  return found;
}
