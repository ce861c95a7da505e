import { describe, expect, it } from "vitest";
import {
  migrateBasemapSetting,
  OSM_TILE_URL,
  offlineSaveProblem,
  resolveBasemap,
  type TileSource,
  tileSourceProblem,
} from "./basemap";

const source = (patch: Partial<TileSource> = {}): TileSource => ({
  id: "s1",
  name: "Kommunens karta",
  kind: "xyz",
  url: "https://karta.exempelstad.se/tiles/{z}/{x}/{y}.png",
  attribution: "© Exempelstads kommun",
  tileSizePx: 256,
  minZoom: 0,
  maxZoom: 19,
  offlineAllowedByUser: true,
  ...patch,
});

describe("own tile sources", () => {
  it("accepts https and the device's own http server", () => {
    expect(tileSourceProblem(source())).toBeNull();
    expect(tileSourceProblem(source({ url: "http://127.0.0.1:9000/{z}/{x}/{y}.png" }))).toBeNull();
    expect(tileSourceProblem(source({ url: "http://karta.example/{z}/{x}/{y}.png" }))).toBe(
      "not_https",
    );
  });

  it("needs {z}, {x}, {y}, a credit and a name for raster sources", () => {
    expect(tileSourceProblem(source({ url: "https://karta.example/tiles.png" }))).toBe(
      "missing_placeholders",
    );
    expect(tileSourceProblem(source({ attribution: " " }))).toBe("no_attribution");
    expect(tileSourceProblem(source({ name: "" }))).toBe("no_name");
    expect(tileSourceProblem(source({ maxZoom: 23 }))).toBe("bad_zooms");
  });

  it("refuses SWEREF 99 TM grids, which MapLibre cannot draw", () => {
    expect(
      tileSourceProblem(source({ url: "https://karta.example/wmts/3006/{z}/{y}/{x}.png" })),
    ).toBe("sweref_grid");
  });

  it("a style needs only an address and a name", () => {
    expect(
      tileSourceProblem(
        source({ kind: "style", url: "https://karta.example/style.json", attribution: "" }),
      ),
    ).toBeNull();
  });
});

describe("saving areas for offline use", () => {
  it("never from OpenStreetMap's standard tiles, whatever the person says", () => {
    expect(offlineSaveProblem("osm")).toBe("osm_policy");
    expect(
      offlineSaveProblem(
        source({
          url: "https://a.tile.openstreetmap.org/{z}/{x}/{y}.png",
          offlineAllowedByUser: true,
        }),
      ),
    ).toBe("osm_policy");
  });

  it("not from a style, and from an own source only once its terms are confirmed", () => {
    expect(offlineSaveProblem(source({ kind: "style" }))).toBe("style_source");
    expect(offlineSaveProblem(source({ offlineAllowedByUser: false }))).toBe("not_confirmed");
    expect(offlineSaveProblem(source())).toBeNull();
  });
});

describe("what the map draws", () => {
  it("looks up an own source, and draws nothing for one that is gone", () => {
    expect(resolveBasemap({ kind: "source", sourceId: "s1" }, [source()])).toEqual({
      kind: "raster",
      url: "https://karta.exempelstad.se/tiles/{z}/{x}/{y}.png",
      attribution: "© Exempelstads kommun",
      tileSizePx: 256,
      minZoom: 0,
      maxZoom: 19,
      sourceId: "s1",
    });
    expect(resolveBasemap({ kind: "source", sourceId: "gone" }, [source()])).toEqual({
      kind: "none",
    });
  });

  it("draws OSM straight from its address, never through saved areas", () => {
    expect(resolveBasemap({ kind: "osm" }, [])).toMatchObject({
      kind: "raster",
      url: OSM_TILE_URL,
      sourceId: null,
      maxZoom: 19,
    });
  });
});

describe("settings from before own sources had ids", () => {
  it("moves a custom raster address into a source and chooses it", () => {
    const migrated = migrateBasemapSetting(
      { kind: "raster", url: "https://karta.example/{z}/{x}/{y}.png", attribution: "© K" },
      [],
      () => "new-id",
    );
    expect(migrated.basemap).toEqual({ kind: "source", sourceId: "new-id" });
    expect(migrated.sources).toEqual([
      {
        id: "new-id",
        name: "Egen rasterkälla",
        kind: "xyz",
        url: "https://karta.example/{z}/{x}/{y}.png",
        attribution: "© K",
        tileSizePx: 256,
        minZoom: 0,
        maxZoom: 22,
        offlineAllowedByUser: false,
      },
    ]);
  });

  it("drops an invalid old setting and an unknown source", () => {
    expect(
      migrateBasemapSetting({ kind: "raster", url: "ftp://x" }, [], () => "id").basemap,
    ).toEqual({ kind: "none" });
    expect(
      migrateBasemapSetting({ kind: "source", sourceId: "x" }, [], () => "id").basemap,
    ).toEqual({ kind: "none" });
  });
});
