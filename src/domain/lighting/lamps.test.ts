/**
 * The lamp table's nearest-lamp distance (through a grid of the lamps) against every lamp
 * measured one by one, and against the point index (Flatbush) it replaced for gap reasons.
 */
import { describe, expect, it } from "vitest";
import { mulberry32 } from "../ids";
import { lampColumnsOf } from "./columns";
import { LampTable } from "./lamps";
import { IDENTITY } from "./lighting.fixtures";
import { DEFAULT_DISTRIBUTION, LAMP_DEFAULTS } from "./photometry";

describe("nearestDistanceM", () => {
  it("is the smallest distance to an accepted lamp within the limit, as one by one", () => {
    const random = mulberry32(5);
    const lamps = Array.from({ length: 3000 }, (_, i) => ({
      id: `l${i}`,
      // Clustered, with repeated positions, over 4 km: cells with many lamps and empty ones.
      position: [
        Math.round(random() * 40) * 100 + random() * (random() < 0.3 ? 0 : 30),
        Math.round(random() * 40) * 100 + random() * 30,
      ],
    }));
    const table = new LampTable(IDENTITY, {
      radiusM: 20,
      distribution: DEFAULT_DISTRIBUTION,
      defaults: LAMP_DEFAULTS,
    });
    table.addInventory(lampColumnsOf(lamps));
    for (let q = 0; q < 400; q++) {
      const x = random() * 4400 - 200;
      const y = random() * 4400 - 200;
      const maxM = random() < 0.2 ? 5 : 500 * random();
      const accept = (i: number) => i % 3 !== 0;
      let best: number | null = null;
      for (let i = 0; i < lamps.length; i++) {
        const [lx, ly] = lamps[i]!.position as [number, number];
        const d2 = (x - lx) ** 2 + (y - ly) ** 2;
        if (d2 <= maxM * maxM && accept(i)) {
          const d = Math.hypot(lx - x, ly - y);
          if (best === null || d < best) best = d;
        }
      }
      const viaIndex = table.nearest(x, y, maxM, accept);
      const indexDistance =
        viaIndex < 0
          ? null
          : Math.hypot(table.xy[2 * viaIndex]! - x, table.xy[2 * viaIndex + 1]! - y);
      const found = table.nearestDistanceM(x, y, maxM, accept);
      expect(found).toBe(best);
      expect(found).toBe(indexDistance);
    }
  });
});
