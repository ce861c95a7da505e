/**
 * An area of an online tile source saved for offline use: which part of the world, which
 * zooms, from which source, and how far its download got. The tiles themselves are stored
 * apart from walk data (src/storage/saved-areas.ts).
 */
import type { Polygon } from "geojson";
import type { TileSource } from "./basemap";
import { type AreaShape, type Bbox, bboxPolygon, shapeBbox } from "./tiles";

/** How the team marked the area. */
export type AreaRegion =
  /** The walk's own area outline. */
  | { kind: "walk"; walkId: string; walkName: string; polygon: Polygon }
  /** What the map showed. */
  | { kind: "view"; bbox: Bbox }
  /** A rectangle drawn on the map or typed in. */
  | { kind: "rectangle"; bbox: Bbox };

export type SavedAreaStatus =
  /** A download is running in this app. */
  | "downloading"
  /** Cancelled, or the app was closed: resume continues where it stopped. */
  | "paused"
  /** Every tile is stored (or the source has none there). */
  | "complete"
  /** The device ran out of room: what was stored stays. */
  | "quota"
  /** Ran to the end, but some tiles failed (network, server): resume tries them again. */
  | "incomplete";

export interface SavedArea {
  id: string;
  name: string;
  /** The source as it was when the area was saved: its tiles are filed under source.id. */
  source: TileSource;
  region: AreaRegion;
  minZoom: number;
  maxZoom: number;
  /** Tiles the area needs. */
  tileCount: number;
  /** The estimate shown before the download started. */
  estimatedBytes: number;
  /** Tiles stored for the area (some may be shared with another area of the source). */
  storedTiles: number;
  storedBytes: number;
  /** Tiles the source does not have (HTTP 404): done, nothing to store. */
  missingTiles: number;
  /** Tiles that failed in the last run. */
  failedTiles: number;
  status: SavedAreaStatus;
  /** Epoch ms. */
  createdAt: number;
  updatedAt: number;
}

export function regionShape(region: AreaRegion): AreaShape {
  return region.kind === "walk"
    ? { kind: "polygon", polygon: region.polygon }
    : { kind: "bbox", bbox: region.bbox };
}

/** The outline to draw for an area. */
export function regionPolygon(region: AreaRegion): Polygon {
  return region.kind === "walk" ? region.polygon : bboxPolygon(region.bbox);
}

export function regionBbox(region: AreaRegion): [number, number, number, number] {
  return shapeBbox(regionShape(region));
}

/** Tiles done: stored, or known to be missing at the source. */
export function doneTiles(area: Pick<SavedArea, "storedTiles" | "missingTiles">): number {
  return area.storedTiles + area.missingTiles;
}
