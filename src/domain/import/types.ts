/**
 * What every importer returns. Importers are pure functions over bytes: they run in Node
 * (tests, the `lykta` CLI), in a Web Worker (the app) and in the page alike.
 *
 * Nothing is stored by an importer: the app shows the person what is valid and what was
 * rejected (where and why), and stores the valid part in one transaction only when they
 * agree.
 */
import type { Feature, Geometry } from "geojson";

export type SourceFormat =
  | "geojson"
  | "osm-xml"
  | "osm-pbf"
  | "csv"
  | "gpx"
  | "kml"
  | "shapefile"
  | "gpkg";

export interface ImportInput {
  /** File name as the person chose it (used for the format and in messages). */
  name: string;
  bytes: Uint8Array;
  /** The source CRS when the file does not say (e.g. "EPSG:3006"); overrides detection. */
  fromCrs?: string;
}

/**
 * One problem, with where it is. `where` is a path a person can find: "features[17]",
 * "features[17].geometry.coordinates[0]", "line 23", "way 4711", "file".
 * `code` is a constant (see the importer's REASONS); `message` says it in English
 * (for the CLI and logs); the app shows the translation of `code` with `params`.
 */
export interface ImportIssue {
  where: string;
  code: string;
  message: string;
  params?: Record<string, string | number>;
}

export interface ImportSuccess {
  ok: true;
  format: SourceFormat;
  /** The CRS the coordinates were in ("EPSG:4326" when they were WGS84 already). */
  sourceCrs: string;
  /** How the text was decoded, for text formats. */
  encoding: "utf-8" | "windows-1252" | null;
  /** Valid features, in WGS84 lon/lat (RFC 7946), properties as read. */
  features: Feature<Geometry>[];
  /** Features left out, each with where and why. */
  rejected: ImportIssue[];
  /** Features kept after a documented repair, each with where and what was done. */
  repaired: ImportIssue[];
  /** Features (or rows, elements) seen in the source, valid or not. */
  totalFeatures: number;
  /** Credit to show wherever the data is shown, e.g. "© OpenStreetMap contributors". */
  attribution?: string;
}

export interface ImportFailure {
  ok: false;
  /** One clear sentence. */
  issue: ImportIssue;
}

export type ImportResult = ImportSuccess | ImportFailure;

/** Reports progress as a fraction 0..1 (large files, in a worker). */
export type ProgressCallback = (fraction: number) => void;
