import { readFileSync } from "node:fs";
import type { LineString, Point } from "geojson";
import { describe, expect, test } from "vitest";
import { CSV_REASONS, importCsv, parseCoordinate, parseWkt } from "./csv";
import { decodeText } from "./encoding";
import { GEOJSON_REASONS, REPAIRS } from "./geojson-checks";
import type { ImportResult, ImportSuccess } from "./types";

const LAMPS = new URL("../../../../shared/data/lamps/", import.meta.url);

function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Text as Windows-1252 / Latin-1 bytes (every character here is below U+0100). */
function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (char) => char.charCodeAt(0));
}

async function csv(text: string | Uint8Array, fromCrs?: string): Promise<ImportResult> {
  return importCsv({
    name: "test.csv",
    bytes: typeof text === "string" ? utf8(text) : text,
    ...(fromCrs === undefined ? {} : { fromCrs }),
  });
}

function success(result: ImportResult): ImportSuccess {
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.issue)}`);
  return result;
}

function coordinates(result: ImportSuccess, index: number): number[] {
  return (result.features[index]!.geometry as Point).coordinates;
}

describe("parseCoordinate", () => {
  test.each([
    ["59,3293", 59.3293],
    ["59.3293", 59.3293],
    [" 18,0686 ", 18.0686],
    ["6 580 743,0", 6580743],
    ["6\u00a0580\u00a0743", 6580743],
    ["\u221212,5", -12.5],
    ["-0.5", -0.5],
    [",5", 0.5],
    ["1e3", 1000],
    ["1.234,5", null],
    ["59°", null],
    ["abc", null],
    ["", null],
    ["1e999", null],
  ])("%j -> %j", (cell, expected) => {
    expect(parseCoordinate(cell)).toBe(expected);
  });
});

describe("WGS 84 lat/lon columns", () => {
  test("Swedish Excel: semicolons, decimal commas, a sep= line and Windows-1252", async () => {
    const text = [
      "sep=;",
      "Namn;Lat;Long;Höjd",
      "Stortorget;59,3250;18,0707;4,5",
      "Åsögatan;59,3140;18,0790;6",
      "",
      ";;;",
      "Götgatan;59,3160;18,0720;",
    ].join("\r\n");
    const result = success(await csv(latin1(text)));
    expect(result.encoding).toBe("windows-1252");
    expect(result.sourceCrs).toBe("EPSG:4326");
    expect(result.totalFeatures).toBe(3);
    expect(result.rejected).toEqual([]);
    expect(result.features.map((feature) => feature.properties)).toEqual([
      { Namn: "Stortorget", Höjd: "4,5" },
      { Namn: "Åsögatan", Höjd: "6" },
      { Namn: "Götgatan", Höjd: "" },
    ]);
    expect(coordinates(result, 0)).toEqual([18.0707, 59.325]);
  });

  test("comma-separated with quoted decimal commas, header case and spaces ignored", async () => {
    const result = success(
      await csv('ID, LATITUDE ,Longitude,note\n1,"59,3293","18,0686","a, b"\n2,59.1,18.2,x\n'),
    );
    expect(result.features).toHaveLength(2);
    expect(coordinates(result, 0)).toEqual([18.0686, 59.3293]);
    expect(result.features[0]!.properties).toEqual({ ID: "1", note: "a, b" });
  });

  test("tab-separated, lng and lat", async () => {
    const result = success(await csv("lng\tlat\n18.0686\t59.3293\n"));
    expect(coordinates(result, 0)).toEqual([18.0686, 59.3293]);
  });

  test("bad rows are rejected with editor line numbers (header = line 1)", async () => {
    const text = [
      "name;lat;lon", // 1
      "ok;59,33;18,07", // 2
      "no lat;;18,07", // 3
      "text;abc;18,07", // 4
      "far;95;18", // 5
      "short;59,33", // 6
      '"multi', // 7
      'line";59,34;18,08', // 8
      "too;many;fields;here", // 9
      "ok2;59,35;18,09", // 10
    ].join("\n");
    const result = success(await csv(text));
    expect(result.features.map((feature) => feature.properties?.name)).toEqual([
      "ok",
      "multi\nline",
      "ok2",
    ]);
    expect(result.rejected.map((issue) => [issue.where, issue.code])).toEqual([
      ["line 3", CSV_REASONS.coordinateMissing],
      ["line 4", CSV_REASONS.coordinateNotNumber],
      ["line 5", GEOJSON_REASONS.outOfRange],
      ["line 6", CSV_REASONS.fieldCount],
      ["line 9", CSV_REASONS.fieldCount],
    ]);
    expect(result.rejected[0]!.message).toBe("the lat column is empty");
    expect(result.rejected[1]!.params).toMatchObject({ line: 4, column: "lat", value: "abc" });
    expect(result.rejected[2]!.message).toContain("(columns lon, lat)");
    expect(result.rejected[3]!.params).toMatchObject({ count: 2, expected: 3 });
    expect(result.totalFeatures).toBe(8);
  });

  test("an unclosed quote rejects its row", async () => {
    const result = success(await csv('name,lat,lon\nok,59,18\n"broken,59,18\n'));
    expect(result.features).toHaveLength(1);
    expect(result.rejected.map((issue) => [issue.where, issue.code])).toEqual([
      ["line 3", CSV_REASONS.quotes],
    ]);
  });

  test("SWEREF 99 TM values in lat/lon columns are refused with the SWEREF hint", async () => {
    const result = await csv("lat;lon\n6580743;674572\n6581000;674000\n");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    // x (the lon column) = 674572, y (the lat column) = 6580743: SWEREF 99 TM's E and N.
    expect(result.issue.code).toBe(GEOJSON_REASONS.outOfRangeLikelyCrs);
    expect(result.issue.params).toMatchObject({ crs: "EPSG:3006" });
  });

  test("more than 7 decimals are rounded and reported", async () => {
    const result = success(await csv("lat,lon\n59.329300001,18.0686\n"));
    expect(coordinates(result, 0)).toEqual([18.0686, 59.3293]);
    expect(result.repaired.map((issue) => [issue.where, issue.code])).toEqual([
      ["line 2", REPAIRS.precisionReduced],
    ]);
  });
});

describe("SWEREF 99 TM N/E columns", () => {
  // The issue's known pair: WGS84 lat 59.3293, lon 18.0686 is N 6580743.0, E 674571.9.
  test("N and E (Swedish names, decimal commas) are reprojected to WGS 84", async () => {
    const result = success(await csv("Nord;Öst;namn\n6580743,0;674571,9;Stockholm\n"));
    expect(result.sourceCrs).toBe("EPSG:3006");
    const [lon, lat] = coordinates(result, 0);
    expect(lon).toBeCloseTo(18.0686, 5);
    expect(lat).toBeCloseTo(59.3293, 5);
    expect(result.features[0]!.properties).toEqual({ namn: "Stockholm" });
  });

  test("northing/easting in either column order", async () => {
    const result = success(await csv("easting,northing\n674571.9,6580743.0\n"));
    expect(coordinates(result, 0)[0]).toBeCloseTo(18.0686, 5);
  });

  test("rows outside SWEREF 99 TM's Swedish range are rejected; all of them refuse the file", async () => {
    const mixed = success(await csv("N;E\n6580743;674572\n6580743;153905\n"));
    expect(mixed.features).toHaveLength(1);
    expect(mixed.rejected.map((issue) => [issue.where, issue.code])).toEqual([
      ["line 3", CSV_REASONS.outsideSweref99Tm],
    ]);
    // A local-zone file (SWEREF 99 18 00: E about 150 000) read without its CRS.
    const local = await csv("N;E\n6579354.448;153905.093\n");
    expect(local.ok).toBe(false);
    if (!local.ok) expect(local.issue.code).toBe(CSV_REASONS.outsideSweref99Tm);
    // ... and with it.
    const named = success(await csv("N;E\n6579354.448;153905.093\n", "EPSG:3011"));
    expect(named.sourceCrs).toBe("EPSG:3011");
    expect(coordinates(named, 0)[0]).toBeCloseTo(18.0686, 6);
    expect(coordinates(named, 0)[1]).toBeCloseTo(59.3293, 6);
  });

  test("degrees in N/E columns with a projected CRS are refused", async () => {
    const result = await csv("N;E\n59,3293;18,0686\n", "EPSG:3006");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issue.code).toBe(GEOJSON_REASONS.crsMismatch);
  });
});

describe("x and y resolved by their values", () => {
  test("degrees: x is longitude", async () => {
    const result = success(await csv("x;y\n18,0686;59,3293\n"));
    expect(result.sourceCrs).toBe("EPSG:4326");
    expect(coordinates(result, 0)).toEqual([18.0686, 59.3293]);
  });

  test("SWEREF 99 TM, GIS order (x = easting)", async () => {
    const result = success(await csv("X,Y\n674571.9,6580743.0\n"));
    expect(result.sourceCrs).toBe("EPSG:3006");
    expect(coordinates(result, 0)[0]).toBeCloseTo(18.0686, 5);
  });

  test("SWEREF 99 TM, Swedish surveying order (X = northing)", async () => {
    const result = success(await csv("X;Y\n6580743,0;674571,9\n"));
    expect(result.sourceCrs).toBe("EPSG:3006");
    expect(coordinates(result, 0)[0]).toBeCloseTo(18.0686, 5);
    expect(coordinates(result, 0)[1]).toBeCloseTo(59.3293, 5);
  });

  test("RT 90 values without a CRS are refused with the RT 90 hint; with it they import", async () => {
    const rt90 = "x;y\n1628832.573;6580908.598\n";
    const refused = await csv(rt90);
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.issue.code).toBe(GEOJSON_REASONS.outOfRangeLikelyCrs);
      expect(refused.issue.params).toMatchObject({ crs: "EPSG:3021" });
    }
    const result = success(await csv(rt90, "EPSG:3021"));
    expect(coordinates(result, 0)[0]).toBeCloseTo(18.0686, 5);
    expect(coordinates(result, 0)[1]).toBeCloseTo(59.3293, 5);
  });
});

describe("WKT column", () => {
  test("points, lines and polygons; other columns become properties", async () => {
    const text = [
      "id;WKT;name",
      "1;POINT (18.0686 59.3293);a",
      "2;LINESTRING Z (18 59 1, 18.1 59.1 2);b",
      "3;POLYGON ((18 59, 18 59.1, 18.1 59.1, 18 59));c",
      "4;MULTIPOINT ((18 59), (18.1 59.1));d",
      "5;POLYGON ((18 59, 18.1 59, 18.1 59.1, 18 59.1));e",
      "6;POINT EMPTY;f",
      "7;CIRCLE (1 2);g",
      '8;"SRID=3006;POINT (674571.9 6580743.0)";h',
      "9;GEOMETRYCOLLECTION (POINT (18 59), LINESTRING (18 59, 18.1 59.1));i",
    ].join("\n");
    const result = success(await csv(text));
    expect(
      result.features.map((feature) => [feature.properties?.name, feature.geometry.type]),
    ).toEqual([
      ["a", "Point"],
      ["b", "LineString"],
      ["c", "Polygon"],
      ["d", "MultiPoint"],
      ["h", "Point"],
      ["i", "Point"],
      ["i", "LineString"],
    ]);
    expect(result.features[0]!.properties).toEqual({ id: "1", name: "a" });
    expect(result.rejected.map((issue) => [issue.where, issue.code])).toEqual([
      ["line 6", GEOJSON_REASONS.ringNotClosed],
      ["line 7", GEOJSON_REASONS.emptyGeometry],
      ["line 8", CSV_REASONS.wktInvalid],
    ]);
    expect(result.repaired.map((issue) => [issue.where, issue.code])).toEqual([
      ["line 3", REPAIRS.dimensionsDropped],
      ["line 4", REPAIRS.windingRewound],
      ["line 10", REPAIRS.geometryCollectionSplit],
    ]);
    expect(coordinates(result, 4)[0]).toBeCloseTo(18.0686, 5);
  });

  test("WKT beside N/E columns is SWEREF 99 TM (Lykta's own SWEREF CSV export); beside lon/lat WGS 84", async () => {
    const sweref = success(
      await csv(
        '\uFEFFnamn,e,n,wkt\r\na,674571.90,6580743.00,"LINESTRING (674571.9 6580743, 674671.9 6580843)"\r\n',
      ),
    );
    expect(sweref.sourceCrs).toBe("EPSG:3006");
    const line = sweref.features[0]!.geometry as LineString;
    expect(line.coordinates[0]![0]).toBeCloseTo(18.0686, 5);
    expect(line.coordinates[0]![1]).toBeCloseTo(59.3293, 5);
    expect(sweref.features[0]!.properties).toEqual({ namn: "a", e: "674571.90", n: "6580743.00" });
    const wgs84 = success(await csv("lon,lat,wkt\n18.0686,59.3293,POINT (18.0686 59.3293)\n"));
    expect(wgs84.sourceCrs).toBe("EPSG:4326");
    expect(coordinates(wgs84, 0)).toEqual([18.0686, 59.3293]);
  });

  test("parseWkt reports what is wrong", () => {
    expect(parseWkt("POINT (1 2")).toBe('the WKT ends early (expected ")")');
    expect(parseWkt("POINT (1 x)")).toBe('"x" is not a number');
    expect(parseWkt("MULTIPOINT (1 2, 3 4)")).toEqual({
      geometry: {
        type: "MultiPoint",
        coordinates: [
          [1, 2],
          [3, 4],
        ],
      },
      srid: null,
    });
  });
});

describe("files that are not usable CSV", () => {
  test.each([
    ["no coordinate columns", "name;height\na;4\n", CSV_REASONS.noCoordinateColumns],
    ["only latitude", "lat;name\n59;a\n", CSV_REASONS.noCoordinateColumns],
    ["a header without rows", "lat;lon\n", CSV_REASONS.noRows],
    ["blank", "\n\n  \n", GEOJSON_REASONS.emptyFile],
  ])("%s", async (_label, text, code) => {
    const result = await csv(text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issue.code).toBe(code);
      expect(result.issue.where).toBe("file");
    }
  });

  test("an unknown CRS given for the import", async () => {
    const result = await csv("lat;lon\n59;18\n", "EPSG:2154");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issue.code).toBe(GEOJSON_REASONS.unknownCrs);
  });
});

test("a CSV made from the real Latin-1 Utrecht lamp file keeps names and heights", async () => {
  const source = JSON.parse(
    decodeText(new Uint8Array(readFileSync(new URL("utrecht_mastoverzicht_latin1.geojson", LAMPS))))
      .text,
  ) as { features: { properties: Record<string, string>; geometry: Point }[] };
  const lines = ["STRAAT;MASTLENGTE;lat;lon"];
  for (const feature of source.features) {
    const [lon, lat] = feature.geometry.coordinates;
    const comma = (value: number) => String(value).replace(".", ",");
    lines.push(
      `${feature.properties.STRAAT};${feature.properties.MASTLENGTE};${comma(lat!)};${comma(lon!)}`,
    );
  }
  const result = success(await csv(latin1(lines.join("\r\n"))));
  expect(result.encoding).toBe("windows-1252");
  expect(result.features).toHaveLength(9793);
  expect(result.rejected).toEqual([]);
  const streets = new Set(result.features.map((feature) => feature.properties?.STRAAT));
  expect(streets.has("Trévouxperenlaan")).toBe(true);
  expect(streets.has("Tolsteegbarrière")).toBe(true);
});
