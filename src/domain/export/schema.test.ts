/**
 * The JSON Schemas in data/schema/ describe what the exports really contain: real exports
 * are validated against them with a minimal draft 2020-12 validator (the keywords the
 * schemas use; no new dependency).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { strFromU8, unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { importFile } from "../import";
import { splitOsmLayers } from "../import/osm";
import { buildPackage } from "../package";
import { selectPlan } from "../plan/plan";
import { groupSites } from "../sites";
import { exportFixture, LABELS } from "./export.fixtures";
import {
  type ExportFeature,
  layerFeatures,
  normaliseLayer,
  observationFeatures,
  trackFeatures,
  walkFeatures,
} from "./geojson";
import { planFeatures } from "./plan";
import { SEEN, street } from "./plan.fixtures";
import { siteFeatures } from "./sites";

const SCHEMA_DIR = join(import.meta.dirname, "../../../data/schema");
const BERLIN_OSM = join(
  import.meta.dirname,
  "../../../../shared/data/osm/berlin_siegessaeule.osm.gz",
);

type Schema = { [keyword: string]: unknown };

function loadSchema(name: string): Schema {
  return JSON.parse(readFileSync(join(SCHEMA_DIR, name), "utf8")) as Schema;
}

const FORMATS: Record<string, (value: string) => boolean> = {
  "date-time": (value) =>
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value) &&
    Number.isFinite(Date.parse(value)),
  date: (value) => /^\d{4}-\d{2}-\d{2}$/.test(value),
  uuid: (value) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value),
};

function hasType(type: string, value: unknown): boolean {
  switch (type) {
    case "null":
      return value === null;
    case "boolean":
      return typeof value === "boolean";
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "integer":
      return Number.isInteger(value);
    case "array":
      return Array.isArray(value);
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value);
    default:
      throw new Error(`schema uses unknown type ${type}`);
  }
}

/** Every problem of `value` against `schema`, as "path: reason". */
function validate(schema: Schema, value: unknown, path = "$"): string[] {
  const problems: string[] = [];
  if ("const" in schema && value !== schema.const) problems.push(`${path}: not ${schema.const}`);
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) {
    problems.push(`${path}: ${JSON.stringify(value)} not in enum`);
  }
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((type) => hasType(type as string, value))) {
      return [...problems, `${path}: ${JSON.stringify(value)} is not ${types.join(" or ")}`];
    }
  }
  if (typeof value === "string") {
    if (typeof schema.minLength === "number" && value.length < schema.minLength) {
      problems.push(`${path}: shorter than ${schema.minLength}`);
    }
    if (typeof schema.pattern === "string" && !new RegExp(schema.pattern).test(value)) {
      problems.push(`${path}: "${value}" does not match ${schema.pattern}`);
    }
    if (typeof schema.format === "string" && !FORMATS[schema.format]?.(value)) {
      problems.push(`${path}: "${value}" is not a ${schema.format}`);
    }
  }
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) {
      problems.push(`${path}: ${value} < ${schema.minimum}`);
    }
    if (typeof schema.maximum === "number" && value > schema.maximum) {
      problems.push(`${path}: ${value} > ${schema.maximum}`);
    }
  }
  if (Array.isArray(value)) {
    if (typeof schema.maxItems === "number" && value.length > schema.maxItems) {
      problems.push(`${path}: more than ${schema.maxItems} items`);
    }
    if (
      schema.uniqueItems === true &&
      new Set(value.map((item) => JSON.stringify(item))).size !== value.length
    ) {
      problems.push(`${path}: items not unique`);
    }
    if (schema.items) {
      value.forEach((item, index) => {
        problems.push(...validate(schema.items as Schema, item, `${path}[${index}]`));
      });
    }
  }
  if (hasType("object", value)) {
    const object = value as Record<string, unknown>;
    for (const key of (schema.required as string[] | undefined) ?? []) {
      if (!(key in object)) problems.push(`${path}: missing ${key}`);
    }
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    const patterns = Object.entries((schema.patternProperties ?? {}) as Record<string, Schema>);
    for (const [key, item] of Object.entries(object)) {
      let known = false;
      if (key in properties) {
        known = true;
        problems.push(...validate(properties[key]!, item, `${path}.${key}`));
      }
      for (const [pattern, sub] of patterns) {
        if (new RegExp(pattern).test(key)) {
          known = true;
          problems.push(...validate(sub, item, `${path}.${key}`));
        }
      }
      if (!known && schema.additionalProperties === false) {
        problems.push(`${path}: unexpected property ${key}`);
      }
    }
  }
  return problems;
}

function expectValid(schemaName: string, features: readonly ExportFeature[]) {
  expect(features.length).toBeGreaterThan(0);
  const schema = loadSchema(schemaName);
  // Through JSON, as a reader sees it.
  const problems = features.flatMap((feature, index) =>
    validate(schema, JSON.parse(JSON.stringify(feature.properties)), `features[${index}]`),
  );
  expect(problems).toEqual([]);
}

describe("JSON Schemas of the exports (data/schema/)", () => {
  it("are draft 2020-12 and describe every attribute", () => {
    const files = readdirSync(SCHEMA_DIR).filter((name) => name.endsWith(".schema.json"));
    expect(files.sort()).toEqual([
      "lamp.schema.json",
      "manifest.schema.json",
      "observation.schema.json",
      "path.schema.json",
      "plan.schema.json",
      "poi.schema.json",
      "priority_area.schema.json",
      "site.schema.json",
      "track.schema.json",
      "walk.schema.json",
    ]);
    for (const file of files) {
      const schema = loadSchema(file);
      expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
      expect(typeof schema.title).toBe("string");
      for (const [name, property] of Object.entries(schema.properties as Record<string, Schema>)) {
        expect(typeof property.description, `${file}: ${name}`).toBe("string");
      }
    }
  });

  it("hold for observations, walks, tracks and sites", () => {
    const fixture = exportFixture();
    expectValid(
      "observation.schema.json",
      observationFeatures(fixture.observations, { ...LABELS, walks: fixture.walks }),
    );
    expectValid(
      "walk.schema.json",
      walkFeatures(fixture.walks, { ...LABELS, observations: fixture.observations }),
    );
    expectValid(
      "track.schema.json",
      trackFeatures(fixture.tracks, fixture.trackChunks, { walks: fixture.walks }),
    );
    expectValid(
      "site.schema.json",
      siteFeatures(groupSites(fixture.observations, [], LABELS.checklist), LABELS),
    );
  });

  it("holds for the plan: investments chosen and not, and tasks", () => {
    const candidates = street();
    const features = planFeatures(candidates, selectPlan(candidates, 10_000), {
      now: SEEN + 2 * 24 * 3_600_000,
      language: "en",
    });
    expect(new Set(features.map((feature) => feature.properties.selected))).toEqual(
      new Set([true, false]),
    );
    expectValid("plan.schema.json", features);
  });

  it("hold for paths and lamps from a real OSM file, and for points of interest and priority areas", async () => {
    const bytes = new Uint8Array(readFileSync(BERLIN_OSM));
    const result = await importFile({ name: "berlin_siegessaeule.osm.gz", bytes });
    if (!result.ok) throw new Error(result.issue.message);
    const { paths, lamps } = splitOsmLayers(result.features);
    const mapping = { pathClass: null, lit: "lit", name: "name" };
    expectValid(
      "path.schema.json",
      layerFeatures(
        normaliseLayer("paths", "paths", paths, mapping, LABELS.pathClasses),
        LABELS.pathClasses,
      ),
    );
    const lampMapping = {
      poleHeightM: "height",
      luminousFluxLm: null,
      powerW: null,
      status: null,
      ref: "ref",
    };
    expectValid(
      "lamp.schema.json",
      layerFeatures(
        normaliseLayer("lamps", "lamps", lamps, lampMapping, LABELS.pathClasses),
        LABELS.pathClasses,
      ),
    );
    const fixture = exportFixture();
    expectValid(
      "lamp.schema.json",
      layerFeatures(
        { role: "lamps", name: "Belysning", features: fixture.layers[1]!.features },
        LABELS.pathClasses,
      ),
    );
    const school = {
      type: "Feature" as const,
      geometry: { type: "Point" as const, coordinates: [15.16, 59.3] },
      properties: { amenity: "school", name: "Vivallaskolan", "@id": 17, tags: { a: 1 } },
    };
    expectValid(
      "poi.schema.json",
      layerFeatures(
        normaliseLayer("poi", "Skolor", [school], { kind: null, name: "name" }, LABELS.pathClasses),
        LABELS.pathClasses,
      ),
    );
    const area = {
      type: "Feature" as const,
      geometry: {
        type: "Polygon" as const,
        coordinates: [
          [
            [15.15, 59.3],
            [15.17, 59.3],
            [15.17, 59.31],
            [15.15, 59.3],
          ],
        ],
      },
      properties: { NAMN: "Vivalla", OMRADESTYP: "utsatt område" },
    };
    expectValid(
      "priority_area.schema.json",
      layerFeatures(
        normaliseLayer("priority_areas", "Områden", [area], { name: "NAMN" }, LABELS.pathClasses),
        LABELS.pathClasses,
      ),
    );
  });

  it("hold for the manifest of a .lykta package", () => {
    const fixture = exportFixture();
    const bytes = buildPackage(
      {
        appVersion: "0.1.0",
        createdAt: 1_800_000_000_000,
        createdBy: "tablet-1",
        scope: { projectId: fixture.project.id, walkId: fixture.ids.walk },
      },
      [fixture.project, ...fixture.walks, ...fixture.observations],
      fixture.photos,
    );
    const manifest = JSON.parse(strFromU8(unzipSync(bytes)["manifest.json"]!));
    expect(validate(loadSchema("manifest.schema.json"), manifest)).toEqual([]);
    expect(validate(loadSchema("manifest.schema.json"), { ...manifest, format: "zip" })).toEqual([
      "$.format: not lykta-package",
    ]);
  });
});
