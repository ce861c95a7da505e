/**
 * For the byte scanner's tests (geojson-scan.test.ts, lighting/inputs-scan.test.ts): seeded
 * random clean FeatureCollections in the layouts real writers use, and seeded mutations of
 * their text that break them in the ways files break (and in ways that keep them valid).
 */
import type { Position } from "geojson";
import { mutate } from "./import.fixtures";

const encoder = new TextEncoder();

const pick = <T>(random: () => number, list: readonly T[]): T =>
  list[Math.floor(random() * list.length)]!;

/** Degrees with 0 to 7 decimals, inside [low, high]. */
function degrees(random: () => number, low: number, high: number): number {
  const decimals = Math.floor(random() * 8);
  const factor = 10 ** decimals;
  return Math.round((low + random() * (high - low)) * factor) / factor;
}

/** A line of distinct consecutive positions near (lon, lat). */
function line(random: () => number, lon: number, lat: number, count: number): Position[] {
  const positions: Position[] = [];
  while (positions.length < count) {
    const position = [
      degrees(random, lon - 0.01, lon + 0.01),
      degrees(random, lat - 0.01, lat + 0.01),
    ];
    const last = positions[positions.length - 1];
    if (last && last[0] === position[0] && last[1] === position[1]) continue;
    positions.push(position);
  }
  return positions;
}

/** A ring around (lon, lat): counterclockwise for an outer ring, clockwise for a hole. */
function ring(lon: number, lat: number, size: number, outer: boolean): Position[] {
  const corners: Position[] = [
    [lon - size, lat - size],
    [lon + size, lat - size],
    [lon + size, lat + size],
    [lon - size, lat + size],
  ].map(([x, y]) => [Math.round(x! * 1e7) / 1e7, Math.round(y! * 1e7) / 1e7]);
  const ordered = outer ? corners : [...corners].reverse();
  return [...ordered, ordered[0]!];
}

const KEYS = [
  "name",
  "namn",
  "höjd",
  "height",
  "Height",
  "lit",
  "belyst",
  "highway",
  "footway",
  "ref",
  "stolpnummer",
  "@id",
  "@type",
  "status",
  "path_class",
  "klass",
  "ljusflöde",
  "effekt",
  "surface",
  "id",
  "",
  "a b",
];

const VALUES: readonly unknown[] = [
  "yes",
  "no",
  "24/7",
  "Gärdet",
  'quote " and \\ backslash',
  "tab\tnew\nline",
  "\u2028",
  "🙂",
  "",
  "  4,5 m ",
  "trasig",
  "removed",
  "street_lamp",
  "footway",
  "sidewalk",
  "main_route",
  "school_route",
  "node",
  "way",
  0,
  5,
  4.5,
  -12.25,
  1e21,
  1.5e-7,
  123456789012345680000,
  0.1,
  9007199254740994,
  true,
  false,
  null,
];

function properties(random: () => number): Record<string, unknown> | null {
  if (random() < 0.05) return null;
  const result: Record<string, unknown> = {};
  const count = Math.floor(random() * 6);
  for (let i = 0; i < count; i++) result[pick(random, KEYS)] = pick(random, VALUES);
  if (random() < 0.5) {
    result["@type"] = pick(random, ["node", "way"]);
    result["@id"] =
      random() < 0.8 ? Math.floor(random() * 1e9) : `way/${Math.floor(random() * 1e6)}`;
  }
  return result;
}

function geometry(random: () => number): { type: string; coordinates: unknown } {
  const lon = degrees(random, -170, 170);
  const lat = degrees(random, -80, 80);
  switch (Math.floor(random() * 10)) {
    case 0:
    case 1:
    case 2:
      return { type: "Point", coordinates: [lon, lat] };
    case 3:
      return {
        type: "MultiPoint",
        coordinates: line(random, lon, lat, 1 + Math.floor(random() * 3)),
      };
    case 4:
      return {
        type: "MultiLineString",
        coordinates: [line(random, lon, lat, 2), line(random, lon, lat, 3)],
      };
    case 5:
      return {
        type: "Polygon",
        coordinates:
          random() < 0.5
            ? [ring(lon, lat, 0.01, true)]
            : [ring(lon, lat, 0.01, true), ring(lon, lat, 0.002, false)],
      };
    case 6:
      return {
        type: "MultiPolygon",
        coordinates: [[ring(lon, lat, 0.01, true)], [ring(lon + 0.05, lat, 0.01, true)]],
      };
    default:
      return {
        type: "LineString",
        coordinates: line(random, lon, lat, 2 + Math.floor(random() * 6)),
      };
  }
}

/**
 * A random clean FeatureCollection as text, in one of the layouts real files have: compact
 * with the geometry first (JSON.stringify, osmium), indented, the properties first (GDAL),
 * with ids, and with members Lykta does not read on the collection and on features.
 */
export function cleanCollectionText(random: () => number, featureCount: number): string {
  const layout = Math.floor(random() * 5);
  const features = [];
  for (let i = 0; i < featureCount; i++) {
    const shape = geometry(random);
    const props = properties(random);
    const id = random() < 0.3 ? pick(random, [i, `f${i}`, null, 0.5, ""]) : undefined;
    let feature: Record<string, unknown>;
    if (layout === 2) feature = { type: "Feature", properties: props, geometry: shape };
    else if (layout === 3)
      feature = { type: "Feature", id: id ?? i, properties: props, geometry: shape };
    else feature = { type: "Feature", geometry: shape, properties: props };
    if (id !== undefined && layout !== 3) feature.id = id;
    if (layout === 4 && random() < 0.3) feature.extra = { nested: [1, { a: "b" }], flag: true };
    features.push(feature);
  }
  const collection: Record<string, unknown> =
    layout === 4
      ? {
          type: "FeatureCollection",
          name: "test",
          crs: null,
          features,
          lykta: { formatVersion: 1 },
        }
      : { type: "FeatureCollection", features };
  return layout === 1 ? JSON.stringify(collection, null, 2) : JSON.stringify(collection);
}

/** Snippets that break a file, or keep it valid JSON and change what it means. */
const SNIPPETS = [
  ",",
  " ",
  "\n",
  "\t",
  '"x":1,',
  '"bbox":[0,0,1,1],',
  '"id":true,',
  '"__proto__":1,',
  '"1":2,',
  '"properties":{},',
  '"type":"Feature",',
  '"crs":{"type":"name"},',
  "0",
  "-",
  "1e5",
  ".5",
  "\\u0041",
  "\\",
  '"',
  "null",
  "[]",
  "{}",
  "ä",
  "\uFEFF",
  "\u0000",
];

/** Number literals that JSON allows (or not) in place of a coordinate or a value. */
const NUMBERS = [
  "16.44244321",
  "16.4424432e0",
  "1.0",
  "-0",
  "0",
  "1E2",
  "016.4",
  "16.",
  "1e999",
  "180.0000001",
  "-180",
  "90.0000000",
  "12345678901234567890",
  "0.00000001",
  "1e-7",
  "-",
];

/**
 * A seeded mutation of a file's text: the importer fixture's byte mutations (cut, bytes
 * overwritten, a range deleted or repeated), a snippet inserted, or a number replaced.
 */
export function mutateText(text: string, random: () => number): Uint8Array {
  const choice = random();
  if (choice < 0.4) return mutate(encoder.encode(text), random);
  if (choice < 0.7) {
    const at = Math.floor(random() * text.length);
    return encoder.encode(text.slice(0, at) + pick(random, SNIPPETS) + text.slice(at));
  }
  const numbers = [...text.matchAll(/-?\d+(\.\d+)?([eE][+-]?\d+)?/g)];
  if (numbers.length === 0) return encoder.encode(text);
  const found = pick(random, numbers);
  const at = found.index!;
  return encoder.encode(
    text.slice(0, at) + pick(random, NUMBERS) + text.slice(at + found[0].length),
  );
}
