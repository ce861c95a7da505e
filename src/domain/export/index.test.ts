import { unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import {
  exportFixture,
  LABELS,
  PHOTO_A,
  PHOTO_B,
  PHOTO_DELETED,
  WINTER_INSTANT_MS,
} from "./export.fixtures";
import { chooseExportFormat, exportProject, formatOfExtension } from "./index";

describe("whole-project export", () => {
  it("is a zip with one file per kind and the photos the observations reference", () => {
    const fixture = exportFixture();
    const file = exportProject(fixture, LABELS, {
      format: "geojson",
      exportedAt: WINTER_INSTANT_MS,
    });
    expect(file.fileName).toBe("Lykta Vivalla 2027 2026-11-24.zip");
    expect(file.mimeType).toBe("application/zip");
    const entries = unzipSync(file.bytes);
    expect(Object.keys(entries).sort()).toEqual(
      [
        "ATTRIBUTION.txt",
        "lamps.geojson",
        "observations.geojson",
        "paths.geojson",
        `photos/${PHOTO_A}.jpg`,
        `photos/${PHOTO_B}.jpg`,
        "tracks.geojson",
        "walks.geojson",
      ].sort(),
    );
    expect(Object.keys(entries)).not.toContain(`photos/${PHOTO_DELETED}.jpg`);
    expect(entries[`photos/${PHOTO_A}.jpg`]).toEqual(fixture.photos.get(PHOTO_A));
    const observations = JSON.parse(new TextDecoder().decode(entries["observations.geojson"]));
    expect(observations.name).toBe("observations");
    expect(observations.lykta).toEqual({
      format: "lykta-geojson",
      formatVersion: 1,
      kind: "observations",
      exportedAt: "2026-11-24T18:03:12.345+01:00",
    });
    expect(observations.features).toHaveLength(4);
    // Every photo a feature names is in the zip.
    for (const feature of observations.features) {
      for (const path of feature.properties.photo_files) expect(entries[path]).toBeDefined();
    }
    expect(new TextDecoder().decode(entries["ATTRIBUTION.txt"])).toBe("Örebro kommun\n");
  });

  it("writes the SWEREF and CSV forms under their own names", () => {
    const fixture = exportFixture();
    const sweref = unzipSync(exportProject(fixture, LABELS, { format: "geojson-sweref" }).bytes);
    expect(Object.keys(sweref)).toContain("observations-sweref99tm.geojson");
    const csv = unzipSync(exportProject(fixture, LABELS, { format: "csv" }).bytes);
    expect(Object.keys(csv)).toContain("walks.csv");
  });
});

describe("the format rule", () => {
  it("follows the extension unless a format is named; the CRS picks the SWEREF form", () => {
    expect(formatOfExtension("out/Vägar.GeoJSON")).toBe("geojson");
    expect(chooseExportFormat("a.geojson", undefined)).toEqual({ ok: true, format: "geojson" });
    expect(chooseExportFormat("a.json", undefined, "EPSG:3006")).toEqual({
      ok: true,
      format: "geojson-sweref",
    });
    expect(chooseExportFormat("a.csv", undefined)).toEqual({ ok: true, format: "csv" });
    expect(chooseExportFormat("a.csv", undefined, "EPSG:3006")).toEqual({
      ok: true,
      format: "csv-sweref",
    });
    expect(chooseExportFormat("a.txt", "csv")).toEqual({ ok: true, format: "csv" });
    expect(chooseExportFormat("a.geojson", "CSV")).toEqual({ ok: true, format: "csv" });
    expect(chooseExportFormat("a.txt", undefined)).toMatchObject({
      ok: false,
      reason: "unknown_extension",
    });
    expect(chooseExportFormat("a.gpkg", undefined)).toEqual({ ok: true, format: "gpkg" });
    expect(chooseExportFormat("a.geojson", "gpkg", "EPSG:3006")).toEqual({
      ok: true,
      format: "gpkg-sweref",
    });
    expect(chooseExportFormat("a.geojson", "shp")).toMatchObject({
      ok: false,
      reason: "unknown_format",
    });
  });
});
