import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { strToU8, zipSync } from "fflate";
import type { Feature, FeatureCollection, Position } from "geojson";
import { afterAll, describe, expect, it } from "vitest";
import { IMPORT_MESSAGES_FORMATS } from "../../i18n/import-messages-formats";
import { mulberry32 } from "../ids";
import { DEFAULT_ZIP_LIMITS, ZIP_REASONS } from "../zip-safety";
import { expectSound, expectTranslatable, mutate, ok, signedArea } from "./import.fixtures";
import { crsFromPrj, encodingFromCpg, importShapefile, SHAPEFILE_REASONS } from "./shapefile";
import type { ImportSuccess } from "./types";

/** Source data in WGS 84, with the names Swedish municipalities really have. */
const LAMPS: FeatureCollection = {
  type: "FeatureCollection",
  features: [
    {
      type: "Feature",
      properties: { namn: "Åsögatan 12", hojd: 4.5, datum: "2024-05-01", antal: 3 },
      geometry: { type: "Point", coordinates: [18.0686, 59.3293] },
    },
    {
      type: "Feature",
      properties: { namn: "Ärtviksvägen/Önskehemsgatan", hojd: 8, datum: null, antal: null },
      geometry: { type: "Point", coordinates: [17.6389123, 59.8586456] },
    },
    {
      type: "Feature",
      properties: { namn: "Café Ängen (é)", hojd: null, datum: "1999-12-31", antal: 0 },
      geometry: { type: "Point", coordinates: [13.0038, 55.605] },
    },
    {
      type: "Feature",
      properties: { namn: "Utan position", hojd: 3, datum: null, antal: 1 },
      geometry: null as unknown as Feature["geometry"],
    },
  ],
};

const PATHS: FeatureCollection = {
  type: "FeatureCollection",
  features: [
    {
      type: "Feature",
      properties: { namn: "Gångväg längs Fyrisån", klass: "park_path" },
      geometry: {
        type: "LineString",
        coordinates: [
          [17.64, 59.85],
          [17.645, 59.852],
          [17.65, 59.855],
        ],
      },
    },
  ],
};

const PARKS: FeatureCollection = {
  type: "FeatureCollection",
  features: [
    {
      type: "Feature",
      properties: { namn: "Stadsträdgården" },
      geometry: {
        type: "Polygon",
        coordinates: [
          [
            [17.64, 59.85],
            [17.65, 59.85],
            [17.65, 59.86],
            [17.64, 59.86],
            [17.64, 59.85],
          ],
          [
            [17.644, 59.854],
            [17.644, 59.856],
            [17.646, 59.856],
            [17.646, 59.854],
            [17.644, 59.854],
          ],
        ],
      },
    },
  ],
};

const work = mkdtempSync(join(tmpdir(), "lykta-shapefile-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let counter = 0;

/** Writes `source` as a Shapefile with ogr2ogr and returns its files by name. */
function shapefile(
  source: FeatureCollection,
  name: string,
  options: string[] = [],
): Record<string, Uint8Array> {
  const dir = join(work, `run${counter++}`);
  execFileSync("mkdir", ["-p", dir]);
  const input = join(dir, "source.geojson");
  writeFileSync(input, JSON.stringify(source));
  execFileSync("ogr2ogr", ["-f", "ESRI Shapefile", ...options, join(dir, `${name}.shp`), input], {
    stdio: "pipe",
  });
  const files: Record<string, Uint8Array> = {};
  for (const file of readdirSync(dir)) {
    if (file.startsWith(`${name}.`)) files[file] = new Uint8Array(readFileSync(join(dir, file)));
  }
  return files;
}

async function importZip(files: Record<string, Uint8Array>, options: { fromCrs?: string } = {}) {
  const result = await importShapefile({ name: "export.zip", bytes: zipSync(files), ...options });
  if (!result.ok) expectTranslatable([result.issue]);
  return result;
}

function expectClose(actual: Position, expected: Position, tolerance = 1e-6) {
  expect(Math.abs(actual[0]! - expected[0]!)).toBeLessThan(tolerance);
  expect(Math.abs(actual[1]! - expected[1]!)).toBeLessThan(tolerance);
}

function expectLampsRead(result: ImportSuccess, tolerance = 1e-6) {
  expect(result.totalFeatures).toBe(4);
  expect(result.features).toHaveLength(3);
  for (const [index, feature] of result.features.entries()) {
    const source = LAMPS.features[index]!;
    expect(feature.geometry.type).toBe("Point");
    expectClose(
      (feature.geometry as { coordinates: Position }).coordinates,
      (source.geometry as { coordinates: Position }).coordinates,
      tolerance,
    );
  }
  expect(result.features.map((feature) => feature.properties?.namn)).toEqual([
    "Åsögatan 12",
    "Ärtviksvägen/Önskehemsgatan",
    "Café Ängen (é)",
  ]);
  expect(result.features[0]!.properties).toEqual({
    namn: "Åsögatan 12",
    hojd: 4.5,
    datum: "2024-05-01",
    antal: 3,
  });
  // Empty numbers and dates are null, never NaN or an invalid date.
  expect(result.features[1]!.properties).toMatchObject({ hojd: 8, datum: null, antal: null });
  expect(result.features[2]!.properties).toMatchObject({ hojd: null, datum: "1999-12-31" });
  expect(result.rejected).toEqual([
    expect.objectContaining({
      where: "ljus.shp features[3]",
      code: SHAPEFILE_REASONS.nullShape,
    }),
  ]);
}

describe("Shapefile: CRS from the .prj, attribute encoding from the .cpg", () => {
  it("SWEREF 99 TM with Latin-1 attributes comes out in WGS 84 with å, ä, ö and é intact", async () => {
    const files = shapefile(LAMPS, "ljus", ["-t_srs", "EPSG:3006", "-lco", "ENCODING=ISO-8859-1"]);
    expect(new TextDecoder().decode(files["ljus.cpg"])).toBe("ISO-8859-1");
    const result = ok(await importZip(files));
    expect(result.format).toBe("shapefile");
    expect(result.sourceCrs).toBe("EPSG:3006");
    expect(result.encoding).toBe("windows-1252");
    expectLampsRead(result);
    // A single shapefile gets no @layer property.
    expect(result.features[0]!.properties).not.toHaveProperty("@layer");
  });

  it("WGS 84 with UTF-8 attributes", async () => {
    const files = shapefile(LAMPS, "ljus", ["-lco", "ENCODING=UTF-8"]);
    const result = ok(await importZip(files));
    expect(result.sourceCrs).toBe("EPSG:4326");
    expect(result.encoding).toBe("utf-8");
    expectLampsRead(result);
  });

  it("detects Latin-1 when there is no .cpg", async () => {
    const { "ljus.cpg": _cpg, ...files } = shapefile(LAMPS, "ljus", [
      "-t_srs",
      "EPSG:3006",
      "-lco",
      "ENCODING=ISO-8859-1",
    ]);
    const result = ok(await importZip(files));
    expect(result.encoding).toBe("windows-1252");
    expectLampsRead(result);
  });

  it("overrules a .cpg that says UTF-8 over Latin-1 text, and says so", async () => {
    const files = shapefile(LAMPS, "ljus", ["-lco", "ENCODING=ISO-8859-1"]);
    const result = ok(await importZip({ ...files, "ljus.cpg": strToU8("UTF-8") }));
    expectLampsRead(result);
    expect(result.repaired).toContainEqual(
      expect.objectContaining({ where: "ljus.cpg", code: SHAPEFILE_REASONS.cpgOverruled }),
    );
  });

  it("a local SWEREF 99 zone (18 00) with a polygon and a hole, wound to RFC 7946", async () => {
    const files = shapefile(PARKS, "park", ["-t_srs", "EPSG:3011"]);
    const result = ok(await importZip(files));
    expect(result.sourceCrs).toBe("EPSG:3011");
    const polygon = result.features[0]!.geometry as { type: string; coordinates: Position[][] };
    expect(polygon.type).toBe("Polygon");
    expect(polygon.coordinates).toHaveLength(2);
    const [outer, hole] = polygon.coordinates;
    const source = (PARKS.features[0]!.geometry as { coordinates: Position[][] }).coordinates;
    // Same corners as the source (rings start where the writer chose), outer counterclockwise.
    for (const [ring, sourceRing] of [
      [outer!, source[0]!],
      [hole!, source[1]!],
    ] as const) {
      for (const corner of sourceRing) {
        expect(
          ring.some(
            (position) =>
              Math.abs(position[0]! - corner[0]!) < 1e-6 &&
              Math.abs(position[1]! - corner[1]!) < 1e-6,
          ),
        ).toBe(true);
      }
    }
    expect(signedArea(outer!)).toBeGreaterThan(0);
    expect(signedArea(hole!)).toBeLessThan(0);
    expect(result.repaired).toEqual([]);
    expect(result.features[0]!.properties).toEqual({ namn: "Stadsträdgården" });
  });

  it("RT 90 2.5 gon V lines", async () => {
    const files = shapefile(PATHS, "vagar", ["-t_srs", "EPSG:3021"]);
    const result = ok(await importZip(files));
    expect(result.sourceCrs).toBe("EPSG:3021");
    const line = (result.features[0]!.geometry as { coordinates: Position[] }).coordinates;
    const source = (PATHS.features[0]!.geometry as { coordinates: Position[] }).coordinates;
    // GDAL and crs.ts use the same RT 90 → WGS 84 transformation (EPSG:1896).
    for (const [index, position] of line.entries()) expectClose(position, source[index]!);
  });

  it("a CRS Lykta has no definition for (ETRS89 / UTM 33N) through proj4's WKT reader", async () => {
    const files = shapefile(LAMPS, "ljus", ["-t_srs", "EPSG:25833"]);
    const result = ok(await importZip(files));
    expect(result.sourceCrs).toBe("ETRS_1989_UTM_Zone_33N");
    expectLampsRead(result);
  });

  it("3D points: Z dropped, reported once", async () => {
    const lamps3d: FeatureCollection = {
      ...LAMPS,
      features: LAMPS.features.slice(0, 3).map((feature) => ({
        ...feature,
        geometry: {
          type: "Point",
          coordinates: [...(feature.geometry as { coordinates: Position }).coordinates, 12.5],
        },
      })),
    };
    const files = shapefile(lamps3d, "ljus", ["-t_srs", "EPSG:3006"]);
    const result = ok(await importZip(files));
    expect(result.features[0]!.geometry).toMatchObject({ type: "Point" });
    expect((result.features[0]!.geometry as { coordinates: Position }).coordinates).toHaveLength(2);
    expect(result.repaired).toEqual([
      expect.objectContaining({
        where: "ljus.shp",
        code: SHAPEFILE_REASONS.elevationDropped,
        params: { count: 3 },
      }),
    ]);
  });
});

describe("Shapefile: zips as people make them", () => {
  it("imports every shapefile of a zip, each feature tagged with @layer; macOS leftovers ignored", async () => {
    const lamps = shapefile(LAMPS, "ljus", ["-t_srs", "EPSG:3006", "-lco", "ENCODING=UTF-8"]);
    const paths = shapefile(PATHS, "vagar", ["-t_srs", "EPSG:3006"]);
    const files: Record<string, Uint8Array> = {};
    for (const [name, bytes] of Object.entries(lamps)) files[`belysning/${name}`] = bytes;
    for (const [name, bytes] of Object.entries(paths)) files[`nät/${name}`] = bytes;
    files["__MACOSX/belysning/._ljus.shp"] = new Uint8Array([0, 5, 22, 7]);
    files["belysning/._ljus.dbf"] = new Uint8Array([0, 5, 22, 7]);
    files["LÄSMIG.txt"] = strToU8("Export från kommunens GIS");
    const result = ok(await importZip(files));
    expect(result.totalFeatures).toBe(5);
    expect(result.features.map((feature) => feature.properties?.["@layer"])).toEqual([
      "belysning/ljus",
      "belysning/ljus",
      "belysning/ljus",
      "nät/vagar",
    ]);
    expect(result.features[3]!.properties).toMatchObject({ namn: "Gångväg längs Fyrisån" });
    expect(result.rejected).toEqual([
      expect.objectContaining({ where: "belysning/ljus.shp features[3]" }),
    ]);
  });

  it("keeps the readable layers when one is broken, and lists the broken one", async () => {
    const lamps = shapefile(LAMPS, "ljus", ["-t_srs", "EPSG:3006"]);
    const result = ok(await importZip({ ...lamps, "trasig.shp": strToU8("inte en shapefil") }));
    expect(result.features).toHaveLength(3);
    expect(result.rejected).toContainEqual(
      expect.objectContaining({ where: "trasig.shp", code: SHAPEFILE_REASONS.shpDamaged }),
    );
  });

  it("refuses SWEREF coordinates without a .prj, with a hint; fromCrs reads them", async () => {
    const { "ljus.prj": _prj, ...files } = shapefile(LAMPS, "ljus", ["-t_srs", "EPSG:3006"]);
    const refused = await importZip(files);
    expect(refused).toMatchObject({
      ok: false,
      issue: {
        where: "ljus.shp",
        code: SHAPEFILE_REASONS.noPrjNotWgs84,
        params: { crs: "EPSG:3006" },
      },
    });
    expect(refused.ok ? "" : refused.issue.message).toContain("SWEREF 99 TM");
    const named = ok(await importZip(files, { fromCrs: "EPSG:3006" }));
    expectLampsRead(named);
  });

  it("rejects records marked deleted in the .dbf", async () => {
    const files = shapefile(LAMPS, "ljus", ["-lco", "ENCODING=UTF-8"]);
    const dbf = files["ljus.dbf"]!;
    const view = new DataView(dbf.buffer, dbf.byteOffset, dbf.byteLength);
    dbf[view.getUint16(8, true) + view.getUint16(10, true)] = 0x2a; // record 1
    const result = ok(await importZip(files));
    expect(result.features.map((feature) => feature.properties?.namn)).toEqual([
      "Åsögatan 12",
      "Café Ängen (é)",
    ]);
    expect(result.rejected[0]).toMatchObject({
      where: "ljus.shp features[1]",
      code: SHAPEFILE_REASONS.deletedRecord,
    });
  });

  it("says so when the zip holds no shapefile", async () => {
    const result = await importZip({ "ljus.dbf": new Uint8Array(40), "ljus.prj": strToU8("x") });
    expect(result).toMatchObject({
      ok: false,
      issue: { where: "file", code: SHAPEFILE_REASONS.noShapefile },
    });
    expect(result.ok ? "" : result.issue.message).toContain(".dbf table but no .shp");
  });
});

describe("Shapefile: hostile zips", () => {
  it("refuses a zip with an entry that leaves the package (zip slip), naming it", async () => {
    const files = shapefile(LAMPS, "ljus", []);
    const result = await importZip({ ...files, "../../evil.shp": files["ljus.shp"]! });
    expect(result).toMatchObject({
      ok: false,
      issue: {
        where: 'zip entry "../../evil.shp"',
        code: ZIP_REASONS.unsafePath,
        params: { name: "../../evil.shp" },
      },
    });
  });

  it("refuses a zip that expands beyond the limit, before inflating it", async () => {
    const files = shapefile(LAMPS, "ljus", []);
    const bomb = zipSync({ ...files, "ljus_extra.dbf": new Uint8Array(20 * 1024 * 1024) });
    const limits = { ...DEFAULT_ZIP_LIMITS, maxTotalBytes: 10 * 1024 * 1024 };
    const result = await importShapefile({ name: "bomb.zip", bytes: bomb }, undefined, limits);
    expect(result).toMatchObject({
      ok: false,
      issue: { code: ZIP_REASONS.ratioTooHigh, where: 'zip entry "ljus_extra.dbf"' },
    });
    expect(result.ok ? "" : result.issue.message).toContain("and 1 more problem");
  });
});

describe("Shapefile helpers", () => {
  it("reads .cpg labels as GIS software writes them", () => {
    expect(encodingFromCpg("UTF-8\r\n")).toBe("utf-8");
    expect(encodingFromCpg("65001")).toBe("utf-8");
    expect(encodingFromCpg("1252")).toBe("windows-1252");
    expect(encodingFromCpg("ANSI 1252")).toBe("windows-1252");
    expect(encodingFromCpg("ISO-8859-1")).toBe("windows-1252");
    expect(encodingFromCpg("88591")).toBe("windows-1252");
    expect(encodingFromCpg("8859_15")).toBe("iso-8859-15");
    expect(encodingFromCpg("OEM")).toBeNull();
    expect(encodingFromCpg("")).toBeNull();
  });

  it("maps .prj files GDAL and ArcGIS write to the EPSG codes Lykta knows", () => {
    const files = shapefile(LAMPS, "ljus", ["-t_srs", "EPSG:3006"]);
    expect(crsFromPrj(new TextDecoder().decode(files["ljus.prj"]))?.name).toBe("EPSG:3006");
    expect(crsFromPrj('PROJCS["SWEREF99_15_00",GEOGCS["GCS_SWEREF99"]]')?.name).toBe("EPSG:3009");
    expect(
      crsFromPrj(
        'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]',
      ),
    ).toEqual({ name: "EPSG:4326", transform: null });
    expect(crsFromPrj("this is not WKT")).toBeNull();
  });
});

describe("messages", () => {
  it("every reason code has Swedish and English text with the same placeholders", () => {
    for (const code of Object.values(SHAPEFILE_REASONS)) {
      const template = IMPORT_MESSAGES_FORMATS[code];
      expect(template, code).toBeDefined();
      const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(names(template!.sv), code).toEqual(names(template!.en));
    }
  });
});

describe("seeded fuzz: mutated shapefile zips never crash the importer", () => {
  const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
  it(`300 mutated zips (seed ${seed})`, async () => {
    const random = mulberry32(seed);
    const lamps = shapefile(LAMPS, "ljus", ["-t_srs", "EPSG:3006", "-lco", "ENCODING=ISO-8859-1"]);
    const parks = shapefile(PARKS, "park", ["-t_srs", "EPSG:3011"]);
    // Stored (level 0) as well as deflated, so mutations reach the shapefiles themselves.
    const seeds = [zipSync({ ...lamps, ...parks }), zipSync({ ...lamps, ...parks }, { level: 0 })];
    for (let i = 0; i < 300; i += 1) {
      const bytes = mutate(seeds[i % seeds.length]!, random);
      const result = await importShapefile({ name: "export.zip", bytes });
      expectSound(result, `seed ${seed}, case ${i}`);
    }
  }, 60_000);
});
