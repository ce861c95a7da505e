/**
 * What every importer's tests check in the same way (osm, shapefile, gpx-kml; gpkg uses the
 * mutation and the area): a successful import whose messages can be translated, seeded
 * mutations of a file for the fuzz tests, and a sound result (one translated sentence, or
 * features inside WGS 84).
 */
import type { Position } from "geojson";
import { expect } from "vitest";
import { IMPORT_MESSAGES_CORE } from "../../i18n/import-messages-core";
import { IMPORT_MESSAGES_FORMATS } from "../../i18n/import-messages-formats";
import type { ImportIssue, ImportResult, ImportSuccess } from "./types";

export function ok(result: ImportResult): ImportSuccess {
  if (!result.ok) throw new Error(`import failed: ${result.issue.message}`);
  expectTranslatable([...result.rejected, ...result.repaired]);
  return result;
}

/** Every issue's code has Swedish and English text whose placeholders its params fill. */
export function expectTranslatable(issues: readonly ImportIssue[]) {
  for (const issue of issues) {
    const template = IMPORT_MESSAGES_FORMATS[issue.code];
    if (!template) continue; // the geometry reader's codes: translated with the core's
    for (const text of [template.sv, template.en]) {
      for (const [, name] of text.matchAll(/\{(\w+)\}/g)) {
        expect(issue.params ?? {}, `${issue.code} needs {${name}}`).toHaveProperty(name!);
      }
    }
  }
}

/** A seeded mutation: cut off, bytes overwritten, a range deleted or a range repeated. */
export function mutate(bytes: Uint8Array, random: () => number): Uint8Array {
  const at = Math.floor(random() * bytes.length);
  switch (Math.floor(random() * 4)) {
    case 0:
      return bytes.slice(0, at);
    case 1: {
      const copy = bytes.slice();
      for (let n = 1 + Math.floor(random() * 8); n > 0; n -= 1) {
        copy[Math.floor(random() * copy.length)] = Math.floor(random() * 256);
      }
      return copy;
    }
    case 2: {
      const length = 1 + Math.floor(random() * 64);
      return new Uint8Array([...bytes.subarray(0, at), ...bytes.subarray(at + length)]);
    }
    default: {
      const length = 1 + Math.floor(random() * 64);
      const part = bytes.subarray(at, at + length);
      return new Uint8Array([...bytes.subarray(0, at), ...part, ...part, ...bytes.subarray(at)]);
    }
  }
}

/** What every import must give: one translated sentence, or valid WGS 84 features. */
export function expectSound(result: ImportResult, label: string) {
  const issues = result.ok ? [...result.rejected, ...result.repaired] : [result.issue];
  for (const issue of issues) {
    expect(issue.where, label).toBeTruthy();
    expect(issue.message, label).toBeTruthy();
    expect(
      IMPORT_MESSAGES_FORMATS[issue.code] ?? IMPORT_MESSAGES_CORE[issue.code],
      `${label}: ${issue.code}`,
    ).toBeDefined();
  }
  expectTranslatable(issues);
  if (!result.ok) return;
  const positions = JSON.stringify(result.features.map((feature) => feature.geometry));
  for (const [, lon, lat] of positions.matchAll(/\[(-?[\d.e+-]+),(-?[\d.e+-]+)\]/g)) {
    const x = Number(lon);
    const y = Number(lat);
    expect(x >= -180 && x <= 180 && y >= -90 && y <= 90, `${label}: [${x}, ${y}]`).toBe(true);
  }
}

/** Twice the signed area; positive when counterclockwise. */
export function signedArea(ring: readonly Position[]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    sum += (ring[j]![0]! - ring[i]![0]!) * (ring[j]![1]! + ring[i]![1]!);
  }
  return sum;
}
