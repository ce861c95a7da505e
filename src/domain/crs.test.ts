import { describe, expect, test } from "vitest";
import { fromWgs84, normaliseCrsName, parseCrsName, SUPPORTED_CRS, toWgs84 } from "./crs";

describe("parseCrsName", () => {
  test.each([
    ["EPSG:3006", "EPSG:3006"],
    ["epsg:3006", "EPSG:3006"],
    ["EPSG::3006", "EPSG:3006"],
    ["3006", "EPSG:3006"],
    ["urn:ogc:def:crs:EPSG::3006", "EPSG:3006"],
    ["urn:ogc:def:crs:EPSG:6.6:3011", "EPSG:3011"],
    ["urn:x-ogc:def:crs:EPSG:3021", "EPSG:3021"],
    ["http://www.opengis.net/def/crs/EPSG/0/3006", "EPSG:3006"],
    ["https://www.opengis.net/def/crs/EPSG/0/3018", "EPSG:3018"],
    ["http://www.opengis.net/gml/srs/epsg.xml#3007", "EPSG:3007"],
    ["EPSG:4326", "EPSG:4326"],
    ["urn:ogc:def:crs:OGC:1.3:CRS84", "EPSG:4326"],
    ["urn:ogc:def:crs:OGC::CRS84", "EPSG:4326"],
    ["http://www.opengis.net/def/crs/OGC/1.3/CRS84", "EPSG:4326"],
    ["CRS84", "EPSG:4326"],
    ["SWEREF99 TM", "EPSG:3006"],
    ["SWEREF 99 18 00", "EPSG:3011"],
    ["RT90 2.5 gon V", "EPSG:3021"],
    ["EPSG:2154", null],
    ["EPSG:3857", null],
    ["urn:ogc:def:crs:EPSG::3019", null],
    ["", null],
    ["not a crs", null],
  ])("%j -> %j", (name, expected) => {
    expect(parseCrsName(name)).toBe(expected);
  });

  test("normaliseCrsName names unsupported EPSG codes too (for messages)", () => {
    expect(normaliseCrsName("urn:ogc:def:crs:EPSG::2154")).toBe("EPSG:2154");
    expect(normaliseCrsName("Lambert 93")).toBeNull();
  });

  test("SUPPORTED_CRS: WGS 84, SWEREF 99 TM, the 12 local zones and RT 90", () => {
    expect(SUPPORTED_CRS.map((definition) => definition.code)).toEqual([
      "EPSG:4326",
      "EPSG:3006",
      ...Array.from({ length: 12 }, (_, index) => `EPSG:${3007 + index}`),
      "EPSG:3021",
    ]);
    for (const definition of SUPPORTED_CRS)
      expect(parseCrsName(definition.code)).toBe(definition.code);
  });
});

describe("SWEREF 99 TM", () => {
  // The known pair from issue 3: WGS84 lat 59.3293, lon 18.0686 is N 6580743.0, E 674571.9.
  test("the known pair, within 0.1 m, [easting, northing] order", () => {
    const [easting, northing] = fromWgs84("EPSG:3006")(18.0686, 59.3293);
    expect(Math.abs(easting - 674571.9)).toBeLessThan(0.1);
    expect(Math.abs(northing - 6580743.0)).toBeLessThan(0.1);
  });

  test("a position array works as well as (x, y)", () => {
    expect(fromWgs84("EPSG:3006")([18.0686, 59.3293, 12])).toEqual(
      fromWgs84("EPSG:3006")(18.0686, 59.3293),
    );
  });

  test("round trip 4326 -> 3006 -> 4326 within 1e-9 degrees", () => {
    const forward = fromWgs84("EPSG:3006");
    const back = toWgs84("EPSG:3006");
    for (const [lon, lat] of [
      [18.0686, 59.3293],
      [11.2, 58.9],
      [24.1, 65.8],
      [13.0, 55.35],
      [20.2, 68.4],
    ] as const) {
      const [x, y] = forward(lon, lat);
      const [lon2, lat2] = back(x, y);
      expect(Math.abs(lon2 - lon)).toBeLessThan(1e-9);
      expect(Math.abs(lat2 - lat)).toBeLessThan(1e-9);
    }
  });

  test("WGS 84 is the identity", () => {
    expect(toWgs84("EPSG:4326")(18.0686, 59.3293)).toEqual([18.0686, 59.3293]);
    expect(fromWgs84("EPSG:4326")(18.0686, 59.3293)).toEqual([18.0686, 59.3293]);
  });

  test("an unsupported code is a programmer error", () => {
    expect(() => toWgs84("EPSG:2154")).toThrow(/Unsupported CRS "EPSG:2154"/);
    expect(() => fromWgs84("3006")).toThrow(/Unsupported CRS/);
  });
});

/**
 * Reference values from GDAL 3.6.2 / PROJ (an independent implementation), obtained with
 *   echo "LON LAT" | gdaltransform -output_xy -s_srs EPSG:4326 -t_srs EPSG:N
 * and, for the inverse row, -s_srs EPSG:N -t_srs EPSG:4326.
 */
const GDAL_FORWARD: readonly [string, number, number, number, number, number][] = [
  // [crs, lon, lat, easting, northing, tolerance in metres]
  ["EPSG:3006", 18.0686, 59.3293, 674571.866449145, 6580743.00833094, 0.01],
  ["EPSG:3007", 11.9746, 57.7089, 148485.855902398, 6398861.67020712, 0.01],
  ["EPSG:3008", 13.0038, 55.605, 118725.829939074, 6164696.15715558, 0.01],
  ["EPSG:3009", 14.8059, 56.8777, 138165.460649598, 6306311.49596167, 0.01],
  ["EPSG:3010", 16.3616, 56.6634, 141513.344166037, 6282439.73197661, 0.01],
  ["EPSG:3011", 18.0686, 59.3293, 153905.092803801, 6579354.44831883, 0.01],
  ["EPSG:3012", 14.5373, 61.007, 165541.623055138, 6766307.63375443, 0.01],
  ["EPSG:3013", 15.6355, 60.6065, 143728.206403344, 6721652.94487087, 0.01],
  ["EPSG:3014", 17.3069, 62.3908, 152943.20051019, 6920486.38461386, 0.01],
  ["EPSG:3015", 18.2948, 57.6348, 122809.349235783, 6390699.96542412, 0.01],
  ["EPSG:3016", 20.263, 63.8258, 150640.069836856, 7080435.05119127, 0.01],
  ["EPSG:3017", 22.1547, 65.5848, 168673.44500509, 7276602.60638788, 0.01],
  ["EPSG:3018", 24.1365, 65.8355, 190509.321670988, 7304782.33783108, 0.01],
  // RT 90: a Helmert datum shift; 1 m is acceptable, proj4js agrees with GDAL to < 1 mm.
  ["EPSG:3021", 18.0686, 59.3293, 1628832.57328629, 6580908.59812137, 0.01],
  ["EPSG:3021", 13.0038, 55.605, 1323454.84200874, 6167516.42913435, 0.01],
  ["EPSG:3021", 20.263, 67.8558, 1687475.88982543, 7535929.27365683, 0.01],
];

describe("every CRS against GDAL's gdaltransform", () => {
  test.each(GDAL_FORWARD)("%s: %f, %f", (crs, lon, lat, easting, northing, tolerance) => {
    const [x, y] = fromWgs84(crs)(lon, lat);
    expect(Math.abs(x - easting)).toBeLessThan(tolerance);
    expect(Math.abs(y - northing)).toBeLessThan(tolerance);
    // And back: within about 1 mm (1e-8°) for SWEREF 99; RT 90's Helmert shift is inverted
    // approximately (as in PROJ: gdaltransform's own inverse is 4e-8° off), so 1e-7° (~1 cm).
    const backTolerance = crs === "EPSG:3021" ? 1e-7 : 1e-8;
    const [lon2, lat2] = toWgs84(crs)(easting, northing);
    expect(Math.abs(lon2 - lon)).toBeLessThan(backTolerance);
    expect(Math.abs(lat2 - lat)).toBeLessThan(backTolerance);
  });

  test("inverse, SWEREF 99 TM: gdaltransform -s_srs EPSG:3006 -t_srs EPSG:4326", () => {
    // gdaltransform: 674571.9 6580743.0 -> 18.0686005820302 59.3292999114214
    const [lon, lat] = toWgs84("EPSG:3006")(674571.9, 6580743.0);
    expect(Math.abs(lon - 18.0686005820302)).toBeLessThan(1e-9);
    expect(Math.abs(lat - 59.3292999114214)).toBeLessThan(1e-9);
  });

  test("inverse, RT 90: gdaltransform -s_srs EPSG:3021 -t_srs EPSG:4326", () => {
    // gdaltransform: 1628832.573 6580908.598 -> 18.0686000404264 59.3292999696441
    const [lon, lat] = toWgs84("EPSG:3021")(1628832.573, 6580908.598);
    expect(Math.abs(lon - 18.0686000404264)).toBeLessThan(1e-8);
    expect(Math.abs(lat - 59.3292999696441)).toBeLessThan(1e-8);
  });
});

test("input far outside a projection's domain gives non-finite numbers, never a throw", () => {
  const [lon, lat] = toWgs84("EPSG:3006")(1e300, -1e300);
  expect(Number.isFinite(lon) && Number.isFinite(lat) && Math.abs(lat) <= 90).toBe(false);
});
