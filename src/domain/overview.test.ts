import { describe, expect, it } from "vitest";
import { mulberry32 } from "./ids";
import { groupOnGrid, type OverviewPoint, worldPixel } from "./overview";

const point = (id: string, lon: number, lat: number, severity = 3): OverviewPoint => ({
  id,
  lon,
  lat,
  severity,
  group: "lighting",
});

describe("worldPixel", () => {
  it("puts 0,0 in the middle of the world and doubles per zoom", () => {
    expect(worldPixel(0, 0, 0)).toEqual([256, 256]);
    const [x1, y1] = worldPixel(16.5, 59.6, 14);
    const [x2, y2] = worldPixel(16.5, 59.6, 15);
    expect(x2).toBeCloseTo(x1 * 2, 6);
    expect(y2).toBeCloseTo(y1 * 2, 6);
    // North is up: a higher latitude has a smaller y.
    expect(worldPixel(16.5, 59.7, 14)[1]).toBeLessThan(y1);
  });
});

describe("groupOnGrid", () => {
  it("keeps lone points as themselves", () => {
    const features = groupOnGrid([point("a", 16.5, 59.6), point("b", 16.6, 59.6)], 14, 30);
    expect(features.map((feature) => feature.properties)).toEqual([
      { id: "a", severity: 3, group: "lighting" },
      { id: "b", severity: 3, group: "lighting" },
    ]);
  });

  it("groups points a few metres apart, at their mean, with the highest severity", () => {
    // About 10 m apart: far less than a 30 px cell at zoom 13 (about 19 m per px).
    const features = groupOnGrid(
      [point("b", 16.50001, 59.60001, 2), point("a", 16.50011, 59.60005, 5)],
      13,
      30,
    );
    expect(features).toHaveLength(1);
    expect(features[0]!.properties).toEqual({
      cluster: true,
      pointCount: 2,
      maxSeverity: 5,
      firstId: "a",
    });
    expect(features[0]!.geometry.coordinates[0]).toBeCloseTo(16.50006, 8);
  });

  it("separates the same points when zoomed in", () => {
    const points = [point("a", 16.5, 59.6), point("b", 16.5005, 59.6)]; // about 28 m apart
    expect(groupOnGrid(points, 12, 30)).toHaveLength(1);
    expect(groupOnGrid(points, 19, 30)).toHaveLength(2);
  });

  it("never loses an observation: counts add up (seeded)", () => {
    const random = mulberry32(11);
    const points = Array.from({ length: 5000 }, (_, index) =>
      point(
        `p${index}`,
        16.5 + random() * 0.02,
        59.6 + random() * 0.01,
        1 + Math.floor(random() * 5),
      ),
    );
    for (const zoom of [10, 13, 14]) {
      const features = groupOnGrid(points, zoom, 30);
      const total = features.reduce(
        (sum, feature) => sum + ((feature.properties?.pointCount as number | undefined) ?? 1),
        0,
      );
      expect(total).toBe(5000);
    }
  });
});
