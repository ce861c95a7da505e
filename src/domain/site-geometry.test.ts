import { describe, expect, it } from "vitest";
import { at, lineThrough, rectangle } from "../../test/fixtures/sites";
import { distanceM } from "./geometry";
import { mercatorScale, placeDistanceM, planarShape } from "./site-geometry";

const shape = planarShape;
const point = (east: number, north: number) =>
  planarShape({ type: "Point", coordinates: at(east, north) });
const scale = mercatorScale(at(0, 0)[1]);

describe("placeDistanceM", () => {
  it.each([
    ["Västerås", [16.5346, 59.6105]],
    ["Malmö", [13.0038, 55.605]],
    ["Kiruna", [20.2253, 67.8558]],
  ])("agrees with haversine to 1 cm over 40 m in %s", (_, origin) => {
    const [lon, lat] = origin as [number, number];
    const a: [number, number] = [lon, lat];
    const b: [number, number] = [lon + 0.0003, lat + 0.0002];
    const pair = (mercatorScale(a[1]) + mercatorScale(b[1])) / 2;
    const projected = placeDistanceM(
      planarShape({ type: "Point", coordinates: a }),
      planarShape({ type: "Point", coordinates: b }),
      pair,
    );
    expect(Math.abs(projected - distanceM(a, b))).toBeLessThan(0.01);
  });

  it("measures a point to a line and to a polygon (0 inside)", () => {
    expect(placeDistanceM(point(50, 10), shape(lineThrough([0, 0], [100, 0])), scale)).toBeCloseTo(
      10,
      1,
    );
    expect(placeDistanceM(point(-30, 40), shape(lineThrough([0, 0], [100, 0])), scale)).toBeCloseTo(
      50,
      1,
    );
    expect(placeDistanceM(point(50, 50), shape(rectangle(0, 0, 100, 100)), scale)).toBe(0);
    expect(placeDistanceM(point(120, 50), shape(rectangle(0, 0, 100, 100)), scale)).toBeCloseTo(
      20,
      1,
    );
  });

  it("measures a point in a polygon's hole to the hole's edge", () => {
    const withHole = rectangle(0, 0, 100, 100);
    withHole.coordinates.push(rectangle(30, 30, 70, 70).coordinates[0]!.slice().reverse());
    expect(placeDistanceM(point(50, 50), shape(withHole), scale)).toBeCloseTo(20, 1);
  });

  it("gives the distance within which half of the shorter line runs along the other", () => {
    const street = shape(lineThrough([0, 0], [200, 0]));
    // 6 m beside the street all along: 6 m.
    expect(placeDistanceM(shape(lineThrough([20, 6], [80, 6])), street, scale)).toBeCloseTo(6, 1);
    // Half of this 100 m line is on the street, half leaves it at right angles: the lower
    // median of its samples is the last one on the street, 0 m.
    expect(
      placeDistanceM(shape(lineThrough([100, 50], [100, 0], [150, 0])), street, scale),
    ).toBeCloseTo(0, 1);
    // A crossing street: the middle half of the shorter one is within 50 m.
    expect(placeDistanceM(shape(lineThrough([100, -100], [100, 100])), street, scale)).toBeCloseTo(
      50,
      0,
    );
  });

  it("takes the share of a line inside a polygon or near it", () => {
    const square = shape(rectangle(0, 0, 60, 100));
    expect(placeDistanceM(shape(lineThrough([0, 50], [100, 50])), square, scale)).toBe(0);
    // 40 of 100 m inside, the rest 0-60 m outside: the lower median lies 10 m outside.
    expect(placeDistanceM(shape(lineThrough([20, 50], [120, 50])), square, scale)).toBeCloseTo(
      10,
      0,
    );
  });

  it("joins polygons that intersect or contain one another, never polygons apart", () => {
    const a = shape(rectangle(0, 0, 40, 40));
    expect(placeDistanceM(a, shape(rectangle(30, 10, 70, 30)), scale)).toBe(0);
    expect(placeDistanceM(a, shape(rectangle(10, 10, 20, 20)), scale)).toBe(0);
    expect(placeDistanceM(shape(rectangle(10, 10, 20, 20)), a, scale)).toBe(0);
    expect(placeDistanceM(a, shape(rectangle(41, 0, 80, 40)), scale)).toBe(Infinity);
  });
});
