import { validateStyleMin } from "@maplibre/maplibre-gl-style-spec";
import { describe, expect, it } from "vitest";
import {
  FONT_REGULAR,
  FONT_SEMIBOLD,
  type ProtomapsSchema,
  protomapsLayers,
} from "./protomaps-style";

const SCHEMAS: ProtomapsSchema[] = ["protomaps-2023", "protomaps-v4"];

function style(schema: ProtomapsSchema, night: boolean) {
  return {
    version: 8 as const,
    sources: { basemap: { type: "vector" as const, url: "lykta-pmtiles://file" } },
    // Fonts drawn in the page from bundled files: no glyphs address.
    "font-faces": {
      [FONT_REGULAR]: "https://example.invalid/regular.woff2",
      [FONT_SEMIBOLD]: "https://example.invalid/semibold.woff2",
    },
    layers: protomapsLayers(schema, "basemap", night),
  };
}

describe("Lykta's Protomaps style", () => {
  it.each(
    SCHEMAS.flatMap(
      (schema) =>
        [
          [schema, false],
          [schema, true],
        ] as const,
    ),
  )("is a valid MapLibre style for %s (night %s)", (schema, night) => {
    expect(validateStyleMin(style(schema, night))).toEqual([]);
  });

  it("reads each schema's own names", () => {
    const text2023 = JSON.stringify(protomapsLayers("protomaps-2023", "basemap", false));
    const textV4 = JSON.stringify(protomapsLayers("protomaps-v4", "basemap", false));
    expect(text2023).toContain('"pmap:kind"');
    expect(text2023).toContain('"source-layer":"physical_line"');
    expect(text2023).toContain('"source-layer":"mask"');
    expect(textV4).not.toContain("pmap:");
    expect(textV4).toContain('"source-layer":"landcover"');
    expect(textV4).not.toContain('"source-layer":"physical_line"');
  });

  it("has the same layers by day and by night, only other colours", () => {
    for (const schema of SCHEMAS) {
      const day = protomapsLayers(schema, "basemap", false);
      const night = protomapsLayers(schema, "basemap", true);
      expect(night.map((layer) => layer.id)).toEqual(day.map((layer) => layer.id));
      const shape = (layers: typeof day) =>
        layers.map(({ paint: _paint, ...rest }) => JSON.stringify(rest));
      expect(shape(night)).toEqual(shape(day));
    }
  });

  it("needs no sprite: no icons", () => {
    for (const schema of SCHEMAS) {
      expect(JSON.stringify(protomapsLayers(schema, "basemap", false))).not.toContain("icon-image");
    }
  });
});
