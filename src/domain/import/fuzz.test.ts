/**
 * Seeded fuzz of the GeoJSON and CSV importers through importFile: 1,000 mutated versions of
 * valid files (cut off, bytes flipped, characters deleted or repeated, coordinates swapped for
 * strings, nulls or huge numbers, deep nesting). Every import must resolve (never throw) to
 * either one clear failure or features that are all valid WGS 84 geometry, with every
 * rejected or repaired item saying where, what and why in both languages.
 *
 * The seed is printed (fixed by default; FUZZ_SEED=random for a new one). Reproduce a run
 * with FUZZ_SEED=<seed>; pin a case that once failed
 * in PINNED_CASE_SEEDS (each case has its own seed, printed on failure).
 */
import { readFileSync } from "node:fs";
import type { Geometry, Position } from "geojson";
import { expect, test } from "vitest";
import { IMPORT_MESSAGES_CORE } from "../../i18n/import-messages-core";
import { mulberry32 } from "../ids";
import { decodeText } from "./encoding";
import { importFile } from "./index";
import type { ImportIssue, ImportResult } from "./types";

const CASES = 1000;
/** Case seeds that once found a bug: run on every test run. */
const PINNED_CASE_SEEDS: readonly number[] = [];

const DATA = new URL("../../../../shared/data/", import.meta.url);
const read = (path: string) => new Uint8Array(readFileSync(new URL(path, DATA)));
const utf8 = (text: string) => new TextEncoder().encode(text);
const latin1 = (text: string) => Uint8Array.from(text, (char) => char.charCodeAt(0) & 0xff);

/** A slice of a real FeatureCollection, as text. */
function slice(
  path: string,
  start: number,
  count: number,
  decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes),
): string {
  const collection = JSON.parse(decode(read(path))) as { features: unknown[] };
  return JSON.stringify({
    type: "FeatureCollection",
    features: collection.features.slice(start, start + count),
  });
}

interface Seed {
  name: string;
  bytes: Uint8Array;
}

function seedFiles(): Seed[] {
  const files: Seed[] = [];
  for (const name of [
    "good-featurecollection.geojson",
    "good-feature.geojson",
    "good-geometrycollection.geojson",
    "good-point-3d.geojson",
    "multipolygon.geojson",
    "nullproperties.geojson",
  ]) {
    files.push({ name, bytes: read(`geojsonhint/good/${name}`) });
  }
  files.push({
    name: "helsinki.geojson",
    bytes: utf8(slice("osm/helsinki_centre_highways_lamps.geojson", 2000, 40)),
  });
  files.push({
    name: "helsinki-areas.geojson",
    bytes: utf8(slice("osm/helsinki_centre_highways_lamps.geojson", 2420, 3)),
  });
  files.push({
    name: "utrecht.geojson",
    bytes: latin1(
      slice(
        "lamps/utrecht_mastoverzicht_latin1.geojson",
        1020,
        30,
        (bytes) => decodeText(bytes).text,
      ),
    ),
  });
  files.push({
    name: "sweref.geojson",
    bytes: utf8(
      JSON.stringify({
        type: "FeatureCollection",
        crs: { type: "name", properties: { name: "urn:ogc:def:crs:EPSG::3006" } },
        features: [
          {
            type: "Feature",
            properties: { namn: "Sergels torg" },
            geometry: { type: "Point", coordinates: [674571.9, 6580743.0] },
          },
          {
            type: "Feature",
            properties: { namn: "Område" },
            geometry: {
              type: "Polygon",
              coordinates: [
                [
                  [674500, 6580700],
                  [674600, 6580700],
                  [674600, 6580800],
                  [674500, 6580800],
                  [674500, 6580700],
                ],
              ],
            },
          },
        ],
      }),
    ),
  });
  files.push({
    name: "stolpar.csv",
    bytes: latin1(
      "sep=;\r\nNamn;Lat;Long;Höjd\r\nStortorget;59,3250;18,0707;4,5\r\nÅsögatan;59,3140;18,0790;6\r\nGötgatan;59,3160;18,0720;8\r\n",
    ),
  });
  files.push({
    name: "sweref.csv",
    bytes: utf8('id,N,E,typ\n1,6580743.0,674571.9,LED\n2,6580843.5,674671.2,"Natrium, 70 W"\n'),
  });
  files.push({
    name: "wkt.csv",
    bytes: utf8(
      'WKT;namn\n"POINT (18.07 59.33)";a\n"LINESTRING (18.07 59.33, 18.08 59.34)";b\n"POLYGON ((18 59, 18.1 59, 18.1 59.1, 18 59.1, 18 59))";c\n',
    ),
  });
  files.push({
    name: "xy.csv",
    bytes: utf8("X\tY\tnote\n6580743\t674572\tx = north\n6581000\t674000\t\n"),
  });
  return files;
}

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)]!;
const int = (random: Random, max: number) => Math.floor(random() * max);

const INSERTS = [
  "[",
  "]",
  "{",
  "}",
  ",",
  '"',
  ":",
  "-",
  "1e999",
  "null",
  ";",
  "\n",
  "\r",
  "\u00e9",
  "NaN",
  "\\",
  "0",
  ".",
];

/** Values to put where a JSON value was. */
function strangeValue(random: Random): unknown {
  return pick(random, [
    () => null,
    () => "12.5",
    () => "",
    () => true,
    () => 1e308,
    () => -1e308,
    () => 0,
    () => [],
    () => ({}),
    () => [null, "x"],
    () => {
      let nested: unknown = [1, 2];
      for (let depth = 0; depth < 500 + int(random, 3000); depth++) nested = [nested];
      return nested;
    },
    () => {
      let nested: unknown = { type: "Point", coordinates: [1, 2] };
      for (let depth = 0; depth < 20 + int(random, 200); depth++) {
        nested = { type: "GeometryCollection", geometries: [nested] };
      }
      return nested;
    },
    () => "<img src=x onerror=alert(1)>",
    () => ({
      type: "Polygon",
      coordinates: [
        [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 0.5],
        ],
      ],
    }),
  ])();
}

/** Replace a random value inside parsed JSON. */
function mutateJson(random: Random, text: string): string {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return text;
  }
  const containers: (Record<string, unknown> | unknown[])[] = [];
  const walk = (value: unknown, depth: number) => {
    if (depth > 12 || value === null || typeof value !== "object") return;
    containers.push(value as Record<string, unknown> | unknown[]);
    for (const child of Object.values(value)) walk(child, depth + 1);
  };
  walk(root, 0);
  if (containers.length === 0) return text;
  const container = pick(random, containers);
  const keys = Object.keys(container);
  if (keys.length === 0) return text;
  const key = pick(random, keys);
  const action = int(random, 4);
  if (Array.isArray(container)) {
    const index = Number(key);
    if (action === 0) container.splice(index, 1);
    else if (action === 1) container.push(container[index]);
    else container[index] = strangeValue(random);
  } else if (action === 0) {
    delete container[key];
  } else {
    container[key] = strangeValue(random);
  }
  const out = JSON.stringify(root);
  // Numbers JSON.stringify cannot write: infinities as 1e999.
  return random() < 0.2 ? out.replace(/1e\+308/, "1e999") : out;
}

function mutateBytes(random: Random, bytes: Uint8Array): Uint8Array {
  const array = Array.from(bytes);
  const at = int(random, array.length + 1);
  switch (int(random, 5)) {
    case 0: // cut off
      return Uint8Array.from(array.slice(0, at));
    case 1: // flip bits
      if (array.length > 0) array[Math.min(at, array.length - 1)]! ^= 1 << int(random, 8);
      return Uint8Array.from(array);
    case 2: // delete a run
      array.splice(at, 1 + int(random, 20));
      return Uint8Array.from(array);
    case 3: {
      // repeat a run
      const run = array.slice(at, at + 1 + int(random, 30));
      array.splice(at, 0, ...run);
      return Uint8Array.from(array);
    }
    default: {
      const insert = Array.from(utf8(pick(random, INSERTS)));
      array.splice(at, 0, ...insert);
      return Uint8Array.from(array);
    }
  }
}

function mutate(random: Random, seed: Seed): Seed {
  let bytes = seed.bytes;
  const rounds = 1 + int(random, 3);
  for (let round = 0; round < rounds; round++) {
    if (seed.name.endsWith(".geojson") && random() < 0.5) {
      bytes = utf8(mutateJson(random, new TextDecoder().decode(bytes)));
    } else {
      bytes = mutateBytes(random, bytes);
    }
  }
  return { name: seed.name, bytes };
}

const isPosition = (value: unknown): boolean =>
  Array.isArray(value) &&
  value.length === 2 &&
  typeof value[0] === "number" &&
  typeof value[1] === "number" &&
  value[0] >= -180 &&
  value[0] <= 180 &&
  value[1] >= -90 &&
  value[1] <= 90;

const isLine = (value: Position[], minimum: number) =>
  Array.isArray(value) && value.length >= minimum && value.every(isPosition);

const isRing = (ring: Position[]) =>
  isLine(ring, 4) && ring[0]![0] === ring.at(-1)![0] && ring[0]![1] === ring.at(-1)![1];

const isPolygon = (rings: Position[][]) =>
  Array.isArray(rings) && rings.length > 0 && rings.every(isRing);

/** Independent of the importer's own checks: valid RFC 7946 geometry in WGS 84 range. */
function validGeometry(geometry: Geometry): boolean {
  switch (geometry.type) {
    case "Point":
      return isPosition(geometry.coordinates);
    case "MultiPoint":
      return geometry.coordinates.length > 0 && geometry.coordinates.every(isPosition);
    case "LineString":
      return isLine(geometry.coordinates, 2);
    case "MultiLineString":
      return (
        geometry.coordinates.length > 0 && geometry.coordinates.every((line) => isLine(line, 2))
      );
    case "Polygon":
      return isPolygon(geometry.coordinates);
    case "MultiPolygon":
      return geometry.coordinates.length > 0 && geometry.coordinates.every(isPolygon);
    default:
      return false;
  }
}

/** Codes whose templates live elsewhere (import-messages.ts GENERAL). */
const GENERAL_CODES = new Set(["empty_file", "not_geodata"]);

function checkIssue(issue: ImportIssue, problems: string[]): void {
  if (!(typeof issue.where === "string" && issue.where.length > 0))
    problems.push("issue without where");
  if (!(typeof issue.code === "string" && issue.code.length > 0))
    problems.push("issue without code");
  if (!(typeof issue.message === "string" && issue.message.length > 0))
    problems.push("issue without message");
  if (GENERAL_CODES.has(issue.code)) return;
  const templates = IMPORT_MESSAGES_CORE[issue.code];
  if (!templates) {
    problems.push(`no sv/en template for ${issue.code}`);
    return;
  }
  for (const template of [templates.sv, templates.en]) {
    for (const [, name] of template.matchAll(/\{(\w+)\}/g)) {
      if (name !== "where" && !(issue.params && name! in issue.params)) {
        problems.push(
          `${issue.code}: template needs {${name}}, params ${JSON.stringify(issue.params)}`,
        );
      }
    }
  }
}

function problemsOf(result: ImportResult): string[] {
  const problems: string[] = [];
  if (!result.ok) {
    checkIssue(result.issue, problems);
    return problems;
  }
  if (result.totalFeatures < 1) problems.push("ok with no features seen");
  for (const [index, feature] of result.features.entries()) {
    if (feature.type !== "Feature") problems.push(`features[${index}] is not a Feature`);
    if (!validGeometry(feature.geometry)) {
      problems.push(
        `features[${index}] has invalid geometry ${JSON.stringify(feature.geometry).slice(0, 200)}`,
      );
    }
    const properties = feature.properties;
    if (properties === null || typeof properties !== "object" || Array.isArray(properties)) {
      problems.push(`features[${index}] properties are not an object`);
    }
  }
  for (const issue of [...result.rejected, ...result.repaired]) checkIssue(issue, problems);
  return problems;
}

async function runCase(caseSeed: number, seeds: readonly Seed[]): Promise<string[]> {
  const random = mulberry32(caseSeed);
  const input = mutate(random, pick(random, seeds));
  let result: ImportResult;
  try {
    result = await importFile({ name: input.name, bytes: input.bytes });
  } catch (error) {
    return [`${input.name} threw: ${error instanceof Error ? error.stack : String(error)}`];
  }
  return problemsOf(result).map((problem) => `${input.name}: ${problem}`);
}

test(`fuzz: ${CASES} mutated GeoJSON and CSV files never crash the importer`, async () => {
  const seeds = seedFiles();
  // The unmutated files import cleanly (the fuzz starts from valid input).
  for (const seed of seeds) {
    const result = await importFile(seed);
    expect(result.ok, seed.name).toBe(true);
    expect(problemsOf(result), seed.name).toEqual([]);
  }
  // A fixed default keeps CI repeatable; FUZZ_SEED=random explores new cases locally.
  const baseSeed =
    process.env.FUZZ_SEED === "random"
      ? Math.floor(Math.random() * 2 ** 31)
      : Number(process.env.FUZZ_SEED ?? 20261122);
  console.log(`import fuzz seed: ${baseSeed} (rerun with FUZZ_SEED=${baseSeed})`);
  const failures: string[] = [];
  const outcomes = { failure: 0, success: 0 };
  const caseSeeds = [
    ...PINNED_CASE_SEEDS,
    ...Array.from({ length: CASES }, (_, index) => (baseSeed + index) >>> 0),
  ];
  for (const caseSeed of caseSeeds) {
    const problems = await runCase(caseSeed, seeds);
    if (problems.length > 0)
      failures.push(`case seed ${caseSeed}: ${problems.slice(0, 3).join("; ")}`);
  }
  for (let caseSeed = baseSeed; caseSeed < baseSeed + 50; caseSeed++) {
    const random = mulberry32(caseSeed);
    const input = mutate(random, pick(random, seeds));
    const result = await importFile({ name: input.name, bytes: input.bytes });
    outcomes[result.ok ? "success" : "failure"]++;
  }
  console.log(`first 50 cases: ${outcomes.success} imported, ${outcomes.failure} refused`);
  expect(failures.slice(0, 10)).toEqual([]);
}, 60_000);
