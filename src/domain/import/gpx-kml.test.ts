import { strToU8 } from "fflate";
import type { Feature } from "geojson";
import { describe, expect, it } from "vitest";
import { IMPORT_MESSAGES_FORMATS } from "../../i18n/import-messages-formats";
import { mulberry32 } from "../ids";
import { GPX_KML_REASONS, importGpx, importKml } from "./gpx-kml";
import { expectSound, expectTranslatable, mutate, ok } from "./import.fixtures";

/** Latin-1 bytes of a string (every character below U+0100). */
function latin1(text: string): Uint8Array {
  return new Uint8Array([...text].map((character) => character.charCodeAt(0)));
}

const byName = (features: Feature[], name: string) =>
  features.filter((feature) => feature.properties?.name === name);

const GPX = `<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="Lykta test" xmlns="http://www.topografix.com/GPX/1/1">
  <metadata><name>Trygghetsvandring Gottsunda</name></metadata>
  <wpt lat="59.8080000" lon="17.6150000">
    <ele>21.5</ele>
    <name>Lekplatsen vid Åsen</name>
    <desc>Mörkt bakom förskolan &amp; cykelstället</desc>
    <sym>Flag</sym>
  </wpt>
  <wpt lon="17.6160000"><name>Utan latitud</name></wpt>
  <wpt lat="59.8090000" lon="17.6170000"><name>Gångtunnel under Väg 55</name></wpt>
  <trk>
    <name>Kvällsrundan, två delar</name>
    <trkseg>
      <trkpt lat="59.8000000" lon="17.6000000"><ele>20</ele><time>2027-10-12T18:00:00Z</time></trkpt>
      <trkpt lat="59.8001000" lon="17.6001000"><ele>21</ele><time>2027-10-12T18:00:05Z</time></trkpt>
      <trkpt lat="59.8001000" lon="17.6001000"><ele>21</ele><time>2027-10-12T18:00:10Z</time></trkpt>
    </trkseg>
    <trkseg>
      <trkpt lat="59.8010000" lon="17.6010000"/>
      <trkpt lat="59.8011000" lon="17.6011000"/>
    </trkseg>
  </trk>
  <trk>
    <name>Stigen längs ån</name>
    <trkseg>
      <trkpt lat="59.8020000" lon="17.6020000"/>
      <trkpt lon="17.6021000"/>
      <trkpt lat="59.8022000" lon="17.6022000"/>
      <trkpt lat="59.8023000" lon="17.6023000"/>
    </trkseg>
    <trkseg><trkpt lat="59.81" lon="17.61"/></trkseg>
  </trk>
  <trk><name>Bara en punkt</name><trkseg><trkpt lat="59.8" lon="17.6"/></trkseg></trk>
  <rte>
    <name>Skolvägen</name>
    <rtept lat="59.8030000" lon="17.6030000"/>
    <rtept lat="59.8031000" lon="17.6031000"/>
    <rtept lat="59.8032000" lon="17.6032000"/>
  </rte>
  <wpt lat="95.5" lon="17.6"><name>Utanför kartan</name></wpt>
</gpx>`;

describe("GPX", () => {
  const resultPromise = importGpx({ name: "runda.gpx", bytes: strToU8(GPX) });

  it("turns tracks into lines (several segments: MultiLineString), routes into lines and waypoints into points", async () => {
    const result = ok(await resultPromise);
    expect(result.format).toBe("gpx");
    expect(result.sourceCrs).toBe("EPSG:4326");
    expect(result.encoding).toBe("utf-8");
    const [twoParts] = byName(result.features, "Kvällsrundan, två delar");
    expect(twoParts!.geometry).toEqual({
      type: "MultiLineString",
      coordinates: [
        [
          [17.6, 59.8],
          [17.6001, 59.8001],
        ],
        [
          [17.601, 59.801],
          [17.6011, 59.8011],
        ],
      ],
    });
    expect(twoParts!.properties).toMatchObject({ _gpxType: "trk" });
    expect(twoParts!.properties).not.toHaveProperty("coordinateProperties");
    const [route] = byName(result.features, "Skolvägen");
    expect(route!.geometry.type).toBe("LineString");
    expect(route!.properties?._gpxType).toBe("rte");
    const [playground] = byName(result.features, "Lekplatsen vid Åsen");
    expect(playground!.geometry).toEqual({ type: "Point", coordinates: [17.615, 59.808] });
    expect(playground!.properties).toMatchObject({
      desc: "Mörkt bakom förskolan & cykelstället",
      sym: "Flag",
    });
    expect(byName(result.features, "Gångtunnel under Väg 55")).toHaveLength(1);
    expect(result.features).toHaveLength(5);
  });

  it("says where each element it could not use is, and what it repaired", async () => {
    const result = ok(await resultPromise);
    expect(result.totalFeatures).toBe(8);
    expect(result.rejected).toEqual([
      expect.objectContaining({ where: "trk[2]", code: GPX_KML_REASONS.lineTooFewPoints }),
      expect.objectContaining({ where: "wpt[1]", code: GPX_KML_REASONS.waypointNoPosition }),
      expect.objectContaining({ where: "wpt[3]", code: "out_of_range" }),
    ]);
    expect(result.rejected[1]!.params).toEqual({ name: "Utan latitud" });
    expect(result.repaired).toEqual([
      expect.objectContaining({
        where: "file",
        code: GPX_KML_REASONS.elevationDropped,
        params: { count: 2 },
      }),
      expect.objectContaining({
        where: "trk[0]",
        code: "duplicate_positions_removed",
        params: { count: 1 },
      }),
      expect.objectContaining({
        where: "trk[1]",
        code: GPX_KML_REASONS.pointsSkipped,
        params: { points: 1, segments: 1 },
      }),
    ]);
    const [river] = byName(result.features, "Stigen längs ån");
    expect(river!.geometry.type).toBe("LineString");
  });

  it("reads a GPX file saved in Windows-1252 without a declaration", async () => {
    const bytes = latin1(
      `<gpx version="1.1"><wpt lat="59.1" lon="18.1"><name>Ödegårdens ängar</name></wpt></gpx>`,
    );
    const result = ok(await importGpx({ name: "gammal.gpx", bytes }));
    expect(result.encoding).toBe("windows-1252");
    expect(result.features[0]!.properties?.name).toBe("Ödegårdens ängar");
  });
});

const KML = `<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2">
  <Document>
    <name>Otrygga platser i Växjö</name>
    <Folder>
      <name>Punkter</name>
      <Placemark>
        <name>Busshållplats Ängby</name>
        <description><![CDATA[<b>Mörkt</b> efter 18 – <script>alert(1)</script>]]></description>
        <ExtendedData><Data name="belysning"><value>nej</value></Data></ExtendedData>
        <Point><coordinates>17.8060,56.8790,0</coordinates></Point>
      </Placemark>
    </Folder>
    <Placemark>
      <name>Gång- och cykelväg längs sjön</name>
      <LineString><coordinates>17.80,56.87 17.81,56.875 17.82,56.88</coordinates></LineString>
    </Placemark>
    <Placemark>
      <name>Parken vid Örnen</name>
      <Polygon><outerBoundaryIs><LinearRing><coordinates>
        17.80,56.87 17.80,56.88 17.81,56.88 17.81,56.87 17.80,56.87
      </coordinates></LinearRing></outerBoundaryIs></Polygon>
    </Placemark>
    <Placemark>
      <name>Två stigar</name>
      <MultiGeometry>
        <LineString><coordinates>17.80,56.87 17.81,56.87</coordinates></LineString>
        <LineString><coordinates>17.82,56.87 17.83,56.87</coordinates></LineString>
      </MultiGeometry>
    </Placemark>
    <Placemark>
      <name>Torget och dess lykta</name>
      <MultiGeometry>
        <Point><coordinates>17.805,56.875</coordinates></Point>
        <Polygon><outerBoundaryIs><LinearRing><coordinates>
          17.80,56.87 17.81,56.87 17.81,56.88 17.80,56.87
        </coordinates></LinearRing></outerBoundaryIs></Polygon>
      </MultiGeometry>
    </Placemark>
    <Placemark><name>Bara ett namn</name></Placemark>
    <Placemark><name>Trasig</name><Point><coordinates>abc,def</coordinates></Point></Placemark>
    <GroundOverlay><name>Flygfoto</name><Icon><href>foto.png</href></Icon>
      <LatLonBox><north>56.9</north><south>56.8</south><east>17.9</east><west>17.7</west></LatLonBox>
    </GroundOverlay>
  </Document>
</kml>`;

describe("KML", () => {
  const resultPromise = importKml({ name: "vaxjo.kml", bytes: strToU8(KML) });

  it("reads points, lines, polygons and MultiGeometry with names and extended data", async () => {
    const result = ok(await resultPromise);
    expect(result.format).toBe("kml");
    const [stop] = byName(result.features, "Busshållplats Ängby");
    expect(stop!.geometry).toEqual({ type: "Point", coordinates: [17.806, 56.879] });
    expect(stop!.properties).toMatchObject({ belysning: "nej" });
    // HTML in a description is data: kept as the text it is (the UI shows it as text).
    expect(JSON.stringify(stop!.properties)).toContain("<script>alert(1)</script>");
    expect(byName(result.features, "Gång- och cykelväg längs sjön")[0]!.geometry.type).toBe(
      "LineString",
    );
    const [park] = byName(result.features, "Parken vid Örnen");
    // Written clockwise in the file; RFC 7946 wants the outer ring counterclockwise.
    expect(park!.geometry).toEqual({
      type: "Polygon",
      coordinates: [
        [
          [17.8, 56.87],
          [17.81, 56.87],
          [17.81, 56.88],
          [17.8, 56.88],
          [17.8, 56.87],
        ],
      ],
    });
    expect(byName(result.features, "Två stigar")[0]!.geometry.type).toBe("MultiLineString");
    const square = byName(result.features, "Torget och dess lykta");
    expect(square.map((feature) => feature.geometry.type)).toEqual(["Point", "Polygon"]);
  });

  it("lists placemarks without geometry, broken coordinates and overlays, by index", async () => {
    const result = ok(await resultPromise);
    expect(result.totalFeatures).toBe(8);
    expect(result.features).toHaveLength(6);
    expect(result.rejected).toEqual([
      expect.objectContaining({
        where: "Placemark[5]",
        code: GPX_KML_REASONS.placemarkNoGeometry,
        params: { name: "Bara ett namn" },
      }),
      // togeojson drops coordinates that are not numbers, leaving no geometry.
      expect.objectContaining({
        where: "Placemark[6]",
        code: GPX_KML_REASONS.placemarkNoGeometry,
      }),
      expect.objectContaining({ where: "GroundOverlay[0]", code: GPX_KML_REASONS.overlaySkipped }),
    ]);
    expect(result.repaired).toEqual([
      expect.objectContaining({ where: "file", code: GPX_KML_REASONS.elevationDropped }),
      expect.objectContaining({
        where: "Placemark[4]",
        code: GPX_KML_REASONS.multiGeometrySplit,
        params: { count: 2, kinds: "Point, Polygon" },
      }),
    ]);
  });

  it("honours an XML declaration naming ISO-8859-1", async () => {
    const bytes = latin1(
      `<?xml version="1.0" encoding="ISO-8859-1"?><kml><Placemark><name>Säby gård</name><Point><coordinates>18.0,59.3</coordinates></Point></Placemark></kml>`,
    );
    const result = ok(await importKml({ name: "saby.kml", bytes }));
    expect(result.encoding).toBe("windows-1252");
    expect(result.features[0]!.properties?.name).toBe("Säby gård");
  });
});

describe("GPX and KML that cannot be imported get one sentence", () => {
  it("says where malformed XML breaks", async () => {
    const bytes = strToU8(
      `<gpx version="1.1">\n  <wpt lat="59" lon="18">\n    <name>Åsen</name>\n</gpx>`,
    );
    const result = await importGpx({ name: "trasig.gpx", bytes });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issue).toMatchObject({
      where: "file",
      code: GPX_KML_REASONS.xmlMalformed,
      // xmldom places the error where it last read: the unclosed <wpt>'s content.
      params: { kind: "GPX", line: 3 },
    });
    expect(result.issue.message).toMatch(/^the GPX file is not well-formed XML near line 3/);
    expect(result.issue.message).not.toMatch(/\n/);
  });

  it.each([
    ["a KML file named .gpx", importGpx, `<kml><Placemark/></kml>`, GPX_KML_REASONS.notGpx],
    [
      "a GPX file named .kml",
      importKml,
      `<gpx><wpt lat="1" lon="2"/></gpx>`,
      GPX_KML_REASONS.notKml,
    ],
    ["text that is not XML", importKml, "Det här är ingen KML-fil.", GPX_KML_REASONS.notXml],
    [
      "an undefined entity",
      importKml,
      `<kml><Placemark><name>&aring;</name></Placemark></kml>`,
      GPX_KML_REASONS.xmlMalformed,
    ],
    ["an empty file", importGpx, "", GPX_KML_REASONS.notXml],
    ["an empty GPX", importGpx, `<gpx version="1.1"><metadata/></gpx>`, GPX_KML_REASONS.noFeatures],
    [
      "a KML without placemarks",
      importKml,
      `<kml><Document><name>Tom</name></Document></kml>`,
      GPX_KML_REASONS.noFeatures,
    ],
  ])("%s", async (_label, importer, text, code) => {
    const result = await importer({ name: "fil", bytes: strToU8(text) });
    if (!result.ok) expectTranslatable([result.issue]);
    expect(result).toMatchObject({ ok: false, issue: { where: "file", code } });
  });
});

describe("messages", () => {
  it("every reason code has Swedish and English text with the same placeholders", () => {
    for (const code of Object.values(GPX_KML_REASONS)) {
      const template = IMPORT_MESSAGES_FORMATS[code];
      expect(template, code).toBeDefined();
      const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(names(template!.sv), code).toEqual(names(template!.en));
    }
  });
});

describe("seeded fuzz: mutated GPX and KML files never crash the importer", () => {
  const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
  it(`400 mutated files (seed ${seed})`, async () => {
    const random = mulberry32(seed);
    const seeds = [
      { name: "runda.gpx", bytes: strToU8(GPX), run: importGpx },
      { name: "vaxjo.kml", bytes: strToU8(KML), run: importKml },
    ];
    for (let i = 0; i < 400; i += 1) {
      const source = seeds[i % seeds.length]!;
      const bytes = mutate(source.bytes, random);
      expectSound(
        await source.run({ name: source.name, bytes }),
        `seed ${seed}, case ${i} (${source.name})`,
      );
    }
  }, 60_000);
});
