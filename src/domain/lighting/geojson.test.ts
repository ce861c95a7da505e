/**
 * The GeoJSON text the CLI writes holds the same features as pieceFeatures (the app's map
 * layer), and the summary's unlit length is the sum of its three parts.
 */
import { describe, expect, it } from "vitest";
import {
  pieceFeatures,
  piecesGeoJsonBytes,
  piecesGeoJsonText,
  putRounded,
  summaryJson,
} from "./geojson";
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

describe("piecesGeoJsonBytes", () => {
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

  it.each(["coverage", "illuminance"] as const)("%s: byte for byte piecesGeoJsonText", (mode) => {
    const result = mode === "coverage" ? model.coverage() : model.illuminance();
    for (const header of [{ name: "out" }, { name: "ut", attribution: "© OpenStreetMap" }]) {
      expect(text(piecesGeoJsonBytes(model, result, CLASSES, header))).toBe(
        piecesGeoJsonText(model, result, CLASSES, header),
      );
    }
  });

  it("numbers as String(round(value)) gives them, for degrees and metres", () => {
    // Paths whose vertices have awkward values: near zero, negative, many digits, exponents.
    const values = [0, -0, 1e-7, 4e-7, 1.2e-6, -3e-7, 0.5, -0.49999999, 19.99999995, -20];
    let seed = 7;
    const random = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    for (let i = 0; i < 400; i++) values.push((random() - 0.5) * 40, (random() - 0.5) * 1e-5);
    const paths = [];
    for (let i = 0; i + 1 < values.length; i += 2) {
      const lon = values[i]!;
      const lat = values[i + 1]!;
      paths.push({
        id: `p${i}`,
        coordinates: [
          [lon, lat],
          [lon + 1e-4 + random() * 1e-3, lat + random() * 1e-3],
          [lon + 2e-3, lat + 1e-3],
        ],
        pathClass: null,
        lit: "unknown" as const,
        name: i % 3 === 0 ? `Väg ${i} "citat"` : null,
      });
    }
    const many = createLightingModel({ paths, lamps: [] }, { classes: CLASSES, radiusM: 15 });
    const result = many.coverage();
    expect(text(piecesGeoJsonBytes(many, result, CLASSES, { name: "n" }))).toBe(
      piecesGeoJsonText(many, result, CLASSES, { name: "n" }),
    );
  });
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

describe("putRounded", () => {
  it("writes String(Math.round(value * 10^d) / 10^d) for degrees, metres and lux", () => {
    const bytes = new Uint8Array(64);
    const text = (value: number, digits: number) =>
      new TextDecoder().decode(bytes.subarray(0, putRounded(bytes, 0, value, digits)));
    const values = [0, -0, 5e-8, -5e-8, 1e-7, 1.2e-6, 0.1, 0.125, 9.999999995, 180, -180];
    values.push(1e14, 999999999999.99, 1e15, 1e21, 123456.785, -2.675, Number.MAX_SAFE_INTEGER);
    let seed = 11;
    const random = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    for (let i = 0; i < 3000; i++) {
      values.push((random() - 0.5) * 360, (random() - 0.5) * 10 ** Math.floor(random() * 16));
    }
    for (const value of values) {
      for (const digits of [0, 1, 2, 3, 7]) {
        const factor = 10 ** digits;
        expect(text(value, digits)).toBe(String(Math.round(value * factor) / factor));
      }
    }
  });
});
