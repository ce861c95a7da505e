import type { Polygon } from "geojson";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { CSV_BOM, cellText, guardFormula, representativePoint, toCsvText, toWkt } from "./csv";
import { exportFixture, LABELS, PHOTO_A, PHOTO_B } from "./export.fixtures";
import { type ExportFeature, layerFeatures, observationFeatures } from "./geojson";
import { exportFeatures } from "./index";
import { toSweref99Tm } from "./sweref";

/** Keeps the byte order mark (TextDecoder drops it by default). */
const decode = (bytes: Uint8Array) => new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);

function rows(text: string): Record<string, string>[] {
  expect(text.startsWith(CSV_BOM)).toBe(true);
  const parsed = Papa.parse<Record<string, string>>(text.slice(1), {
    header: true,
    skipEmptyLines: true,
  });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

function observationRows() {
  const fixture = exportFixture();
  const features = observationFeatures(fixture.observations, {
    checklist: LABELS.checklist,
    groups: LABELS.groups,
    walks: fixture.walks,
  });
  const file = exportFeatures(features, { format: "csv", kind: "observations" });
  const text = decode(file.bytes);
  return { fixture, features, file, text, rows: rows(text) };
}

/** A U-shaped polygon: its centroid lies in the gap, outside the polygon. */
const U_SHAPE: Polygon = {
  type: "Polygon",
  coordinates: [
    [
      [0, 0],
      [3, 0],
      [3, 3],
      [2, 3],
      [2, 1],
      [1, 1],
      [1, 3],
      [0, 3],
      [0, 0],
    ],
  ],
};

describe("CSV export", () => {
  it("is UTF-8 with a byte order mark, comma-separated, CRLF, with a header row", () => {
    const { file, text } = observationRows();
    expect(file.fileName).toBe("observations.csv");
    expect(file.mimeType).toBe("text/csv;charset=utf-8");
    expect([...file.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const header = text.slice(1).split("\r\n")[0]!;
    expect(header.split(",").slice(0, 3)).toEqual(["id", "walk_id", "walk_name"]);
    expect(header.endsWith(",lon,lat,wkt")).toBe(true);
    expect(text.endsWith("\r\n")).toBe(true);
    const noBom = exportFeatures([], { format: "csv", kind: "observations", bom: false });
    expect(noBom.bytes[0]).not.toBe(0xef);
  });

  it("has one row per feature with the GeoJSON columns; lists joined with ';'", () => {
    const { fixture, features, rows: parsed } = observationRows();
    expect(parsed.map((row) => row.id)).toEqual(features.map((feature) => feature.id));
    const point = parsed.find((row) => row.id === fixture.ids.point)!;
    expect(point.felt_unsafe).toBe("women;elderly");
    expect(point.felt_unsafe_label_sv).toBe("Kvinnor;Äldre");
    expect(point.photo_files).toBe(`photos/${PHOTO_A}.jpg;photos/${PHOTO_B}.jpg`);
    expect(point.note).toBe("Lampan vid gångtunneln är trasig, ”mörkt” här; ring 1, 2");
    expect(point.severity).toBe("4");
    expect(point.illuminance_lux).toBe("0.8");
    expect(point.length_m).toBe("");
    expect(point.walk_name).toBe("Vivalla kväll – åäö");
    expect(point.lon).toBe("15.1612346");
    expect(point.lat).toBe("59.3054321");
    expect(point.wkt).toBe("POINT (15.1612346 59.3054321)");
    for (const feature of features) {
      const row = parsed.find((candidate) => candidate.id === feature.id)!;
      expect(Object.keys(row)).toEqual([...Object.keys(feature.properties), "lon", "lat", "wkt"]);
    }
  });

  it("guards text that a spreadsheet would run as a formula, and leaves numbers alone", () => {
    const { fixture, rows: parsed } = observationRows();
    const note = (id: string) => parsed.find((row) => row.id === id)!.note;
    expect(note(fixture.ids.line)).toBe(`'=HYPERLINK("http://example.invalid","klicka")`);
    expect(note(fixture.ids.polygon)).toBe("'+46 70 123 45 67");
    expect(note(fixture.ids.unknownCategory)).toBe("'@kommun -5 grader");
    expect(guardFormula("-1+2")).toBe("'-1+2");
    expect(guardFormula("\t=1")).toBe("'\t=1");
    expect(guardFormula("\r=1")).toBe("'\r=1");
    expect(guardFormula("Ånäs = fint")).toBe("Ånäs = fint");
    expect(cellText(-5)).toBe("-5");
    expect(cellText(["=A1", "b"])).toBe("'=A1;b");
    expect(cellText(1e-7)).toBe("0.0000001");
    expect(cellText(true)).toBe("true");
    expect(cellText(null)).toBe("");
    expect(cellText({ a: 1 })).toBe('{"a":1}');
    const [lamp] = layerFeatures(
      { role: "lamps", name: "Belysning", features: fixture.layers[1]!.features },
      LABELS.pathClasses,
    );
    const lampRow = rows(toCsvText([lamp!]))[0]!;
    expect(lampRow.ref).toBe("'=A1");
    expect(lampRow.source_STOLPNR).toBe("'=A1");
    expect(lampRow.pole_height_m).toBe("6");
  });

  it("writes the geometry as WKT and a representative point on it", () => {
    const { fixture, rows: parsed } = observationRows();
    const line = parsed.find((row) => row.id === fixture.ids.line)!;
    expect(line.wkt).toBe("LINESTRING (15.155 59.303, 15.1555 59.3033, 15.1561235 59.3035123)");
    const polygon = parsed.find((row) => row.id === fixture.ids.polygon)!;
    // Rewound like the GeoJSON: exterior counter-clockwise.
    expect(polygon.wkt).toBe(
      "POLYGON ((15.16 59.305, 15.162 59.305, 15.162 59.306, 15.16 59.306, 15.16 59.305), " +
        "(15.1605 59.3053, 15.1605 59.3057, 15.1615 59.3057, 15.1615 59.3053, 15.1605 59.3053))",
    );
    // The centroid (15.161, 59.3055) is in the hole: the point is moved into the polygon.
    const lon = Number(polygon.lon);
    const lat = Number(polygon.lat);
    expect(lon < 15.1605 || lon > 15.1615 || lat < 59.3053 || lat > 59.3057).toBe(true);
    expect(lon > 15.16 && lon < 15.162 && lat > 59.305 && lat < 59.306).toBe(true);
  });

  it("finds a point inside a polygon whose centroid lies outside, and the middle of a line", () => {
    const point = representativePoint(U_SHAPE, false)!;
    expect(point[1]).toBeGreaterThan(0);
    const inLeftArm = point[0]! > 0 && point[0]! < 1 && point[1]! < 3;
    const inRightArm = point[0]! > 2 && point[0]! < 3 && point[1]! < 3;
    const inBase = point[1]! < 1 && point[0]! > 0 && point[0]! < 3;
    expect(inLeftArm || inRightArm || inBase).toBe(true);
    expect(
      representativePoint(
        {
          type: "LineString",
          coordinates: [
            [0, 0],
            [10, 0],
            [10, 10],
          ],
        },
        false,
      ),
    ).toEqual([10, 0]);
    expect(representativePoint(null, true)).toBeNull();
    expect(toWkt(null)).toBe("");
    expect(
      toWkt({
        type: "MultiLineString",
        coordinates: [
          [
            [1, 2],
            [3, 4],
          ],
        ],
      }),
    ).toBe("MULTILINESTRING ((1 2, 3 4))");
  });

  it("writes SWEREF 99 TM as e,n in metres with 2 decimals", () => {
    const feature: ExportFeature = {
      id: "stockholm",
      geometry: { type: "Point", coordinates: [18.0686, 59.3293] },
      properties: { name: "Stockholm" },
    };
    const file = exportFeatures([feature], { format: "csv-sweref", kind: "features" });
    expect(file.fileName).toBe("features-sweref99tm.csv");
    const [row] = rows(decode(file.bytes));
    expect(Object.keys(row!)).toEqual(["id", "name", "e", "n", "wkt"]);
    const [east, north] = toSweref99Tm([18.0686, 59.3293]);
    expect(Number(row!.e)).toBeCloseTo(east!, 2);
    expect(Number(row!.n)).toBeCloseTo(north!, 2);
    expect(Math.abs(Number(row!.e) - 674_571.9)).toBeLessThanOrEqual(0.1);
    expect(row!.e!.split(".")[1]?.length ?? 0).toBeLessThanOrEqual(2);
    expect(row!.wkt).toBe(`POINT (${row!.e} ${row!.n})`);
  });
});
