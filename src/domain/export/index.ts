/**
 * Exports for people and GIS (docs/format.md): features of one kind to one file, or a whole
 * project to a zip with one file per kind (GeoPackage: one .gpkg with a table per kind) and
 * the photos they reference.
 *
 * One format rule for the app and every CLI command: the output format follows the file
 * name's extension (.geojson/.json, .csv, .gpkg), unless a format is named; SWEREF 99 TM is
 * chosen by the output CRS.
 *
 * GeoPackage is written with sql.js (SQLite in WebAssembly, about 1 MB), which loads only
 * when needed: `await prepareExport(format)` before exportFeatures or exportProject with a
 * GeoPackage format (it does nothing for the text formats, which stay synchronous).
 */

import { type Zippable, zipSync } from "fflate";
import type { Feature, Geometry } from "geojson";
import type { Checklist } from "../checklist";
import type { GroupsFile, OrganisationsFile } from "../groups";
import type { LayerRole, NormalisedProperties, PathClassesFile } from "../layers";
import type { ObservationRecord } from "../observation";
import type { ProjectRecord } from "../project";
import type { SyncedRecord } from "../record";
import { localDate } from "../time";
import type { TrackChunkRecord, TrackRecord } from "../track";
import type { WalkRecord } from "../walk";
import { toCsvText } from "./csv";
import {
  type ExportFeature,
  type ExportKind,
  LAYER_ROLE_KIND,
  layerFeatures,
  observationFeatures,
  photoFileName,
  toGeoJsonText,
  trackFeatures,
  walkFeatures,
} from "./geojson";
import { geoPackageWriterLoaded, loadGeoPackageWriter, writeGeoPackage } from "./gpkg";
import { toSwerefGeoJsonText } from "./sweref";

export type { ExportFeature, ExportKind, ExportLayer } from "./geojson";

/** The formats written. The SWEREF forms are for municipal GIS (EPSG:3006). */
export type ExportFormat =
  | "geojson"
  | "geojson-sweref"
  | "csv"
  | "csv-sweref"
  | "gpkg"
  | "gpkg-sweref";
export const EXPORT_FORMATS: readonly ExportFormat[] = [
  "geojson",
  "geojson-sweref",
  "csv",
  "csv-sweref",
  "gpkg",
  "gpkg-sweref",
];

/** The GeoPackage formats: binary, written with SQLite (prepareExport loads it). */
export function isGeoPackageFormat(format: ExportFormat): format is "gpkg" | "gpkg-sweref" {
  return format === "gpkg" || format === "gpkg-sweref";
}

/**
 * Loads what a format needs before exportFeatures or exportProject can write it: SQLite
 * for the GeoPackage formats (once; about 1 MB); nothing for the others.
 */
export async function prepareExport(format: ExportFormat): Promise<void> {
  if (isGeoPackageFormat(format)) await loadGeoPackageWriter();
}

/** True when exportFeatures and exportProject can write `format` now. */
export function exportReady(format: ExportFormat): boolean {
  return !isGeoPackageFormat(format) || geoPackageWriterLoaded();
}

export interface ExportFile {
  fileName: string;
  mimeType: string;
  bytes: Uint8Array;
}

const FORMAT_FILE: Readonly<Record<ExportFormat, { suffix: string; mimeType: string }>> = {
  geojson: { suffix: ".geojson", mimeType: "application/geo+json" },
  // Not RFC 7946 (SWEREF coordinates), so not application/geo+json.
  "geojson-sweref": { suffix: "-sweref99tm.geojson", mimeType: "application/json" },
  csv: { suffix: ".csv", mimeType: "text/csv;charset=utf-8" },
  "csv-sweref": { suffix: "-sweref99tm.csv", mimeType: "text/csv;charset=utf-8" },
  // The media type OGC registered with IANA for GeoPackage.
  gpkg: { suffix: ".gpkg", mimeType: "application/geopackage+sqlite3" },
  "gpkg-sweref": { suffix: "-sweref99tm.gpkg", mimeType: "application/geopackage+sqlite3" },
};

export interface ExportOptions {
  format: ExportFormat;
  kind: ExportKind;
  /** File name without extension; default: the kind ("observations"). */
  baseName?: string;
  /** Layer name inside the file (GDAL and QGIS show it; the GeoPackage table); default: the kind. */
  layerName?: string;
  /** Epoch ms, written into the file's header when given (GeoPackage: last_change). */
  exportedAt?: number;
  /**
   * Credit the data needs (GeoJSON header `lykta.attribution`; GeoPackage: the table's
   * description in gpkg_contents), e.g. for OSM data.
   */
  attribution?: string;
  /** CSV only: start with a UTF-8 byte order mark (default true, for Excel). */
  bom?: boolean;
}

/** Text of features of one kind in a text format (GeoPackage is binary: exportFeatures). */
export function exportText(features: readonly ExportFeature[], options: ExportOptions): string {
  const header = {
    name: options.layerName ?? options.kind,
    kind: options.kind,
    ...(options.exportedAt === undefined ? {} : { exportedAt: options.exportedAt }),
    ...(options.attribution ? { attribution: options.attribution } : {}),
  };
  switch (options.format) {
    case "geojson":
      return toGeoJsonText(features, header);
    case "geojson-sweref":
      return toSwerefGeoJsonText(features, header);
    case "csv":
      return toCsvText(features, { crs: "EPSG:4326", bom: options.bom ?? true });
    case "csv-sweref":
      return toCsvText(features, { crs: "EPSG:3006", bom: options.bom ?? true });
    case "gpkg":
    case "gpkg-sweref":
      throw new Error(`${options.format} is binary, not text: use exportFeatures`);
  }
}

/** Features of one kind as a file. */
export function exportFeatures(
  features: readonly ExportFeature[],
  options: ExportOptions,
): ExportFile {
  const file = FORMAT_FILE[options.format];
  const bytes = isGeoPackageFormat(options.format)
    ? writeGeoPackage(
        [
          {
            name: options.layerName ?? options.kind,
            features,
            ...(options.attribution ? { description: options.attribution } : {}),
          },
        ],
        {
          crs: options.format === "gpkg-sweref" ? "EPSG:3006" : "EPSG:4326",
          ...(options.exportedAt === undefined ? {} : { exportedAt: options.exportedAt }),
        },
      )
    : new TextEncoder().encode(exportText(features, options));
  return {
    fileName: `${options.baseName ?? options.kind}${file.suffix}`,
    mimeType: file.mimeType,
    bytes,
  };
}

// ---------------------------------------------------------------------------------------
// The format rule (app and CLI)

/** Formats a person can name. */
export type NamedFormat = "geojson" | "csv" | "gpkg";
export type OutputCrs = "EPSG:4326" | "EPSG:3006";

export type FormatChoice =
  | { ok: true; format: ExportFormat }
  | {
      ok: false;
      reason: "unknown_extension" | "unknown_format";
      message: string;
    };

/** The named format of a file name's extension, or null. */
export function formatOfExtension(fileName: string): NamedFormat | null {
  const lower = fileName.toLowerCase();
  if (lower.endsWith(".geojson") || lower.endsWith(".json")) return "geojson";
  if (lower.endsWith(".csv")) return "csv";
  if (lower.endsWith(".gpkg")) return "gpkg";
  return null;
}

/**
 * The one rule: the format follows the output file's extension unless `named` is given;
 * the CRS picks the WGS84 or the SWEREF 99 TM form.
 */
export function chooseExportFormat(
  outputName: string,
  named: string | undefined,
  crs: OutputCrs = "EPSG:4326",
): FormatChoice {
  let format: NamedFormat | null;
  if (named !== undefined) {
    const lower = named.toLowerCase();
    format = lower === "geojson" || lower === "csv" || lower === "gpkg" ? lower : null;
    if (format === null) {
      return {
        ok: false,
        reason: "unknown_format",
        message: `unknown format "${named}" (use geojson, csv or gpkg)`,
      };
    }
  } else {
    format = formatOfExtension(outputName);
    if (format === null) {
      return {
        ok: false,
        reason: "unknown_extension",
        message: `cannot tell the output format from "${outputName}": use .geojson, .json, .csv or .gpkg, or name it with --format`,
      };
    }
  }
  const sweref = crs === "EPSG:3006";
  if (format === "gpkg") return { ok: true, format: sweref ? "gpkg-sweref" : "gpkg" };
  if (format === "csv") return { ok: true, format: sweref ? "csv-sweref" : "csv" };
  return { ok: true, format: sweref ? "geojson-sweref" : "geojson" };
}

// ---------------------------------------------------------------------------------------
// Whole project

/** Data files that give codes their labels. */
export interface ExportLabels {
  checklist: Checklist;
  groups: GroupsFile;
  organisations: OrganisationsFile;
  pathClasses: PathClassesFile;
}

export interface ProjectLayer {
  /** The layer record (deleted ones and ones without a role are left out). */
  record: SyncedRecord<{ name: string; role: LayerRole | ""; attribution?: string }>;
  /** Its stored, normalised features. */
  features: readonly Feature<Geometry | null, NormalisedProperties>[];
}

export interface ProjectExportInput {
  project: ProjectRecord;
  walks: readonly WalkRecord[];
  observations: readonly ObservationRecord[];
  tracks: readonly TrackRecord[];
  trackChunks: readonly TrackChunkRecord[];
  layers?: readonly ProjectLayer[];
  /** Photo bytes by SHA-256; the photos of exported observations are put in `photos/`. */
  photos?: ReadonlyMap<string, Uint8Array>;
}

/** A file name safe on Windows, macOS and Android. */
function safeName(text: string): string {
  return [...text.normalize("NFC")]
    .map((character) => (character < " " || '\\/:*?"<>|'.includes(character) ? " " : character))
    .join("")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 80);
}

/** The features of every kind in a project, tombstones left out; empty layer kinds omitted. */
export function projectFeatures(
  input: ProjectExportInput,
  labels: ExportLabels,
): Map<ExportKind, ExportFeature[]> {
  const kinds = new Map<ExportKind, ExportFeature[]>();
  kinds.set(
    "observations",
    observationFeatures(input.observations, {
      checklist: labels.checklist,
      groups: labels.groups,
      walks: input.walks,
    }),
  );
  kinds.set(
    "walks",
    walkFeatures(input.walks, {
      organisations: labels.organisations,
      groups: labels.groups,
      observations: input.observations,
    }),
  );
  kinds.set("tracks", trackFeatures(input.tracks, input.trackChunks, { walks: input.walks }));
  for (const layer of input.layers ?? []) {
    const { record } = layer;
    if (record.deleted || record.fields.role === "") continue;
    const kind = LAYER_ROLE_KIND[record.fields.role];
    const features = layerFeatures(
      { role: record.fields.role, name: record.fields.name, features: layer.features },
      labels.pathClasses,
    );
    kinds.set(kind, [...(kinds.get(kind) ?? []), ...features]);
  }
  return kinds;
}

/**
 * A whole project as one zip: one file per kind (observations, walks, tracks and each
 * imported layer role), each its own attribute table, and `photos/<sha256>.jpg` for the
 * photos that `photo_files` names. See docs/format.md for why not one combined file.
 * GeoPackage: the zip holds one `.gpkg` (named as the zip) with one table per kind instead,
 * beside the photos and ATTRIBUTION.txt; a layer's attribution is also its table's
 * description. GeoPackage formats need `await prepareExport(format)` first.
 */
export function exportProject(
  input: ProjectExportInput,
  labels: ExportLabels,
  options: { format: ExportFormat; exportedAt?: number },
): ExportFile {
  const files: Zippable = {};
  const attributions = new Set<string>();
  const kindAttributions = new Map<ExportKind, Set<string>>();
  for (const layer of input.layers ?? []) {
    const attribution = layer.record.fields.attribution;
    if (layer.record.deleted || !attribution) continue;
    attributions.add(attribution);
    if (layer.record.fields.role === "") continue;
    const kind = LAYER_ROLE_KIND[layer.record.fields.role];
    kindAttributions.set(kind, (kindAttributions.get(kind) ?? new Set()).add(attribution));
  }
  const title = safeName(input.project.fields.name) || "projekt";
  const date = options.exportedAt === undefined ? "" : ` ${localDate(options.exportedAt)}`;
  const kinds = projectFeatures(input, labels);
  if (isGeoPackageFormat(options.format)) {
    const tables = [...kinds].map(([kind, features]) => {
      const credit = [...(kindAttributions.get(kind) ?? [])].join("; ");
      return { name: kind, features, ...(credit ? { description: credit } : {}) };
    });
    const suffix = FORMAT_FILE[options.format].suffix;
    files[`Lykta ${title}${date}${suffix}`] = writeGeoPackage(tables, {
      crs: options.format === "gpkg-sweref" ? "EPSG:3006" : "EPSG:4326",
      ...(options.exportedAt === undefined ? {} : { exportedAt: options.exportedAt }),
    });
  } else {
    for (const [kind, features] of kinds) {
      const file = exportFeatures(features, {
        format: options.format,
        kind,
        ...(options.exportedAt === undefined ? {} : { exportedAt: options.exportedAt }),
      });
      files[file.fileName] = file.bytes;
    }
  }
  if (attributions.size > 0) {
    files["ATTRIBUTION.txt"] = new TextEncoder().encode(`${[...attributions].join("\n")}\n`);
  }
  const photoIds = new Set(
    input.observations
      .filter((record) => !record.deleted)
      .flatMap((record) => record.fields.photoIds),
  );
  for (const id of [...photoIds].sort()) {
    const bytes = input.photos?.get(id);
    // JPEG does not compress further: store (level 0).
    if (bytes) files[photoFileName(id)] = [bytes, { level: 0 }];
  }
  return {
    fileName: `Lykta ${title}${date}.zip`,
    mimeType: "application/zip",
    bytes: zipSync(files, { level: 6 }),
  };
}
