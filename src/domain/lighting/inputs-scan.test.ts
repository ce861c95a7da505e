/**
 * Paths and lamps from the byte scanner (inputs-scan.ts) against the same file read with
 * JSON.parse (readCleanGeoJson) and turned into inputs by pathsFromFeatures and
 * lampsFromFeatures (inputs.ts), the oracle: the same paths, lamps, left-out features, field
 * names, OSM detection and class-field check, on real files and on seeded random and mutated
 * ones.
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import pathClassesData from "../../../data/path-classes.json";
import { seededCityNetwork } from "../../../test/fixtures/city";
import { mulberry32 } from "../ids";
import { readCleanGeoJson } from "../import/geojson-fast";
import { type GeoJsonScan, scanGeoJson } from "../import/geojson-scan";
import { cleanCollectionText, mutateText } from "../import/geojson-scan.fixtures";
import { looksLikeOsm, type PathClassesFile, propertyNames } from "../layers";
import { lampsOfColumns, pathsOfColumns } from "./columns";
import { lampsFromFeatures, pathsFromFeatures } from "./inputs";
import {
  lampsFromScan,
  pathsFromScan,
  scanHasProperty,
  scanLooksLikeOsm,
  scanPropertyNames,
} from "./inputs-scan";

const pathClasses = pathClassesData as PathClassesFile;
const SHARED = new URL("../../../../shared/data/", import.meta.url);
const utf8 = (text: string) => new TextEncoder().encode(text);

/** Every reading of the scan equals the oracle's reading of the parsed features. */
function expectSameInputs(scan: GeoJsonScan, bytes: Uint8Array, classField?: string) {
  const features = readCleanGeoJson(bytes)!.features;
  const options = { pathClasses, ...(classField === undefined ? {} : { classField }) };
  const scanned = pathsFromScan(scan, options);
  const parsed = pathsFromFeatures(features, options);
  expect(pathsOfColumns(scanned.paths)).toEqual(parsed.paths);
  expect(scanned.leftOut).toEqual(parsed.leftOut);
  const scannedLamps = lampsFromScan(scan);
  const parsedLamps = lampsFromFeatures(features);
  expect(lampsOfColumns(scannedLamps.lamps)).toEqual(parsedLamps.lamps);
  expect(scannedLamps.leftOut).toEqual(parsedLamps.leftOut);
  expect(scanPropertyNames(scan, null)).toEqual(propertyNames(features));
  expect(scanLooksLikeOsm(scan)).toBe(looksLikeOsm(features));
  for (const name of ["highway", "path_class", "klass", "type", "nothing"]) {
    expect(scanHasProperty(scan, name)).toBe(
      features.some((feature) => feature.properties?.[name] !== undefined),
    );
  }
  return { paths: parsed.paths.length, lamps: parsedLamps.lamps.length };
}

describe("real files", () => {
  const city = seededCityNetwork({ seed: 20_271_201, sideM: 3000 });
  const files: [string, Uint8Array][] = [
    ["the synthetic city's paths", utf8(JSON.stringify(city.paths))],
    ["the synthetic city's lamps", utf8(JSON.stringify(city.lamps))],
    [
      "Helsinki (paths and lamps in one file)",
      new Uint8Array(readFileSync(new URL("osm/helsinki_centre_highways_lamps.geojson", SHARED))),
    ],
    [
      "Montpellier",
      new Uint8Array(readFileSync(new URL("lamps/montpellier_eclairage_public.geojson", SHARED))),
    ],
  ];
  test.each(files)("%s: the same paths and lamps", (_name, bytes) => {
    const scan = scanGeoJson(bytes);
    expect(scan).not.toBeNull();
    const counts = expectSameInputs(scan!, bytes);
    expect(counts.paths + counts.lamps).toBeGreaterThan(500);
  });

  test("with a class field, and a class field nothing has", () => {
    const bytes = files[0]![1];
    const scan = scanGeoJson(bytes)!;
    expectSameInputs(scan, bytes, "path_class");
    expectSameInputs(scan, bytes, "highway");
    expectSameInputs(scan, bytes, "vägklass");
  });
});

describe("municipal fields", () => {
  test("heights, flux, power, status words and refs through the field mapping", () => {
    const lamp = (properties: Record<string, unknown>, coordinates = [18, 59]) => ({
      type: "Feature",
      geometry: { type: "Point", coordinates },
      properties,
    });
    const text = JSON.stringify({
      type: "FeatureCollection",
      features: [
        lamp({ stolpnummer: 12, Höjd: "4,5 m", ljusflöde: 3000, status: "Trasig" }),
        lamp({ stolpnummer: "A-7", Höjd: 6, effekt: "40 W", status: "borttagen" }),
        lamp({ stolpnummer: "", Höjd: null, status: false }),
        lamp({ Höjd: "tall" }),
        {
          type: "Feature",
          geometry: {
            type: "LineString",
            coordinates: [
              [18, 59],
              [18.1, 59],
            ],
          },
          properties: {},
        },
      ],
    });
    const bytes = utf8(text);
    const scan = scanGeoJson(bytes)!;
    expect(scan).not.toBeNull();
    expectSameInputs(scan, bytes);
    const lamps = lampsOfColumns(lampsFromScan(scan).lamps);
    // Not the oracle's values: what the mapping must have found, so the comparison above
    // compares something.
    expect(lamps.map((entry) => entry.poleHeightM)).toEqual([4.5, 6, null, null]);
    expect(lamps.map((entry) => entry.status)).toEqual(["off", "removed", "off", "working"]);
  });
});

describe("seeded random files and mutations of them", () => {
  const seed = Number(process.env.LYKTA_FUZZ_SEED ?? Date.now() % 1_000_000);
  console.log(`inputs-scan fuzz seed ${seed} (LYKTA_FUZZ_SEED=${seed} to repeat)`);

  test(`seed ${seed}: the same inputs from every file the scanner accepts`, () => {
    const random = mulberry32(seed);
    let compared = 0;
    for (let i = 0; i < 600; i++) {
      const text = cleanCollectionText(random, 1 + Math.floor(random() * 10));
      const bytes = i % 2 === 0 ? utf8(text) : mutateText(text, random);
      const scan = scanGeoJson(bytes);
      if (scan === null) continue;
      expectSameInputs(scan, bytes, i % 3 === 0 ? "klass" : undefined);
      compared++;
    }
    expect(compared).toBeGreaterThan(300);
  });
});
