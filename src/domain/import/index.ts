/**
 * Import any supported file: decide the format from the name and the first bytes, then run
 * that format's importer. Used by the app's import worker and the `lykta` CLI.
 */
import { importCsv } from "./csv";
import { importGeoJson } from "./geojson";
import { importGeoPackage, isSqliteFile } from "./gpkg";
import { importGpx, importKml } from "./gpx-kml";
import { importOsmPbf, importOsmXml } from "./osm";
import { importShapefile } from "./shapefile";
import type { ImportInput, ImportResult, ProgressCallback, SourceFormat } from "./types";

export type { ImportInput, ImportIssue, ImportResult, SourceFormat } from "./types";

const GZIP = [0x1f, 0x8b];
const ZIP = [0x50, 0x4b, 0x03, 0x04];

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((byte, index) => bytes[index] === byte);
}

/** The first non-blank characters of a text file (BOM skipped), lower-cased. */
function textHead(bytes: Uint8Array): string {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 512));
  return head
    .replace(/^\uFEFF|^ï»¿/, "")
    .trimStart()
    .slice(0, 200)
    .toLowerCase();
}

/** Which importer a file needs, or null when it is no format Lykta reads. */
export function detectFormat(name: string, bytes: Uint8Array): SourceFormat | null {
  const lower = name.toLowerCase();
  if (lower.endsWith(".osm.pbf") || lower.endsWith(".pbf")) return "osm-pbf";
  if (lower.endsWith(".osm") || lower.endsWith(".osm.gz") || lower.endsWith(".osm.xml")) {
    return "osm-xml";
  }
  if (lower.endsWith(".gpx")) return "gpx";
  if (lower.endsWith(".kml")) return "kml";
  if (lower.endsWith(".csv") || lower.endsWith(".tsv") || lower.endsWith(".txt")) return "csv";
  if (lower.endsWith(".zip") || lower.endsWith(".shz")) return "shapefile";
  if (lower.endsWith(".geojson") || lower.endsWith(".json")) return "geojson";
  if (lower.endsWith(".gpkg")) return "gpkg";
  // No telling extension: look at the content.
  if (startsWith(bytes, ZIP)) return "shapefile";
  if (isSqliteFile(bytes)) return "gpkg";
  if (startsWith(bytes, GZIP)) return "osm-xml";
  const head = textHead(bytes);
  if (head.startsWith("{") || head.startsWith("[")) return "geojson";
  if (head.startsWith("<")) {
    if (head.includes("<osm")) return "osm-xml";
    if (head.includes("<gpx")) return "gpx";
    if (head.includes("<kml")) return "kml";
  }
  return null;
}

export async function importFile(
  input: ImportInput,
  onProgress: ProgressCallback = () => undefined,
): Promise<ImportResult> {
  if (input.bytes.byteLength === 0) {
    return {
      ok: false,
      issue: { where: "file", code: "empty_file", message: `${input.name} is empty` },
    };
  }
  const format = detectFormat(input.name, input.bytes);
  switch (format) {
    case "geojson":
      return importGeoJson(input, onProgress);
    case "csv":
      return importCsv(input, onProgress);
    case "osm-xml":
      return importOsmXml(input, onProgress);
    case "osm-pbf":
      return importOsmPbf(input, onProgress);
    case "gpx":
      return importGpx(input, onProgress);
    case "kml":
      return importKml(input, onProgress);
    case "shapefile":
      return importShapefile(input, onProgress);
    case "gpkg":
      return importGeoPackage(input, onProgress);
    default:
      return {
        ok: false,
        issue: {
          where: "file",
          code: "not_geodata",
          message: `${input.name} is not a format Lykta reads (GeoJSON, OSM XML or PBF, CSV, GPX, KML, zipped Shapefile, GeoPackage)`,
          params: { name: input.name },
        },
      };
  }
}
