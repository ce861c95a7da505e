import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync, strToU8, zlibSync } from "fflate";
import type { Feature, FeatureCollection, Geometry, Position } from "geojson";
import { describe, expect, it } from "vitest";
import { IMPORT_MESSAGES_FORMATS } from "../../i18n/import-messages-formats";
import { mulberry32 } from "../ids";
import { expectSound, expectTranslatable, mutate, ok } from "./import.fixtures";
import { importOsmPbf, importOsmXml, OSM_REASONS, splitOsmLayers } from "./osm";

const DATA = fileURLToPath(new URL("../../../../shared/data/osm/", import.meta.url));
const read = (name: string) => new Uint8Array(readFileSync(DATA + name));

function countBy(features: readonly Feature[], key: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const feature of features) {
    const value = String(feature.properties?.[key] ?? "(missing)");
    counts[value] = (counts[value] ?? 0) + 1;
  }
  return counts;
}

const xml = (body: string) =>
  strToU8(
    `<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6" generator="test">\n${body}\n</osm>`,
  );

/** Edge cases in one small file: a clipped extract, odd ways, entities and Swedish names. */
const FIXTURE = xml(`
  <bounds minlat="59.0" minlon="18.0" maxlat="59.1" maxlon="18.1"/>
  <node id="1" lat="59.3293000" lon="18.0686000"/>
  <node id="2" lat="59.3294000" lon="18.0687000"/>
  <node id="3" lat="59.3295000" lon="18.0688000"/>
  <node id="4" lat="59.3296000" lon="18.0689000"/>
  <node id="5" lat="59.3297000" lon="18.0690000">
    <tag k="highway" v="street_lamp"/>
    <tag k="lamp_type" v="electric"/>
    <tag k="name" v="Lykta vid Åsögatan &amp; Götgatan"/>
  </node>
  <node id="6" lat="59.3298000" lon="18.0691000">
    <tag k="highway" v="crossing"/>
  </node>
  <node id="7" lat="95.0" lon="18.0">
    <tag k="highway" v="street_lamp"/>
  </node>
  <node id="8" lat="59.33" lon="18.07" action="delete">
    <tag k="highway" v="street_lamp"/>
  </node>
  <way id="100">
    <nd ref="1"/><nd ref="2"/><nd ref="3"/>
    <tag k="highway" v="footway"/>
    <tag k="lit" v="yes"/>
    <tag k="name" v="Gång- &amp; cykelväg vid Ängsö &lt;torg&gt; &#229;&#xE4;"/>
  </way>
  <way id="101">
    <nd ref="1"/><nd ref="999"/><nd ref="2"/><nd ref="3"/>
    <tag k="highway" v="path"/>
  </way>
  <way id="102">
    <nd ref="1"/><nd ref="2"/><nd ref="998"/><nd ref="3"/><nd ref="4"/>
    <tag k="highway" v="residential"/>
  </way>
  <way id="103">
    <nd ref="1"/><nd ref="997"/><nd ref="3"/>
    <tag k="highway" v="steps"/>
  </way>
  <way id="104">
    <nd ref="2"/>
    <tag k="highway" v="service"/>
  </way>
  <way id="105">
    <nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="1"/>
    <tag k="building" v="yes"/>
  </way>
  <way id="106">
    <nd ref="1"/><nd ref="2"/><nd ref="2"/><nd ref="3"/><nd ref="4"/><nd ref="1"/>
    <tag k="highway" v="pedestrian"/>
    <tag k="area" v="yes"/>
    <tag k="name" v="Ängstorget"/>
  </way>
  <relation id="200">
    <member type="way" ref="100" role=""/>
    <tag k="type" v="route"/>
    <tag k="highway" v="footway"/>
  </relation>
`);

describe("OSM XML: a handwritten file with edge cases", () => {
  const resultPromise = importOsmXml({ name: "kanter.osm", bytes: FIXTURE });

  it("keeps highway ways and street lamps, with their tags, @type and @id", async () => {
    const result = ok(await resultPromise);
    expect(result.format).toBe("osm-xml");
    expect(result.sourceCrs).toBe("EPSG:4326");
    expect(result.encoding).toBe("utf-8");
    expect(result.attribution).toBe("© OpenStreetMap contributors");
    const ids = result.features.map((f) => `${f.properties?.["@type"]} ${f.properties?.["@id"]}`);
    // Lamps first (file order), crossings, buildings and relations skipped.
    expect(ids).toEqual(["node 5", "way 100", "way 101", "way 102", "way 106"]);
    const lamp = result.features[0]!;
    expect(lamp.geometry).toEqual({ type: "Point", coordinates: [18.069, 59.3297] });
    expect(lamp.properties).toEqual({
      "@type": "node",
      "@id": 5,
      highway: "street_lamp",
      lamp_type: "electric",
      name: "Lykta vid Åsögatan & Götgatan",
    });
    const footway = result.features[1]!;
    expect(footway.properties?.name).toBe("Gång- & cykelväg vid Ängsö <torg> åä");
    expect(footway.properties?.lit).toBe("yes");
    expect(footway.geometry).toEqual({
      type: "LineString",
      coordinates: [
        [18.0686, 59.3293],
        [18.0687, 59.3294],
        [18.0688, 59.3295],
      ],
    });
  });

  it("keeps the present part of clipped ways and never bridges a gap", async () => {
    const result = ok(await resultPromise);
    const byId = new Map(result.features.map((f) => [f.properties?.["@id"], f.geometry]));
    // 101: node 999 missing after the first node: the run 2–3 is kept.
    expect(byId.get(101)).toEqual({
      type: "LineString",
      coordinates: [
        [18.0687, 59.3294],
        [18.0688, 59.3295],
      ],
    });
    // 102: a gap in the middle: two parts, not a line across the gap.
    expect(byId.get(102)?.type).toBe("MultiLineString");
    expect((byId.get(102) as { coordinates: Position[][] }).coordinates).toHaveLength(2);
    const clipped = result.repaired.filter((issue) => issue.code === OSM_REASONS.wayClipped);
    expect(clipped.map((issue) => issue.where)).toEqual(["way 101", "way 102"]);
    expect(clipped[1]!.params).toEqual({ missing: 1, total: 5, parts: 2 });
  });

  it("rejects ways it cannot draw and lamps without a position, saying where", async () => {
    const result = ok(await resultPromise);
    expect(result.rejected).toEqual([
      expect.objectContaining({ where: "node 7", code: OSM_REASONS.nodeInvalidPosition }),
      expect.objectContaining({
        where: "way 103",
        code: OSM_REASONS.wayNodesMissing,
        params: { present: 2, total: 3 },
      }),
      expect.objectContaining({ where: "way 104", code: OSM_REASONS.wayTooFewNodes }),
    ]);
    expect(result.totalFeatures).toBe(result.features.length + result.rejected.length);
  });

  it("keeps a highway area as its closed outline, repeated nodes dropped", async () => {
    const result = ok(await resultPromise);
    const square = result.features.find((f) => f.properties?.["@id"] === 106)!;
    expect(square.geometry.type).toBe("LineString");
    const coordinates = (square.geometry as { coordinates: Position[] }).coordinates;
    expect(coordinates).toHaveLength(5);
    expect(coordinates[0]).toEqual(coordinates[4]);
    expect(square.properties).toMatchObject({ area: "yes", name: "Ängstorget" });
    expect(result.repaired).toContainEqual(
      expect.objectContaining({ where: "way 106", code: OSM_REASONS.wayRepeatedNode }),
    );
  });

  it("reads ways that come before their nodes (Overpass 'out; >; out skel')", async () => {
    const bytes = xml(`
      <way id="1"><nd ref="10"/><nd ref="11"/><tag k="highway" v="footway"/></way>
      <node id="10" lat="59.1" lon="18.1"/><node id="11" lat="59.2" lon="18.2"/>`);
    const result = ok(await importOsmXml({ name: "overpass.osm", bytes }));
    expect(result.features[0]!.geometry).toEqual({
      type: "LineString",
      coordinates: [
        [18.1, 59.1],
        [18.2, 59.2],
      ],
    });
  });

  it("reads the same file gzipped, whatever its name", async () => {
    const plain = ok(await resultPromise);
    const zipped = ok(await importOsmXml({ name: "kanter.osm", bytes: gzipSync(FIXTURE) }));
    expect(zipped.features).toEqual(plain.features);
  });

  it("honours an XML declaration that names Latin-1", async () => {
    const text = `<?xml version="1.0" encoding="ISO-8859-1"?><osm version="0.6"><node id="1" lat="59" lon="18"><tag k="highway" v="street_lamp"/><tag k="name" v="Skärgårdsvägen"/></node></osm>`;
    const bytes = new Uint8Array([...text].map((c) => c.charCodeAt(0)));
    const result = ok(await importOsmXml({ name: "latin1.osm", bytes }));
    expect(result.encoding).toBe("windows-1252");
    expect(result.features[0]!.properties?.name).toBe("Skärgårdsvägen");
  });
});

describe("OSM XML: files that cannot be imported get one sentence", () => {
  it.each([
    ["truncated XML", xml(`<node id="1" lat="59" lon="18"`), OSM_REASONS.xmlMalformed],
    [
      "an undefined entity",
      xml(`<way id="1"><tag k="name" v="&aring;"/></way>`),
      OSM_REASONS.xmlMalformed,
    ],
    [
      "another XML document",
      strToU8(`<gpx version="1.1"><wpt lat="1" lon="2"/></gpx>`),
      OSM_REASONS.notOsmXml,
    ],
    ["no XML at all", strToU8("hej hopp"), OSM_REASONS.notOsmXml],
    [
      "only buildings",
      xml(
        `<node id="1" lat="59" lon="18"/><way id="2"><nd ref="1"/><tag k="building" v="yes"/></way>`,
      ),
      OSM_REASONS.noHighways,
    ],
    ["a truncated gzip", gzipSync(FIXTURE).subarray(0, 150), OSM_REASONS.gzipDamaged],
  ])("%s", async (_label, bytes, code) => {
    const result = await importOsmXml({ name: "bad.osm", bytes });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expectTranslatable([result.issue]);
    expect(result.issue.code).toBe(code);
    expect(result.issue.where).toBe("file");
    expect(result.issue.message).not.toMatch(/\n/);
  });

  it("says where malformed XML breaks", async () => {
    const result = await importOsmXml({
      name: "bad.osm",
      bytes: xml(`<node id="1" lat="59" lon="18">\n<tag k="a" v="b">\n</node>`),
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issue.params?.line).toBe(5);
  });

  it("passes on Overpass's remark when the answer holds no data", async () => {
    const bytes = xml(
      `<remark> runtime error: Query timed out in "query" at line 3 after 26 seconds. </remark>`,
    );
    const result = await importOsmXml({ name: "overpass.osm", bytes });
    expect(result).toMatchObject({
      ok: false,
      issue: {
        code: OSM_REASONS.overpassRemark,
        params: { remark: expect.stringContaining("timed out") },
      },
    });
  });

  it("stops a gzip that inflates beyond the limit without inflating it all", async () => {
    const huge = gzipSync(new Uint8Array(16 * 1024 * 1024).fill(0x20), { level: 1 });
    const result = await importOsmXml(
      { name: "bomb.osm.gz", bytes: huge },
      undefined,
      4 * 1024 * 1024,
    );
    expect(result).toMatchObject({ ok: false, issue: { code: OSM_REASONS.fileTooLarge } });
  });
});

describe("OSM XML: Berlin Siegessäule (real data, gzipped)", () => {
  it("has the documented 146 highway ways (lit=yes 42) and 47 street lamps (41 lamp_type)", async () => {
    const progress: number[] = [];
    const result = ok(
      await importOsmXml(
        { name: "berlin_siegessaeule.osm.gz", bytes: read("berlin_siegessaeule.osm.gz") },
        (fraction) => progress.push(fraction),
      ),
    );
    const { paths, lamps } = splitOsmLayers(result.features);
    const ways = result.features.filter((f) => f.properties?.["@type"] === "way");
    // An extract from the OSM API: every way is complete, nothing rejected or repaired.
    expect(ways).toHaveLength(146);
    expect(result.rejected).toEqual([]);
    expect(result.repaired).toEqual([]);
    expect(countBy(ways, "lit")).toEqual({ yes: 42, "(missing)": 104 });
    expect(lamps).toHaveLength(47);
    expect(lamps.filter((lamp) => lamp.properties?.lamp_type !== undefined)).toHaveLength(41);
    expect(paths).toHaveLength(146);
    expect(result.totalFeatures).toBe(146 + 47);
    expect(progress.at(-1)).toBe(1);
    expect(progress).toEqual([...progress].sort((x, y) => x - y));
  });
});

describe("OSM PBF: Helsinki centre (real data)", () => {
  const bytes = read("helsinki_centre.osm.pbf");
  const osmium = JSON.parse(
    readFileSync(`${DATA}helsinki_centre_highways_lamps.geojson`, "utf8"),
  ) as FeatureCollection<Geometry>;

  it("imports in well under 2 s with the README's counts", async () => {
    const started = performance.now();
    const result = ok(await importOsmPbf({ name: "helsinki_centre.osm.pbf", bytes }));
    const elapsedMs = performance.now() - started;
    expect(elapsedMs).toBeLessThan(2000);
    expect(result.format).toBe("osm-pbf");
    expect(result.attribution).toBe("© OpenStreetMap contributors");

    const { paths, lamps } = splitOsmLayers(result.features);
    expect(lamps).toHaveLength(586);

    // README: 2,650 highway ways. 2,459 are complete, 118 are clipped at the extract's edge
    // and keep their present part (repaired), 73 have fewer than two consecutive nodes in
    // the file and are rejected.
    const clipped = result.repaired.filter((issue) => issue.code === OSM_REASONS.wayClipped);
    const rejectedWays = result.rejected.filter((issue) => issue.where.startsWith("way "));
    expect(paths).toHaveLength(2577);
    expect(clipped).toHaveLength(118);
    expect(rejectedWays).toHaveLength(73);
    expect(paths.length + rejectedWays.length).toBe(2650);
    expect(result.totalFeatures).toBe(2650 + 586);

    // README's lit counts are over all 2,650 ways: yes 1,523, 24/7 68, no 7, disused 1,
    // missing 1,051. The 73 rejected ways had lit=yes 59 and no lit 14.
    const rejectedIds = new Set(rejectedWays.map((issue) => issue.where));
    expect(rejectedIds.size).toBe(73);
    expect(countBy(paths, "lit")).toEqual({
      yes: 1523 - 59,
      "24/7": 68,
      no: 7,
      disused: 1,
      "(missing)": 1051 - 14,
    });
  });

  it("agrees with osmium's export: same lamps, same lines for complete ways", async () => {
    const result = ok(await importOsmPbf({ name: "helsinki_centre.osm.pbf", bytes }));
    const key = (f: Feature) => `${f.properties?.["@type"]} ${f.properties?.["@id"]}`;
    const ours = new Map(result.features.map((f) => [key(f), f]));

    const osmiumLamps = osmium.features.filter((f) => f.properties?.highway === "street_lamp");
    expect(osmiumLamps).toHaveLength(586);
    const ourLamps = splitOsmLayers(result.features).lamps;
    expect(new Set(ourLamps.map(key))).toEqual(new Set(osmiumLamps.map(key)));
    for (const lamp of osmiumLamps) {
      const mine = ours.get(key(lamp))!;
      expect(mine.geometry).toEqual(lamp.geometry);
      expect(mine.properties).toEqual(lamp.properties);
    }

    // osmium writes complete ways only: 2,417 lines and 42 area=yes ways as polygons only.
    const osmiumLines = osmium.features.filter((f) => f.geometry.type === "LineString");
    const areaOnly = osmium.features.filter(
      (f) => f.geometry.type === "MultiPolygon" && !osmiumLines.some((l) => key(l) === key(f)),
    );
    expect(osmiumLines).toHaveLength(2417);
    expect(areaOnly).toHaveLength(42);
    for (const line of osmiumLines) {
      const mine = ours.get(key(line));
      expect(mine?.geometry, key(line)).toEqual(line.geometry);
      expect(mine?.properties).toEqual(line.properties);
    }
    // The area=yes ways are closed lines here: their outline is osmium's outer ring.
    for (const area of areaOnly) {
      const mine = ours.get(key(area))!;
      expect(mine.geometry.type).toBe("LineString");
      expect(mine.properties?.area).toBe("yes");
      const ring = (area.geometry as { coordinates: Position[][][] }).coordinates[0]![0]!;
      const outline = (mine.geometry as { coordinates: Position[] }).coordinates;
      expect(new Set(outline.map(String))).toEqual(new Set(ring.map(String)));
    }
  });

  it("refuses what is not a PBF file, a truncated one, and a history file", async () => {
    const notPbf = await importOsmPbf({ name: "x.osm.pbf", bytes: FIXTURE });
    expect(notPbf).toMatchObject({ ok: false, issue: { code: OSM_REASONS.notOsmPbf } });

    const truncated = await importOsmPbf({ name: "x.osm.pbf", bytes: bytes.subarray(0, 200_000) });
    expect(truncated).toMatchObject({
      ok: false,
      issue: { where: "file", code: OSM_REASONS.pbfDamaged },
    });

    const history = await importOsmPbf({
      name: "history.osm.pbf",
      bytes: pbfHeaderOnly(["OsmSchema-V0.6", "HistoricalInformation"]),
    });
    expect(history).toMatchObject({
      ok: false,
      issue: { code: OSM_REASONS.pbfUnsupportedFeature },
    });
    expect(history.ok ? "" : history.issue.message).toMatch(/history/);
  });
});

describe("splitOsmLayers", () => {
  it("puts highway lines in paths and street-lamp points in lamps, nothing else", () => {
    const feature = (type: Geometry["type"], highway?: string): Feature =>
      ({
        type: "Feature",
        geometry: { type, coordinates: [] },
        properties: highway ? { highway } : {},
      }) as unknown as Feature;
    const features = [
      feature("LineString", "footway"),
      feature("MultiLineString", "path"),
      feature("Point", "street_lamp"),
      feature("Point", "crossing"),
      feature("LineString", "street_lamp"),
      feature("LineString"),
      feature("Polygon", "pedestrian"),
    ];
    const { paths, lamps } = splitOsmLayers(features);
    expect(paths).toEqual([features[0], features[1]]);
    expect(lamps).toEqual([features[2]]);
  });
});

/** A PBF file with only an OSMHeader block that requires the given features. */
function pbfHeaderOnly(required: string[]): Uint8Array {
  const varint = (value: number) => {
    const out: number[] = [];
    while (value >= 0x80) {
      out.push((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    out.push(value);
    return out;
  };
  const bytesField = (field: number, data: Uint8Array | number[]) => [
    ...varint((field << 3) | 2),
    ...varint(data.length),
    ...data,
  ];
  const headerBlock = required.flatMap((feature) => bytesField(4, strToU8(feature)));
  const zlib = zlibSync(new Uint8Array(headerBlock));
  const blob = [...varint((2 << 3) | 0), ...varint(headerBlock.length), ...bytesField(3, zlib)];
  const blobHeader = [
    ...bytesField(1, strToU8("OSMHeader")),
    ...varint((3 << 3) | 0),
    ...varint(blob.length),
  ];
  const length = [0, 0, (blobHeader.length >> 8) & 0xff, blobHeader.length & 0xff];
  return new Uint8Array([...length, ...blobHeader, ...blob]);
}

describe("messages", () => {
  it("every reason code has Swedish and English text with the same placeholders", () => {
    for (const code of Object.values(OSM_REASONS)) {
      const template = IMPORT_MESSAGES_FORMATS[code];
      expect(template, code).toBeDefined();
      const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(names(template!.sv), code).toEqual(names(template!.en));
    }
  });
});

/** The header block and the first `count` data blocks of a PBF file: a smaller valid file. */
function firstBlocks(bytes: Uint8Array, count: number): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  for (let block = 0; block <= count; block += 1) {
    const headerLength = view.getInt32(offset, false);
    // BlobHeader: field 1 (type, string), then field 3 (datasize, varint).
    let at = offset + 4;
    const end = at + headerLength;
    let dataSize = 0;
    while (at < end) {
      const key = bytes[at++]!;
      if (key === 0x0a) at += 1 + bytes[at]!;
      else if (key === 0x18) {
        let shift = 0;
        let byte = 0;
        do {
          byte = bytes[at++]!;
          dataSize += (byte & 0x7f) * 2 ** shift;
          shift += 7;
        } while (byte >= 0x80);
      } else throw new Error("unexpected BlobHeader field");
    }
    offset = end + dataSize;
  }
  return bytes.slice(0, offset);
}

describe("seeded fuzz: mutated OSM files never crash the importer", () => {
  const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
  it(`300 mutated XML, gzipped XML and PBF files (seed ${seed})`, async () => {
    const random = mulberry32(seed);
    const pbf = firstBlocks(read("helsinki_centre.osm.pbf"), 2);
    expect(
      ok(await importOsmPbf({ name: "small.osm.pbf", bytes: pbf })).features.length,
    ).toBeGreaterThan(0);
    const seeds = [
      { name: "kanter.osm", bytes: FIXTURE, run: importOsmXml },
      { name: "kanter.osm.gz", bytes: gzipSync(FIXTURE), run: importOsmXml },
      { name: "small.osm.pbf", bytes: pbf, run: importOsmPbf },
    ];
    for (let i = 0; i < 300; i += 1) {
      const source = seeds[i % seeds.length]!;
      const bytes = mutate(source.bytes, random);
      const label = `seed ${seed}, case ${i} (${source.name})`;
      const result = await source.run({ name: source.name, bytes });
      expectSound(result, label);
    }
  }, 60_000);
});
