import type { Polygon } from "geojson";
import { describe, expect, it } from "vitest";
import {
  ASSUMED_TILE_BYTES,
  areaProblem,
  bboxTileRange,
  estimateSizeBytes,
  MAX_AREA_TILES,
  planTiles,
  tileKey,
  tileRuns,
  tilesOf,
  tileUrl,
  tileXOf,
  tileYOf,
} from "./tiles";

/**
 * Tile borders by hand: zoom z has 2^z columns, column x starts at longitude x / 2^z * 360 -
 * 180; row y starts at latitude atan(sinh(pi (1 - 2y / 2^z))) (OSM wiki "Slippy map
 * tilenames"). At zoom 2: rows start at 85.05°, 66.51326°, 0°, -66.51326°; at zoom 3 row 3
 * starts at atan(sinh(pi/4)) = 40.97990°.
 */
const LAT_Z2_ROW1 = (Math.atan(Math.sinh(Math.PI / 2)) * 180) / Math.PI; // 66.51326044311186
const LAT_Z3_ROW3 = (Math.atan(Math.sinh(Math.PI / 4)) * 180) / Math.PI; // 40.97989806962013
/** Row 0.5 and 3.5 at zoom 2: atan(sinh(0.75 pi)) = 79.17133°. */
const LAT_Z2_ROW_HALF = (Math.atan(Math.sinh(0.75 * Math.PI)) * 180) / Math.PI;

const polygon = (ring: [number, number][], ...holes: [number, number][][]): Polygon => ({
  type: "Polygon",
  coordinates: [ring, ...holes],
});

const keys = (runs: ReturnType<typeof tileRuns>) => [...tilesOf(runs)].map(tileKey).sort();

describe("tile coordinates", () => {
  it("puts Vallby, Västerås (59.6262 N, 16.5146 E) in tile 14/8943/4791", () => {
    // x = (16.5146 + 180) / 360 * 16384 = 8943.5978; y from the formula above = 4791.7413.
    expect(tileXOf(16.5146, 14)).toBeCloseTo(8943.5978, 3);
    expect(tileYOf(59.6262, 14)).toBeCloseTo(4791.7413, 3);
  });

  it("clamps latitudes beyond Web Mercator's edge to the first and last row", () => {
    expect(tileYOf(89, 3)).toBeCloseTo(0, 9);
    expect(tileYOf(-89, 3)).toBeCloseTo(8, 9);
  });
});

describe("tile ranges of a rectangle", () => {
  it("takes every tile the rectangle overlaps", () => {
    // [-10, -10, 10, 10] at zoom 1: columns 0 (x 0.944) to 1 (x 1.056), rows 0 to 1.
    expect(bboxTileRange([-10, -10, 10, 10], 1)).toEqual({ minX: 0, maxX: 1, minY: 0, maxY: 1 });
  });

  it("does not take the tile beyond an edge that lies exactly on a tile border", () => {
    // Longitudes 0..90 are column 2 at zoom 2; latitudes 0..66.51326 are row 1.
    expect(bboxTileRange([0, 0, 90, LAT_Z2_ROW1], 2)).toEqual({
      minX: 2,
      maxX: 2,
      minY: 1,
      maxY: 1,
    });
  });

  it("counts a neighbourhood of Västerås over zooms 14 to 16: 4 + 4 + 9 = 17 tiles", () => {
    // Zoom 14: x 8943.60..8944.05 (columns 8943, 8944), y 4791.74..4792.19 (rows 4791, 4792).
    // Zoom 15 doubles them: x 17887.20..17888.11 (2 columns), y 9583.48..9584.38 (2 rows).
    // Zoom 16: x 35774.39..35776.21 (3 columns), y 19166.97..19168.77 (3 rows).
    const plan = planTiles({ kind: "bbox", bbox: [16.5146, 59.6212, 16.5246, 59.6262] }, 14, 16);
    expect(plan.perZoom).toEqual([
      { z: 14, tiles: 4 },
      { z: 15, tiles: 4 },
      { z: 16, tiles: 9 },
    ]);
    expect(plan.tileCount).toBe(17);
    // Lowest zoom first: a download that stops early still has an overview.
    expect(plan.runs.map((run) => run.z)).toEqual([14, 14, 15, 15, 16, 16, 16]);
  });

  it("a tile-aligned 2 by 2 block at zoom 14 has 4, 16 and 64 tiles at zooms 14, 15, 16", () => {
    // Columns 8942-8943 (longitude 16.4794921875 to 16.5234375), rows 4792-4793 (latitude
    // 59.62332522313024 to 59.60109549032134): the area the end-to-end test saves.
    const bbox = [16.4794921875, 59.60109549032134, 16.5234375, 59.62332522313024] as const;
    const plan = planTiles({ kind: "bbox", bbox }, 14, 16);
    expect(plan.tileCount).toBe(84);
    expect(keys(tileRuns({ kind: "bbox", bbox }, 14))).toEqual(
      ["14/8942/4792", "14/8942/4793", "14/8943/4792", "14/8943/4793"].sort(),
    );
  });
});

describe("tiles of a polygon", () => {
  it("leaves out the tile an L-shaped outline does not reach", () => {
    // In tile units at zoom 3: (4,3) (6,3) (6,4) (5,4) (5,5) (4,5): tiles (4,3), (5,3), (4,4).
    // Longitudes: x 4 = 0°, 5 = 45°, 6 = 90°. Latitudes: y 3 = 40.9799°, 4 = 0°, 5 = -40.9799°.
    const shape = polygon([
      [0, LAT_Z3_ROW3],
      [90, LAT_Z3_ROW3],
      [90, 0],
      [45, 0],
      [45, -LAT_Z3_ROW3],
      [0, -LAT_Z3_ROW3],
      [0, LAT_Z3_ROW3],
    ]);
    expect(keys(tileRuns({ kind: "polygon", polygon: shape }, 3))).toEqual(
      ["3/4/3", "3/5/3", "3/4/4"].sort(),
    );
    // Each zoom-3 tile is 4 tiles at zoom 4: 3 + 12.
    expect(planTiles({ kind: "polygon", polygon: shape }, 3, 4).tileCount).toBe(15);
  });

  it("leaves out a tile that a hole covers entirely", () => {
    // Outer ring: tiles x 3..5, y 2..4 at zoom 3 (9 tiles); the hole is exactly tile (4, 3).
    // x 3 = -45°, 4 = 0°, 5 = 45°, 6 = 90°; y 2 = 66.51326°, 3 = 40.9799°, 4 = 0°, 5 = -40.9799°.
    const shape = polygon(
      [
        [-45, LAT_Z2_ROW1],
        [90, LAT_Z2_ROW1],
        [90, -LAT_Z3_ROW3],
        [-45, -LAT_Z3_ROW3],
        [-45, LAT_Z2_ROW1],
      ],
      [
        [0, LAT_Z3_ROW3],
        [0, 0],
        [45, 0],
        [45, LAT_Z3_ROW3],
        [0, LAT_Z3_ROW3],
      ],
    );
    const found = keys(tileRuns({ kind: "polygon", polygon: shape }, 3));
    expect(found).toHaveLength(8);
    expect(found).not.toContain("3/4/3");
  });

  it("takes tiles a diagonal edge cuts, not ones it only touches at a corner", () => {
    // Triangle (0.5, 0.5) (3.5, 0.5) (0.5, 3.5) in tile units at zoom 2: x + y <= 4 with
    // x, y >= 0.5. Tile (x, y) shares area with it when x + y < 4, i.e. x + y <= 3: 10 tiles.
    // Tile (2, 2) touches the edge at its corner (2, 2) only, and is out.
    const shape = polygon([
      [-135, LAT_Z2_ROW_HALF],
      [135, LAT_Z2_ROW_HALF],
      [-135, -LAT_Z2_ROW_HALF],
      [-135, LAT_Z2_ROW_HALF],
    ]);
    const expected: string[] = [];
    for (let x = 0; x < 4; x += 1) {
      for (let y = 0; x + y <= 3; y += 1) expected.push(`2/${x}/${y}`);
    }
    expect(keys(tileRuns({ kind: "polygon", polygon: shape }, 2))).toEqual(expected.sort());
  });

  it("gives a tile-aligned rectangle as a polygon the same tiles as the rectangle", () => {
    const bbox = [16.4794921875, 59.60109549032134, 16.5234375, 59.62332522313024] as const;
    const [west, south, east, north] = bbox;
    const shape = polygon([
      [west, south],
      [east, south],
      [east, north],
      [west, north],
      [west, south],
    ]);
    expect(planTiles({ kind: "polygon", polygon: shape }, 14, 16).tileCount).toBe(84);
  });
});

describe("size estimate and limits", () => {
  it("uses the assumed tile size when nothing of the source is stored", () => {
    expect(estimateSizeBytes(84)).toEqual({
      sizeBytes: 84 * ASSUMED_TILE_BYTES,
      meanTileBytes: ASSUMED_TILE_BYTES,
      measured: false,
    });
  });

  it("uses the mean of the source's stored tiles when there are some", () => {
    // 10 tiles of 150,000 bytes: 15,000 a tile; 84 tiles about 1,260,000 bytes.
    expect(estimateSizeBytes(84, { tiles: 10, bytes: 150_000 })).toEqual({
      sizeBytes: 1_260_000,
      meanTileBytes: 15_000,
      measured: true,
    });
  });

  it("refuses an area of too many tiles without listing them all", () => {
    // Sweden's extent at zoom 18 is millions of tiles.
    const shape = { kind: "bbox", bbox: [10.9, 55.3, 24.2, 69.1] } as const;
    const plan = planTiles(shape, 10, 18);
    expect(plan.tileCount).toBeGreaterThan(MAX_AREA_TILES);
    expect(areaProblem(shape, 10, 18, plan)).toBe("too_many_tiles");
  });

  it("refuses empty areas, ones across the date line, and bad zooms", () => {
    expect(areaProblem({ kind: "bbox", bbox: [16, 59, 16, 59.1] }, 12, 14)).toBe("empty_area");
    expect(areaProblem({ kind: "bbox", bbox: [179, 0, -179, 1] }, 5, 6)).toBe(
      "crosses_antimeridian",
    );
    expect(areaProblem({ kind: "bbox", bbox: [16, 59, 16.1, 59.1] }, 15, 12)).toBe("bad_zooms");
    expect(areaProblem({ kind: "bbox", bbox: [16, 86, 16.1, 87] }, 5, 6)).toBe(
      "outside_web_mercator",
    );
    expect(areaProblem({ kind: "bbox", bbox: [16, 59, 16.1, 59.1] }, 12, 14)).toBeNull();
  });
});

describe("tile addresses", () => {
  it("fills {z}, {x} and {y}", () => {
    expect(tileUrl("https://t.example/{z}/{x}/{y}.png?v={z}", { z: 14, x: 8942, y: 4792 })).toBe(
      "https://t.example/14/8942/4792.png?v=14",
    );
  });
});
