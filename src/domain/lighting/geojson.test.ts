/**
 * The GeoJSON text the CLI writes holds the same features as pieceFeatures (the app's map
 * layer), and the summary's unlit length is the sum of its three parts.
 */
import { describe, expect, it } from "vitest";
import { pieceFeatures, piecesGeoJsonText, summaryJson } from "./geojson";
import { CLASSES, lamp, path } from "./lighting.fixtures";
import { createLightingModel } from "./model";

const model = createLightingModel(
  {
    paths: [
      path(
        "a",
        [
          [0, 0],
          [100, 0],
          [100, 50],
        ],
        { lit: "yes", name: 'Åvägen "6"' },
      ),
      path(
        "b",
        [
          [0, 300],
          [80, 300],
        ],
        { lit: "no", pathClass: null },
      ),
    ],
    lamps: [lamp("1", 20, 0), lamp("2", 100, 40)],
  },
  { classes: CLASSES, radiusM: 15 },
);

describe("piecesGeoJsonText", () => {
  it.each(["coverage", "illuminance"] as const)(
    "%s: the same features as pieceFeatures",
    (mode) => {
      const result = mode === "coverage" ? model.coverage() : model.illuminance();
      const parsed = JSON.parse(
        piecesGeoJsonText(model, result, CLASSES, {
          name: "out",
          attribution: "© OpenStreetMap contributors",
        }),
      );
      expect(parsed.name).toBe("out");
      expect(parsed.lykta).toEqual({
        format: "lykta-geojson",
        formatVersion: 1,
        kind: "lighting",
        attribution: "© OpenStreetMap contributors",
      });
      expect(parsed.features).toEqual(
        JSON.parse(JSON.stringify(pieceFeatures(model, result, CLASSES))),
      );
    },
  );
});

describe("summaryJson", () => {
  it("unlit_m is tagged_lit_m + dark_m + unknown_m", () => {
    const summary = summaryJson(model.coverage());
    expect(summary.unlit_m).toBeCloseTo(
      summary.tagged_lit_m + summary.dark_m + summary.unknown_m,
      9,
    );
    expect(summary.classes.map((entry) => entry.path_class)).toEqual([
      "local_footway",
      "unclassified",
    ]);
  });
});
