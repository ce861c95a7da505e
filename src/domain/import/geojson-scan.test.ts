/**
 * The byte scanner (geojson-scan.ts) against JSON.parse as the oracle: whenever it accepts a
 * file, its features are exactly readCleanGeoJson's (JSON.parse and the clean-file checks),
 * key order and -0 included; whenever that reading would not take the file as it is, the
 * scanner refuses it, so the caller falls back and every message stays the importer's. On
 * real files, on the geojsonhint suite, on hand-made cases and on seeded random and mutated
 * files (seeds printed; a failing one is pinned in PINNED_SEEDS).
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { seededCityNetwork } from "../../../test/fixtures/city";
import { mulberry32 } from "../ids";
import { readCleanGeoJson } from "./geojson-fast";
import { scanFeatures, scanGeoJson } from "./geojson-scan";
import { cleanCollectionText, mutateText } from "./geojson-scan.fixtures";

const SHARED = new URL("../../../../shared/data/", import.meta.url);
const utf8 = (text: string) => new TextEncoder().encode(text);

/**
 * What the oracle reads from the bytes, and whether the scanner agrees: "accepted" (equal
 * features), "refused" (null), or a failure that says what differs.
 */
function compare(bytes: Uint8Array): "accepted" | "refused" {
  const oracle = readCleanGeoJson(bytes);
  const scan = scanGeoJson(bytes);
  if (scan === null) return "refused";
  expect(oracle, "the scanner accepted what the clean reading refuses").not.toBeNull();
  const features = scanFeatures(scan);
  expect(features).toEqual(oracle!.features);
  // toEqual ignores key order; propertyNames (the field mapping) does not.
  for (let f = 0; f < features.length; f++) {
    expect(Object.keys(features[f]!.properties)).toEqual(
      Object.keys(oracle!.features[f]!.properties ?? {}),
    );
  }
  expect(oracle!.encoding).toBe("utf-8");
  return "accepted";
}

describe("real files", () => {
  const city = seededCityNetwork({ seed: 20_271_201, sideM: 3000 });
  const files: [string, Uint8Array][] = [
    ["the synthetic city's paths", utf8(JSON.stringify(city.paths))],
    ["the synthetic city's lamps", utf8(JSON.stringify(city.lamps))],
    [
      "Helsinki (osmium)",
      new Uint8Array(readFileSync(new URL("osm/helsinki_centre_highways_lamps.geojson", SHARED))),
    ],
    [
      "Montpellier (ids before properties)",
      new Uint8Array(readFileSync(new URL("lamps/montpellier_eclairage_public.geojson", SHARED))),
    ],
  ];
  test.each(files)("%s: accepted, the same features as JSON.parse", (_name, bytes) => {
    expect(compare(bytes)).toBe("accepted");
  });

  test("Utrecht (Latin-1): refused, so the importer decodes it as Windows-1252", () => {
    const bytes = new Uint8Array(
      readFileSync(new URL("lamps/utrecht_mastoverzicht_latin1.geojson", SHARED)),
    );
    expect(scanGeoJson(bytes)).toBeNull();
    expect(readCleanGeoJson(bytes)?.encoding).toBe("windows-1252");
  });

  test("the same file indented, and with a byte order mark", () => {
    expect(compare(utf8(JSON.stringify(city.lamps, null, 2)))).toBe("accepted");
    expect(compare(utf8(`\uFEFF${JSON.stringify(city.paths)}`))).toBe("accepted");
  });
});

describe("the geojsonhint suite", () => {
  const folder = new URL("geojsonhint/", SHARED);
  const files = ["good", "bad"].flatMap((kind) =>
    readdirSync(new URL(`${kind}/`, folder))
      .filter((name) => name.endsWith(".geojson"))
      .map(
        (name) =>
          [
            `${kind}/${name}`,
            new Uint8Array(readFileSync(new URL(`${kind}/${name}`, folder))),
          ] as const,
      ),
  );

  test.each(files)("%s: as the clean reading", (_name, bytes) => {
    const outcome = compare(bytes);
    // A file the clean reading refuses is refused (compare checks the other direction).
    if (readCleanGeoJson(bytes) === null) expect(outcome).toBe("refused");
  });

  test("a good Feature or geometry inside a clean FeatureCollection: accepted", () => {
    let accepted = 0;
    for (const [name, bytes] of files.filter(([name]) => name.startsWith("good/"))) {
      const value = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
      const feature =
        value.type === "Feature"
          ? { ...value, bbox: undefined }
          : { type: "Feature", geometry: value, properties: { from: name } };
      const text = JSON.stringify({ type: "FeatureCollection", features: [feature] });
      if (compare(utf8(text)) === "accepted") accepted++;
    }
    // The rest have 3D positions, bboxes, null geometries or collections: not clean.
    expect(accepted).toBeGreaterThanOrEqual(6);
  });
});

describe("hand-made cases", () => {
  const point = '{"type":"Feature","geometry":{"type":"Point","coordinates":[18,59]},"properties":';
  const collection = (...features: string[]) =>
    utf8(`{"type":"FeatureCollection","features":[${features.join(",")}]}`);

  const refused: [string, Uint8Array][] = [
    ["an empty collection", utf8('{"type":"FeatureCollection","features":[]}')],
    ["a crs", utf8(`{"type":"FeatureCollection","crs":{},"features":[${point}{}}]}`)],
    [
      "a bbox on the collection",
      utf8(`{"type":"FeatureCollection","bbox":[0,0,1,1],"features":[${point}{}}]}`),
    ],
    ["a key with an escape", collection(`${point}{"n\\u0061me":"a"}}`)],
    ["a property key that is a number", collection(`${point}{"12":"a"}}`)],
    ["a __proto__ property", collection(`${point}{"__proto__":"a"}}`)],
    ["a property twice", collection(`${point}{"a":1,"a":2}}`)],
    ["nested properties", collection(`${point}{"a":{"b":1}}}`)],
    ["properties an array", collection(`${point}[]}`)],
    [
      "the type after the coordinates",
      collection(
        '{"type":"Feature","geometry":{"coordinates":[18,59],"type":"Point"},"properties":{}}',
      ),
    ],
    [
      "a third coordinate",
      collection(
        '{"type":"Feature","geometry":{"type":"Point","coordinates":[18,59,3]},"properties":{}}',
      ),
    ],
    [
      "8 decimals",
      collection(
        '{"type":"Feature","geometry":{"type":"Point","coordinates":[18.12345678,59]},"properties":{}}',
      ),
    ],
    [
      "a repeated position",
      collection(
        '{"type":"Feature","geometry":{"type":"LineString","coordinates":[[18,59],[18,59],[18.1,59]]},"properties":{}}',
      ),
    ],
    [
      "a clockwise ring",
      collection(
        '{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[18,59],[18,59.1],[18.1,59],[18,59]]]},"properties":{}}',
      ),
    ],
    [
      "a GeometryCollection",
      collection(
        '{"type":"Feature","geometry":{"type":"GeometryCollection","geometries":[]},"properties":{}}',
      ),
    ],
    ["a null geometry", collection('{"type":"Feature","geometry":null,"properties":{}}')],
    [
      "an id that is true",
      collection('{"type":"Feature","id":true,"geometry":{"type":"Point","coordinates":[18,59]}}'),
    ],
    ["text after the collection", utf8(`{"type":"FeatureCollection","features":[${point}{}}]} x`)],
    ["a cut-off file", utf8(`{"type":"FeatureCollection","features":[${point}{}}`)],
    [
      "a lone continuation byte",
      Uint8Array.from([
        ...utf8(`{"type":"FeatureCollection","features":[${point}{"a":"`),
        0x80,
        ...utf8('"}}]}'),
      ]),
    ],
    [
      "an overlong encoding",
      Uint8Array.from([
        ...utf8(`{"type":"FeatureCollection","features":[${point}{"a":"`),
        0xc0,
        0xaf,
        ...utf8('"}}]}'),
      ]),
    ],
    [
      "an encoded surrogate",
      Uint8Array.from([
        ...utf8(`{"type":"FeatureCollection","features":[${point}{"a":"`),
        0xed,
        0xa0,
        0x80,
        ...utf8('"}}]}'),
      ]),
    ],
  ];
  test.each(refused)("%s: refused", (_name, bytes) => {
    expect(scanGeoJson(bytes)).toBeNull();
    compare(bytes);
  });

  const accepted: [string, Uint8Array][] = [
    [
      "escapes and characters beyond ASCII in values",
      collection(`${point}{"a":"\\u00e4\\n\\"","höjd":"Gärdet 🙂","b":"\\ud800"}}`),
    ],
    [
      "numbers of every form",
      collection(
        `${point}{"a":-0,"b":1e21,"c":1.5E-7,"d":123456789012345678901,"e":0.30000000000000004,"f":-12.5e+2}}`,
      ),
    ],
    [
      "whitespace everywhere",
      utf8(
        ` \r\n{ "type" : "FeatureCollection" , "features" : [ { "type" : "Feature" , "properties" : { "a" : true } , "geometry" : { "type" : "Point" , "coordinates" : [ 18 , 59 ] } } ] }\n`,
      ),
    ],
    [
      "members Lykta does not read",
      utf8(
        `{"name":"x","type":"FeatureCollection","crs":null,"features":[{"extra":[1,{"b":[]}],"type":"Feature","geometry":{"type":"Point","coordinates":[18,59],"geometries":[]},"id":"a","properties":null}]}`,
      ),
    ],
    [
      "a feature type last",
      collection(
        '{"geometry":{"type":"Point","coordinates":[18,59]},"properties":{"a":1},"type":"Feature"}',
      ),
    ],
    [
      "a -0 coordinate",
      collection(
        '{"type":"Feature","geometry":{"type":"Point","coordinates":[-0,59]},"properties":{}}',
      ),
    ],
  ];
  test.each(accepted)("%s: accepted", (_name, bytes) => {
    expect(compare(bytes)).toBe("accepted");
  });
});

/** Seeds that once failed, kept so they keep being checked. */
const PINNED_SEEDS: number[] = [];

describe("seeded random files and mutations of them", () => {
  const seed = Number(process.env.LYKTA_FUZZ_SEED ?? Date.now() % 1_000_000);
  console.log(`geojson-scan fuzz seed ${seed} (LYKTA_FUZZ_SEED=${seed} to repeat)`);

  test.each([...PINNED_SEEDS, seed])("seed %i: random clean files are accepted", (value) => {
    const random = mulberry32(value);
    let accepted = 0;
    for (let i = 0; i < 150; i++) {
      if (
        compare(utf8(cleanCollectionText(random, 1 + Math.floor(random() * 12)))) === "accepted"
      ) {
        accepted++;
      }
    }
    // Refused ones are the narrower cases (e.g. a digit key); most files are plain.
    expect(accepted).toBeGreaterThan(120);
  });

  test.each([...PINNED_SEEDS, seed])(
    "seed %i: mutated files are refused or read the same",
    (value) => {
      const random = mulberry32(value + 1);
      const outcomes = { accepted: 0, refused: 0 };
      for (let i = 0; i < 1500; i++) {
        const text = cleanCollectionText(random, 1 + Math.floor(random() * 4));
        outcomes[compare(mutateText(text, random))]++;
      }
      // Both kinds occur, so both directions were checked.
      expect(outcomes.accepted).toBeGreaterThan(150);
      expect(outcomes.refused).toBeGreaterThan(150);
    },
  );
});
