import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { gridNamed } from "./tile-grid";
import {
  epsgCode,
  parseWmtsCapabilities,
  type WmtsTileMatrixSet,
  webMercatorGrid,
  wmtsChoices,
  wmtsTemplateToXyz,
} from "./wmts";

const fixture = (name: string) =>
  readFileSync(new URL(`../../test/fixtures/wmts/${name}`, import.meta.url), "utf8");

function capabilities(name: string) {
  const parsed = parseWmtsCapabilities(fixture(name));
  if (!parsed.ok) throw new Error(`fixture ${name}: ${parsed.problem}`);
  return parsed.capabilities;
}

describe("WMTS capabilities", () => {
  it("reads layers, tile matrix sets and the provider", () => {
    const caps = capabilities("lantmateriet-like.xml");
    expect(caps.provider).toBe("Lantmäteriet");
    expect(caps.layers.map((layer) => [layer.id, layer.matrixSetIds])).toEqual([
      ["topowebb", ["3006", "3857"]],
      ["topowebb_nedtonad", ["3006"]],
    ]);
    const mercator = caps.matrixSets.find((set) => set.id === "3857")!;
    expect(mercator.crs).toBe("urn:ogc:def:crs:EPSG::3857");
    expect(mercator.matrices[2]).toEqual({
      id: "2",
      scaleDenominator: 139770566.00717944,
      topLeft: [-20037508.342789244, 20037508.342789244],
      tileWidth: 256,
      tileHeight: 256,
      matrixWidth: 4,
      matrixHeight: 4,
    });
  });

  it("offers a layer in both SWEREF 99 TM and Web Mercator in Web Mercator, as XYZ", () => {
    const { choices, refused } = wmtsChoices(capabilities("lantmateriet-like.xml"));
    expect(choices).toEqual([
      {
        layer: "topowebb",
        title: "Topografisk webbkarta",
        tileMatrixSet: "3857",
        format: "image/png",
        style: "default",
        url: "https://api.lantmateriet.se/open/topowebb-ccby/v1/wmts/token/TOKEN/1.0.0/topowebb/default/3857/{z}/{y}/{x}.png",
        minZoom: 0,
        maxZoom: 3,
        tileSizePx: 256,
      },
    ]);
    // The layer offered only in SWEREF 99 TM is refused for that reason.
    expect(refused).toEqual([
      {
        layer: "topowebb_nedtonad",
        title: "Topografisk webbkarta nedtonad (bara SWEREF 99 TM)",
        problem: "sweref_grid",
      },
    ]);
  });

  it("builds a key-value GetTile address when there is no REST template, with 512 px tiles", () => {
    const { choices, refused } = wmtsChoices(capabilities("municipal-kvp.xml"));
    expect(choices).toEqual([
      {
        layer: "baskarta",
        title: "Baskarta",
        tileMatrixSet: "google512",
        format: "image/jpeg",
        style: "standard",
        // Matrix ids "EPSG:900913:0".."EPSG:900913:2": the zoom after a common prefix.
        url: "https://karta.exempelstad.se/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=baskarta&STYLE=standard&TILEMATRIXSET=google512&TILEMATRIX=EPSG%3A900913%3A{z}&TILEROW={y}&TILECOL={x}&FORMAT=image%2Fjpeg",
        minZoom: 0,
        maxZoom: 2,
        tileSizePx: 512,
      },
    ]);
    // Claims EPSG:3857 but its origin is 37.5 km off the Web Mercator corner.
    expect(refused).toEqual([{ layer: "skev", title: "Skev", problem: "irregular_grid" }]);
  });

  it("refuses what is not a capabilities document", () => {
    expect(parseWmtsCapabilities("<html><body>404</body></html>")).toEqual({
      ok: false,
      problem: "not_wmts",
    });
    expect(parseWmtsCapabilities("not < xml")).toEqual({ ok: false, problem: "not_xml" });
  });
});

describe("tile matrix sets", () => {
  const set = (crs: string, matrices: WmtsTileMatrixSet["matrices"] = []): WmtsTileMatrixSet => ({
    id: "x",
    crs,
    wellKnownScaleSet: null,
    matrices,
  });

  it("reads EPSG codes in their three spellings", () => {
    expect(epsgCode("EPSG:3006")).toBe(3006);
    expect(epsgCode("urn:ogc:def:crs:EPSG:6.18.3:3857")).toBe(3857);
    expect(epsgCode("http://www.opengis.net/def/crs/EPSG/0/3857")).toBe(3857);
    expect(epsgCode("CRS:84")).toBeNull();
  });

  it("refuses SWEREF 99 TM and its local zones, and other projections", () => {
    expect(webMercatorGrid(set("urn:ogc:def:crs:EPSG::3006"))).toEqual({
      ok: false,
      problem: "sweref_grid",
    });
    expect(webMercatorGrid(set("EPSG:3011"))).toEqual({ ok: false, problem: "sweref_grid" });
    expect(webMercatorGrid(set("EPSG:4326"))).toEqual({ ok: false, problem: "not_web_mercator" });
  });

  it("refuses matrix names that are not the zoom", () => {
    const matrix = (z: number, id: string) => ({
      id,
      scaleDenominator: 559082264.0287178 / 2 ** z,
      topLeft: [-20037508.3428, 20037508.3428] as [number, number],
      tileWidth: 256,
      tileHeight: 256,
      matrixWidth: 2 ** z,
      matrixHeight: 2 ** z,
    });
    expect(webMercatorGrid(set("EPSG:3857", [matrix(0, "a"), matrix(1, "b")]))).toEqual({
      ok: false,
      problem: "matrix_names",
    });
    expect(webMercatorGrid(set("EPSG:3857", [matrix(1, "L1"), matrix(2, "L2")]))).toEqual({
      ok: true,
      grid: {
        zooms: [
          { z: 1, id: "L1" },
          { z: 2, id: "L2" },
        ],
        tileSizePx: 256,
        matrixTemplate: "L{z}",
      },
    });
  });
});

describe("pasted WMTS tile addresses", () => {
  it("turns a key-value GetTile request for EPSG:3857 into XYZ", () => {
    expect(
      wmtsTemplateToXyz(
        "https://karta.exempelstad.se/wmts?service=WMTS&request=GetTile&version=1.0.0&layer=bas&style=default&tilematrixset=EPSG:3857&tilematrix=EPSG:3857:12&tilerow=1234&tilecol=2234&format=image/png",
      ),
    ).toEqual({
      ok: true,
      url: "https://karta.exempelstad.se/wmts?service=WMTS&request=GetTile&version=1.0.0&layer=bas&style=default&tilematrixset=EPSG:3857&tilematrix=EPSG%3A3857%3A{z}&tilerow={y}&tilecol={x}&format=image/png",
      tileMatrixSet: "EPSG:3857",
    });
  });

  it("refuses a request in SWEREF 99 TM (EPSG:3006)", () => {
    expect(
      wmtsTemplateToXyz(
        "https://api.lantmateriet.se/wmts?SERVICE=WMTS&REQUEST=GetTile&LAYER=topowebb&TILEMATRIXSET=3006&TILEMATRIX={TileMatrix}&TILEROW={TileRow}&TILECOL={TileCol}",
      ),
    ).toEqual({ ok: false, problem: "sweref_grid" });
  });

  it("turns a REST template with 3857 in its path into XYZ, and refuses one in 3006", () => {
    expect(
      wmtsTemplateToXyz(
        "https://api.lantmateriet.se/open/topowebb-ccby/v1/wmts/token/T/1.0.0/topowebb/default/3857/{TileMatrix}/{TileRow}/{TileCol}.png",
      ),
    ).toEqual({
      ok: true,
      url: "https://api.lantmateriet.se/open/topowebb-ccby/v1/wmts/token/T/1.0.0/topowebb/default/3857/{z}/{y}/{x}.png",
      tileMatrixSet: "",
    });
    expect(
      wmtsTemplateToXyz(
        "https://api.lantmateriet.se/open/topowebb-ccby/v1/wmts/token/T/1.0.0/topowebb/default/3006/{TileMatrix}/{TileRow}/{TileCol}.png",
      ),
    ).toEqual({ ok: false, problem: "sweref_grid" });
  });

  it("asks for the capabilities when the grid cannot be told from the address", () => {
    expect(
      wmtsTemplateToXyz(
        "https://karta.example/wmts?REQUEST=GetTile&TILEMATRIXSET=default028mm&TILEMATRIX=5&TILEROW=1&TILECOL=2",
      ),
    ).toEqual({ ok: false, problem: "unknown_grid" });
    expect(wmtsTemplateToXyz("https://karta.example/wmts?request=GetCapabilities")).toEqual({
      ok: false,
      problem: "not_tile_template",
    });
  });

  it("tells SWEREF 99 from a port or a token that happens to contain 3006", () => {
    expect(gridNamed("https://tiles.example:13006/{z}/{x}/{y}.png")).toBe("unknown");
    expect(gridNamed("https://tiles.example/sweref99tm/{z}")).toBe("sweref");
    expect(gridNamed("EPSG:3006")).toBe("sweref");
  });
});
