/**
 * `lykta lighting`: files in, pieces out, one JSON summary on stdout, the errors every
 * command gives. Geometry in metres (lighting.fixtures.ts) so the numbers are hand values.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Feature } from "geojson";
import { afterAll, describe, expect, it } from "vitest";
import { scanGeoJson } from "../domain/import/geojson-scan";
import { at } from "../domain/lighting/lighting.fixtures";
import { lykta } from "./cli.fixtures";
import { plainLightingOptions } from "./lighting-command";

const folder = mkdtempSync(join(tmpdir(), "lykta-lighting-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const file = (name: string) => join(folder, name);
const BERLIN = join(import.meta.dirname, "../../../shared/data/osm/berlin_siegessaeule.osm.gz");

function writeCollection(name: string, features: Feature[]): string {
  writeFileSync(file(name), JSON.stringify({ type: "FeatureCollection", features }));
  return file(name);
}

// A 100 m cycleway (main route, lit=yes) with lamps at 0 and 100 m, R = 20: lit 0..20 and
// 80..100, tagged_lit 20..80. A 50 m footway (lit=no) 500 m away with no lamp: dark.
const PATHS = writeCollection("paths.geojson", [
  {
    type: "Feature",
    geometry: { type: "LineString", coordinates: [at(0, 0), at(100, 0)] },
    properties: { highway: "cycleway", lit: "yes", name: "Cykelvägen" },
  },
  {
    type: "Feature",
    geometry: { type: "LineString", coordinates: [at(0, 500), at(50, 500)] },
    properties: { highway: "footway", lit: "no" },
  },
  { type: "Feature", geometry: { type: "Point", coordinates: at(0, 0) }, properties: {} },
]);
const LAMPS = writeCollection("lamps.geojson", [
  {
    type: "Feature",
    geometry: { type: "Point", coordinates: at(0, 0) },
    properties: { stolpnummer: "1", höjd: "5" },
  },
  {
    type: "Feature",
    geometry: { type: "Point", coordinates: at(100, 0) },
    properties: { stolpnummer: "2", höjd: "5" },
  },
]);

describe("lykta lighting, coverage", async () => {
  const result = await lykta(
    "lighting",
    "--paths",
    PATHS,
    "--lamps",
    LAMPS,
    "--radius",
    "20",
    "-o",
    file("out.geojson"),
  );

  it("exits 0 and prints one JSON object with the totals", () => {
    expect(result.status).toBe(0);
    expect(result.out).toHaveLength(1);
    const summary = JSON.parse(result.out[0]!);
    expect(summary).toMatchObject({
      mode: "coverage",
      radius_m: 20,
      paths_m: 150,
      lit_by_lamp_m: 40,
      unlit_m: 110,
      tagged_lit_m: 60,
      dark_m: 50,
      unknown_m: 0,
      path_count: 2,
      lamp_count: 2,
    });
    expect(summary.tagged_lit_m + summary.dark_m + summary.unknown_m).toBeCloseTo(
      summary.unlit_m,
      9,
    );
    expect(summary.classes.map((entry: { path_class: string }) => entry.path_class)).toEqual([
      "main_route",
      "local_footway",
    ]);
    expect(summary.classes[0]).toMatchObject({
      target_class: "P2",
      paths_m: 100,
      unlit_m: 60,
      compliant_share: null,
    });
    // Tagged-lit stretches are probably lit (lamps missing from the data): not gaps by default.
    expect(summary.gap_count).toBe(1);
    expect(summary.gaps[0]).toMatchObject({
      rank: 1,
      path_class: "local_footway",
      length_m: 50,
      dark_m: 50,
      score: 75,
      lit_tag: "no",
    });
  });

  it("writes the pieces with state, length and class", () => {
    const written = JSON.parse(readFileSync(file("out.geojson"), "utf8"));
    expect(written.lykta).toMatchObject({ format: "lykta-geojson", kind: "lighting" });
    expect(
      written.features.map((feature: Feature) => [
        feature.properties!.state,
        feature.properties!.length_m,
        feature.properties!.path_class,
      ]),
    ).toEqual([
      ["lit_by_lamp", 20, "main_route"],
      ["tagged_lit", 60, "main_route"],
      ["lit_by_lamp", 20, "main_route"],
      ["dark", 50, "local_footway"],
    ]);
    expect(written.features[1].geometry.type).toBe("LineString");
    expect(written.features[1].properties).not.toHaveProperty("e_avg_lux");
  });
});

describe("the byte scanner and the importer read the same", () => {
  // The same features, laid out so the scanner refuses them (each geometry's type after its
  // coordinates; Windows-1252 lamps) and the command reads them through the importer.
  const reordered = (name: string, source: string) => {
    const collection = JSON.parse(readFileSync(source, "utf8"));
    for (const feature of collection.features) {
      const { type, ...rest } = feature.geometry;
      feature.geometry = { ...rest, type };
    }
    writeFileSync(file(name), JSON.stringify(collection));
    return file(name);
  };
  const latin1 = (name: string, source: string) => {
    // "höjd" as Latin-1 (ö is one byte, not UTF-8): the importer reads it as Windows-1252.
    writeFileSync(file(name), Buffer.from(readFileSync(source, "utf8"), "latin1"));
    return file(name);
  };

  // Positions with 7 decimals, as the importer keeps them: a clean file.
  const rounded = (name: string, source: string) => {
    const collection = JSON.parse(readFileSync(source, "utf8"));
    const round = (position: number[]) => position.map((value) => Math.round(value * 1e7) / 1e7);
    for (const feature of collection.features) {
      const coordinates = feature.geometry.coordinates;
      feature.geometry.coordinates =
        typeof coordinates[0] === "number" ? round(coordinates) : coordinates.map(round);
    }
    writeFileSync(file(name), JSON.stringify(collection));
    return file(name);
  };

  it.each(["coverage", "illuminance"])("%s: the same lines and the same pieces", async (mode) => {
    const cleanPaths = rounded("paths-clean.geojson", PATHS);
    const cleanLamps = rounded("lamps-clean.geojson", LAMPS);
    const paths = reordered("paths-reordered.geojson", cleanPaths);
    const lamps = latin1("lamps-latin1.geojson", cleanLamps);
    expect(scanGeoJson(new Uint8Array(readFileSync(cleanPaths)))).not.toBeNull();
    expect(scanGeoJson(new Uint8Array(readFileSync(cleanLamps)))).not.toBeNull();
    expect(scanGeoJson(new Uint8Array(readFileSync(paths)))).toBeNull();
    expect(scanGeoJson(new Uint8Array(readFileSync(lamps)))).toBeNull();
    const run = (pathsFile: string, lampsFile: string, output: string) =>
      lykta(
        "lighting",
        "--paths",
        pathsFile,
        "--lamps",
        lampsFile,
        "--mode",
        mode,
        "-o",
        file(output),
      );
    const scanned = await run(cleanPaths, cleanLamps, "scanned.geojson");
    const imported = await run(paths, lamps, "imported.geojson");
    expect(scanned.status).toBe(0);
    expect(imported.out).toEqual(scanned.out);
    expect(
      imported.err.map((line) => line.replace(/imported|paths-reordered|lamps-latin1/g, "x")),
    ).toEqual(scanned.err.map((line) => line.replace(/scanned|paths-clean|lamps-clean/g, "x")));
    const pieces = (name: string) => readFileSync(file(name), "utf8").replace(/"name":"[^"]*"/, "");
    expect(pieces("imported.geojson")).toBe(pieces("scanned.geojson"));
  });
});

describe("lykta lighting, illuminance", () => {
  it("adds modelled light and compliance to every piece", async () => {
    const result = await lykta(
      "lighting",
      "--paths",
      PATHS,
      "--lamps",
      LAMPS,
      "--mode",
      "illuminance",
      "--step",
      "0.5",
      "-o",
      file("light.geojson"),
    );
    expect(result.status).toBe(0);
    const summary = JSON.parse(result.out[0]!);
    expect(summary).toMatchObject({
      mode: "illuminance",
      radius_m: null,
      step_m: 0.5,
      maintenance_factor: 0.8,
    });
    const written = JSON.parse(readFileSync(file("light.geojson"), "utf8"));
    const properties = written.features.map((feature: Feature) => feature.properties);
    for (const entry of properties) {
      expect(Object.keys(entry)).toEqual(
        expect.arrayContaining([
          "state",
          "length_m",
          "path_class",
          "e_avg_lux",
          "e_min_lux",
          "uniformity",
          "target_class",
          "compliant",
        ]),
      );
    }
    // The dark footway: no light at all, P4, does not comply; uniformity undefined.
    expect(properties[properties.length - 1]).toMatchObject({
      state: "dark",
      e_avg_lux: 0,
      e_min_lux: 0,
      uniformity: null,
      target_class: "P4",
      compliant: false,
    });
  });
});

describe("lykta lighting with OSM XML", () => {
  it("reads paths and lamps from one extract and credits OpenStreetMap", async () => {
    const result = await lykta(
      "lighting",
      "--paths",
      BERLIN,
      "--lamps",
      BERLIN,
      "-o",
      file("berlin.geojson"),
    );
    expect(result.status).toBe(0);
    const summary = JSON.parse(result.out[0]!);
    expect(summary.lamp_count).toBe(47);
    expect(summary.path_count).toBeGreaterThanOrEqual(146);
    expect(result.err).toContain("Credit: © OpenStreetMap contributors");
    const written = JSON.parse(readFileSync(file("berlin.geojson"), "utf8"));
    expect(written.lykta.attribution).toBe("© OpenStreetMap contributors");
  });
});

describe("mistakes", () => {
  it.each([
    [["lighting", "--lamps", LAMPS, "-o", "x.geojson"], "lykta: lighting needs --paths PATHS"],
    [["lighting", "--paths", PATHS, "-o", "x.geojson"], "lykta: lighting needs --lamps LAMPS"],
    [["lighting", "--paths", PATHS, "--lamps", LAMPS], "lykta: lighting needs -o OUT.geojson"],
    [
      ["lighting", "--paths", PATHS, "--lamps", LAMPS, "-o", "x.csv"],
      "lykta: -o x.csv: lighting writes GeoJSON (.geojson or .json); convert it further with lykta convert",
    ],
    [
      ["lighting", "--paths", PATHS, "--lamps", LAMPS, "--mode", "lux", "-o", "x.geojson"],
      "lykta: --mode lux: give coverage or illuminance",
    ],
    [
      ["lighting", "--paths", PATHS, "--lamps", LAMPS, "--radius", "0", "-o", "x.geojson"],
      "lykta: --radius 0: give a positive number of metres",
    ],
    [
      ["lighting", "--paths", PATHS, "--lamps", LAMPS, "--radius", "20m", "-o", "x.geojson"],
      "lykta: --radius 20m: give a positive number of metres",
    ],
    [
      ["lighting", "--paths", PATHS, "--lamps", LAMPS, "--step", "2", "-o", "x.geojson"],
      "lykta: --step applies to --mode illuminance only",
    ],
    [
      ["lighting", "--paths", PATHS, "--lamps", LAMPS, "--crs", "EPSG:3006", "-o", "x.geojson"],
      "lykta: lighting takes no --crs (see lykta --help)",
    ],
  ])("%j → exit 2", async (argv, message) => {
    const result = await lykta(...argv);
    expect(result.status).toBe(2);
    expect(result.err).toEqual([message, "Try: lykta --help"]);
  });

  it("an unreadable file: exit 2, no pointer to the help", async () => {
    const result = await lykta(
      "lighting",
      "--paths",
      file("missing.geojson"),
      "--lamps",
      LAMPS,
      "-o",
      file("x.geojson"),
    );
    expect(result.status).toBe(2);
    expect(result.err).toEqual([
      `lykta: cannot read ${file("missing.geojson")}: no such file or folder`,
    ]);
  });

  it("a paths file without lines: exit 1", async () => {
    const result = await lykta(
      "lighting",
      "--paths",
      LAMPS,
      "--lamps",
      LAMPS,
      "-o",
      file("x.geojson"),
    );
    expect(result.status).toBe(1);
    expect(result.out).toEqual([`${LAMPS}: no LineStrings: nothing to analyse (paths are lines)`]);
  });

  it("a rejected feature stops it (exit 1) unless --skip-invalid", async () => {
    const broken = file("broken.geojson");
    writeFileSync(
      broken,
      JSON.stringify({
        type: "FeatureCollection",
        features: [
          {
            type: "Feature",
            geometry: { type: "LineString", coordinates: [at(0, 0), at(10, 0)] },
            properties: {},
          },
          {
            type: "Feature",
            geometry: { type: "LineString", coordinates: [[0, "x"]] },
            properties: {},
          },
        ],
      }),
    );
    const stopped = await lykta(
      "lighting",
      "--paths",
      broken,
      "--lamps",
      LAMPS,
      "-o",
      file("x.geojson"),
    );
    expect(stopped.status).toBe(1);
    expect(stopped.out[0]).toMatch(
      new RegExp(`^${broken.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: features\\[1\\]: `),
    );
    const skipped = await lykta(
      "lighting",
      "--paths",
      broken,
      "--lamps",
      LAMPS,
      "--skip-invalid",
      "-o",
      file("x.geojson"),
    );
    expect(skipped.status).toBe(0);
    expect(JSON.parse(skipped.out[0]!).path_count).toBe(1);
  });

  it("other commands refuse the lighting options", async () => {
    const result = await lykta("validate", PATHS, "--paths", PATHS);
    expect(result.status).toBe(2);
    expect(result.err[0]).toBe("lykta: validate takes no --paths (see lykta --help)");
  });
});

describe("help", () => {
  it("says how path classes are assigned", async () => {
    const result = await lykta("--help");
    const help = result.out.join("\n");
    expect(help).toContain("lykta lighting --paths PATHS --lamps LAMPS");
    expect(help).toContain("--class-field's value when it is a class of");
    expect(help).toContain("else the default of the OSM highway tag");
  });
});

describe("plainLightingOptions (the program's direct way to lykta lighting, cli/entry.ts)", () => {
  it("reads a plain call as lykta.ts's parseArgs does", () => {
    expect(
      plainLightingOptions(["--paths", "p.geojson", "--lamps", "l.geojson", "-o", "o.geojson"]),
    ).toEqual({ paths: "p.geojson", lamps: "l.geojson", output: "o.geojson" });
    expect(
      plainLightingOptions([
        "--radius",
        "20",
        "--skip-invalid",
        "--output",
        "o.json",
        "--mode",
        "illuminance",
      ]),
    ).toEqual({ radius: "20", "skip-invalid": true, output: "o.json", mode: "illuminance" });
    expect(plainLightingOptions([])).toEqual({});
  });

  it.each([
    ["--paths=p.geojson"],
    ["--paths", "-p.geojson"],
    ["--paths", "a", "--paths", "b"],
    ["--paths"],
    ["p.geojson"],
    ["--help"],
    ["-h"],
    ["--crs", "EPSG:3006"],
    ["--unknown", "1"],
  ])("leaves anything else to lykta.ts: %s", (...args) => {
    expect(plainLightingOptions(args)).toBeNull();
  });
});
