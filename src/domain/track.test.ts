import { describe, expect, it } from "vitest";
import { testContext } from "../../test/fixtures/context";
import { distanceM } from "./geometry";
import { mulberry32 } from "./ids";
import { tombstoneRecord } from "./record";
import {
  createTrack,
  createTrackChunk,
  EMPTY_TRACK_CHUNK_FIELDS,
  type Fix,
  filterFix,
  filterFixes,
  INITIAL_TRACK_FILTER,
  trackPoints,
} from "./track";

/** Metres to degrees at latitude 59.6 (Västerås), for building walks. */
const M_PER_DEG_LAT = 111_320;
const M_PER_DEG_LON = 111_320 * Math.cos((59.6 * Math.PI) / 180);

function walkEast(count: number, speedMps = 1.4, accuracyM = 5): Fix[] {
  return Array.from({ length: count }, (_, index) => ({
    lon: 16.55 + (index * speedMps) / M_PER_DEG_LON,
    lat: 59.6,
    accuracyM,
    timeMs: 1_800_000_000_000 + index * 1000,
  }));
}

describe("track filtering", () => {
  it("keeps a clean walk", () => {
    const walk = walkEast(30);
    expect(filterFixes(walk)).toEqual(walk);
  });

  it("drops fixes with poor accuracy", () => {
    const walk = walkEast(10);
    walk[4] = { ...walk[4]!, accuracyM: 65 };
    const kept = filterFixes(walk);
    expect(kept).toHaveLength(9);
    expect(kept).not.toContainEqual(walk[4]);
    expect(filterFix(INITIAL_TRACK_FILTER, { ...walk[0]!, accuracyM: 31 }).rejected).toBe(
      "poor_accuracy",
    );
  });

  it("drops a single implausible jump and keeps walking", () => {
    const walk = walkEast(20);
    walk[10] = { ...walk[10]!, lat: walk[10]!.lat + 300 / M_PER_DEG_LAT }; // 300 m north in 1 s
    const kept = filterFixes(walk);
    expect(kept).toHaveLength(19);
    expect(kept).not.toContainEqual(walk[10]);
    for (let i = 1; i < kept.length; i++) {
      expect(
        distanceM([kept[i - 1]!.lon, kept[i - 1]!.lat], [kept[i]!.lon, kept[i]!.lat]),
      ).toBeLessThan(10);
    }
  });

  it("recovers when the first fix was the outlier", () => {
    const walk = walkEast(10);
    const outlier = { ...walk[0]!, lat: walk[0]!.lat + 500 / M_PER_DEG_LAT };
    const kept = filterFixes([outlier, ...walk.slice(1)]);
    // The outlier anchor is followed by three consistent fixes, then the track continues.
    expect(kept.slice(1)).toEqual(walk.slice(1));
  });

  it("drops fixes that are not newer than the last kept one", () => {
    const walk = walkEast(3);
    expect(filterFixes([walk[0]!, walk[1]!, walk[1]!, { ...walk[0]! }, walk[2]!])).toEqual(walk);
  });

  it("keeps a noisy but plausible walk (seeded)", () => {
    const random = mulberry32(7);
    const walk = walkEast(100).map((fix) => ({
      ...fix,
      lat: fix.lat + ((random() - 0.5) * 6) / M_PER_DEG_LAT, // ±3 m noise
      accuracyM: 4 + random() * 8,
    }));
    expect(filterFixes(walk)).toHaveLength(100);
  });

  it("refuses broken fixes", () => {
    expect(
      filterFix(INITIAL_TRACK_FILTER, { lon: Number.NaN, lat: 59, accuracyM: 5, timeMs: 1 })
        .rejected,
    ).toBe("invalid");
    expect(
      filterFix(INITIAL_TRACK_FILTER, { lon: 200, lat: 59, accuracyM: 5, timeMs: 1 }).rejected,
    ).toBe("invalid");
  });
});

describe("track chunks", () => {
  it("assemble in time order and vanish when tombstoned", () => {
    const ctx = testContext();
    const track = createTrack("p", "w", 1, ctx);
    const first = createTrackChunk(
      track,
      0,
      [
        [16, 59, 5, 1],
        [16.001, 59, 5, 2],
      ],
      ctx,
    );
    const second = createTrackChunk(track, 1, [[16.002, 59, 5, 3]], ctx);
    expect(trackPoints([second, first], track.id).map((point) => point[3])).toEqual([1, 2, 3]);
    const deleted = tombstoneRecord(first, EMPTY_TRACK_CHUNK_FIELDS, ctx);
    expect(deleted.fields.points).toEqual([]);
    expect(trackPoints([deleted, second], track.id)).toHaveLength(1);
  });

  it("refuses an empty chunk", () => {
    const ctx = testContext();
    expect(() => createTrackChunk(createTrack("p", "w", 1, ctx), 0, [], ctx)).toThrow(
      /at least one point/,
    );
  });
});
