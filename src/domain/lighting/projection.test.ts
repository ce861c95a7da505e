/**
 * The local projection keeps lengths within 0.1 % of geodesic lengths over a municipality's
 * extent. The reference is an independent Vincenty inverse (Vincenty 1975, Survey Review
 * 23(176)), written here and checked against the published Flinders Peak – Buninyong
 * distance; the projection's formulas are also checked against proj4's `etmerc`.
 */
import proj4 from "proj4";
import { describe, expect, it } from "vitest";
import { mulberry32 } from "../ids";
import { CLASSES } from "./lighting.fixtures";
import { createLightingModel } from "./model";
import { createLocalProjection } from "./projection";

const A = 6_378_137;
const F = 1 / 298.257223563;
const B = A * (1 - F);
const RAD = Math.PI / 180;

/** Geodesic distance on the WGS 84 ellipsoid, metres (Vincenty's inverse formula). */
function vincentyM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const L = (lon2 - lon1) * RAD;
  const U1 = Math.atan((1 - F) * Math.tan(lat1 * RAD));
  const U2 = Math.atan((1 - F) * Math.tan(lat2 * RAD));
  const sinU1 = Math.sin(U1);
  const cosU1 = Math.cos(U1);
  const sinU2 = Math.sin(U2);
  const cosU2 = Math.cos(U2);
  let lambda = L;
  let previous: number;
  let iterations = 0;
  let sinSigma: number;
  let cosSigma: number;
  let sigma: number;
  let cos2Alpha: number;
  let cos2SigmaM: number;
  do {
    const sinLambda = Math.sin(lambda);
    const cosLambda = Math.cos(lambda);
    sinSigma = Math.sqrt(
      (cosU2 * sinLambda) ** 2 + (cosU1 * sinU2 - sinU1 * cosU2 * cosLambda) ** 2,
    );
    if (sinSigma === 0) return 0;
    cosSigma = sinU1 * sinU2 + cosU1 * cosU2 * cosLambda;
    sigma = Math.atan2(sinSigma, cosSigma);
    const sinAlpha = (cosU1 * cosU2 * sinLambda) / sinSigma;
    cos2Alpha = 1 - sinAlpha * sinAlpha;
    cos2SigmaM = cos2Alpha === 0 ? 0 : cosSigma - (2 * sinU1 * sinU2) / cos2Alpha;
    const C = (F / 16) * cos2Alpha * (4 + F * (4 - 3 * cos2Alpha));
    previous = lambda;
    lambda =
      L +
      (1 - C) *
        F *
        sinAlpha *
        (sigma + C * sinSigma * (cos2SigmaM + C * cosSigma * (-1 + 2 * cos2SigmaM ** 2)));
  } while (Math.abs(lambda - previous) > 1e-13 && ++iterations < 200);
  const u2 = (cos2Alpha * (A * A - B * B)) / (B * B);
  const bigA = 1 + (u2 / 16384) * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)));
  const bigB = (u2 / 1024) * (256 + u2 * (-128 + u2 * (74 - 47 * u2)));
  const deltaSigma =
    bigB *
    sinSigma *
    (cos2SigmaM +
      (bigB / 4) *
        (cosSigma * (-1 + 2 * cos2SigmaM ** 2) -
          (bigB / 6) * cos2SigmaM * (-3 + 4 * sinSigma ** 2) * (-3 + 4 * cos2SigmaM ** 2)));
  return B * bigA * (sigma - deltaSigma);
}

const dms = (d: number, m: number, s: number) => Math.sign(d) * (Math.abs(d) + m / 60 + s / 3600);

describe("the Vincenty reference", () => {
  it("gives the published Flinders Peak – Buninyong distance, 54,972.271 m", () => {
    // Geoscience Australia's worked example (GRS 80; WGS 84 differs by far less than 1 mm here).
    const distance = vincentyM(
      dms(144, 25, 29.5244),
      -dms(37, 57, 3.7203),
      dms(143, 55, 35.3839),
      -dms(37, 39, 10.1561),
    );
    expect(Math.abs(distance - 54_972.271)).toBeLessThan(0.001);
  });
});

/** Random segments 10-500 m long across a box, projected length / geodesic length − 1. */
function worstSegmentError(bbox: [number, number, number, number], seed: number): number {
  const projection = createLocalProjection(bbox);
  const random = mulberry32(seed);
  let worst = 0;
  for (let k = 0; k < 2000; k++) {
    const lon = bbox[0] + random() * (bbox[2] - bbox[0]);
    const lat = bbox[1] + random() * (bbox[3] - bbox[1]);
    const lengthM = 10 + random() * 490;
    const bearing = random() * 2 * Math.PI;
    const lon2 = lon + (lengthM * Math.sin(bearing)) / (111_320 * Math.cos(lat * RAD));
    const lat2 = lat + (lengthM * Math.cos(bearing)) / 111_320;
    const [x1, y1] = projection.forward(lon, lat);
    const [x2, y2] = projection.forward(lon2, lat2);
    const projected = Math.hypot(x2 - x1, y2 - y1);
    const geodesic = vincentyM(lon, lat, lon2, lat2);
    worst = Math.max(worst, Math.abs(projected / geodesic - 1));
  }
  return worst;
}

describe("lengths in the local projection", () => {
  it("are within 0.01 % of geodesic lengths over 100 km × 100 km around Västerås", () => {
    // ±50 km around the middle: the scale error at the edge is 50² / (2 · 6371²) = 3.1e-5.
    const bbox: [number, number, number, number] = [15.66, 59.16, 17.42, 60.06];
    const worst = worstSegmentError(bbox, 1);
    expect(worst).toBeLessThan(1e-4);
    expect(createLocalProjection(bbox).maxScaleError).toBeGreaterThan(worst * 0.5);
  });

  it("are within 0.1 % over the widest Swedish municipality (Kiruna, 230 km across)", () => {
    const worst = worstSegmentError([17.9, 67.2, 23.6, 69.1], 2);
    expect(worst).toBeLessThan(1e-3);
  });

  it("a 60 km path across the area: its length within 0.01 % of the geodesic length", () => {
    const coordinates: [number, number][] = [];
    for (let k = 0; k <= 600; k++) {
      // 100 m steps, east-north-east with a wiggle.
      coordinates.push([15.9 + k * 0.0016, 59.3 + k * 0.0004 + 0.0002 * Math.sin(k / 7)]);
    }
    let geodesic = 0;
    for (let k = 1; k < coordinates.length; k++) {
      geodesic += vincentyM(...coordinates[k - 1]!, ...coordinates[k]!);
    }
    const model = createLightingModel(
      { paths: [{ id: "long", coordinates, pathClass: null, lit: "unknown" }], lamps: [] },
      { classes: CLASSES },
    );
    expect(Math.abs(model.pathLengthM(0) / geodesic - 1)).toBeLessThan(1e-4);
  });
});

describe("the projection's formulas", () => {
  it("agree with proj4's etmerc within a millimetre, up to 200 km from the central meridian", () => {
    const projection = createLocalProjection([14.5, 59, 18.5, 60]);
    const reference = proj4(
      "+proj=longlat +datum=WGS84 +no_defs",
      `+proj=etmerc +lat_0=${projection.centreLat} +lon_0=${projection.centreLon} +k=1 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs`,
    );
    const random = mulberry32(3);
    for (let k = 0; k < 500; k++) {
      const lon = 13 + random() * 7;
      const lat = 58 + random() * 3;
      const [x, y] = projection.forward(lon, lat);
      const [rx, ry] = reference.forward([lon, lat]) as [number, number];
      expect(Math.hypot(x - rx, y - ry)).toBeLessThan(0.001);
    }
  });

  it("refuse data spanning too much of the globe", () => {
    expect(() => createLocalProjection([0, 50, 70, 60])).toThrow("analyse one region at a time");
  });
});
