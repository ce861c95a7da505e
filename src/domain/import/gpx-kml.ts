/**
 * GPX and KML import: @tmcw/togeojson converts, over @xmldom/xmldom's DOMParser (the page's
 * DOMParser does not exist in Node or a Web Worker). Every geometry then goes through the
 * same reader as GeoJSON (geojson-checks.ts): validated, rounded to 7 decimals, rings wound
 * to RFC 7946's right-hand rule.
 *
 * GPX: each track (`trk`) becomes a LineString, or a MultiLineString when it has several
 * segments; each route (`rte`) a LineString; each waypoint (`wpt`) a Point. Properties are
 * togeojson's: name, desc, cmt, type, time, sym, links, extensions and `_gpxType`
 * ("trk"/"rte", as togeojson names it). Points without a readable lat/lon are skipped
 * (reported), segments with fewer than two points too. Where: "trk[2]", "rte[0]", "wpt[5]"
 * (0-based, in the order of that element in the file).
 *
 * KML: every Placemark with Point, LineString, Polygon, gx:Track or MultiGeometry. A
 * MultiGeometry of one kind becomes a MultiPoint, MultiLineString or MultiPolygon; a mixed
 * one is split into one feature per kind, each with the placemark's properties (reported).
 * Properties are togeojson's (name, description, ExtendedData, style). Ground overlays
 * (images) and network links are left out and listed. Where: "Placemark[3]" (0-based, in
 * document order).
 *
 * Both: elevations are dropped (Lykta is 2D), reported once for the file with a count;
 * per-vertex times and heart rates (`coordinateProperties`) are not kept, since they would
 * not stay aligned with the 2D geometry. Rounding to 7 decimals (about 1 cm) and rewinding
 * are format conversions and not reported. Descriptions may hold HTML: it is data, kept as
 * text (the UI never renders it as HTML).
 *
 * Text: a byte order mark or the XML declaration's encoding decides; without either, UTF-8
 * when the bytes are valid UTF-8, else Windows-1252 (encoding.ts).
 */
import { gpx, kml } from "@tmcw/togeojson";
import { DOMParser } from "@xmldom/xmldom";
import type { Feature, Geometry, Position } from "geojson";
import { decodeText } from "./encoding";
import { GeometryReader, REPAIRS } from "./geojson-checks";
import type {
  ImportInput,
  ImportIssue,
  ImportResult,
  ImportSuccess,
  ProgressCallback,
  SourceFormat,
} from "./types";

/** Reason codes (translated in src/i18n/import-messages-formats.ts). */
export const GPX_KML_REASONS = {
  /** Failure: not XML at all (no root element). */
  notXml: "xml_not_xml",
  /** Failure: not well-formed XML. */
  xmlMalformed: "xml_malformed",
  /** Failure: XML, but not GPX (or not KML). */
  notGpx: "gpx_not_gpx",
  notKml: "kml_not_kml",
  /** Failure: togeojson could not convert the document. */
  conversionFailed: "gpx_kml_conversion_failed",
  /** Failure: a well-formed file with nothing to import. */
  noFeatures: "gpx_kml_no_features",
  /** Rejected: a waypoint without a readable lat/lon. */
  waypointNoPosition: "gpx_waypoint_no_position",
  /** Rejected: a track or route without two readable points in a row. */
  lineTooFewPoints: "gpx_line_too_few_points",
  /** Repaired: points without lat/lon, or short segments, were skipped. */
  pointsSkipped: "gpx_points_skipped",
  /** Rejected: a placemark without a geometry. */
  placemarkNoGeometry: "kml_placemark_no_geometry",
  /** Rejected: a ground overlay (an image) or network link, not a feature. */
  overlaySkipped: "kml_overlay_skipped",
  /** Repaired: a MultiGeometry of mixed kinds split into one feature per kind. */
  multiGeometrySplit: "kml_multigeometry_split",
  /** Repaired (once per file): elevations dropped. */
  elevationDropped: "elevation_dropped",
} as const;

type Decoded = { text: string; encoding: ImportSuccess["encoding"] };

/** Text of an XML file: BOM, then the declaration's encoding, then UTF-8/Windows-1252. */
export function decodeXml(bytes: Uint8Array): Decoded {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder("utf-16le").decode(bytes), encoding: null };
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: new TextDecoder("utf-16be").decode(bytes), encoding: null };
  }
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 200));
  const declared = /^(?:\uFEFF|ï»¿)?\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(
    head,
  );
  if (declared) {
    let label: string | null = null;
    try {
      label = new TextDecoder(declared[1]).encoding;
    } catch {
      label = null; // an unknown label: detect instead
    }
    if (label !== null && label !== "utf-8") {
      return {
        text: new TextDecoder(label).decode(bytes),
        encoding: label === "windows-1252" ? "windows-1252" : null,
      };
    }
  }
  // Declared UTF-8 or nothing: files that say UTF-8 and are Latin-1 exist; decodeText tells.
  return decodeText(bytes);
}

class XmlError extends Error {}

type XmlDocument = ReturnType<DOMParser["parseFromString"]>;

/** The parsed document, or a one-sentence failure saying where the XML breaks. */
function parseXml(text: string, kind: "GPX" | "KML"): XmlDocument | ImportResult {
  let document: XmlDocument;
  try {
    document = new DOMParser({
      onError: (level, message) => {
        if (level !== "warning") throw new XmlError(message);
      },
    }).parseFromString(text, "text/xml");
  } catch (error) {
    const locator = (error as { locator?: { lineNumber?: number; columnNumber?: number } }).locator;
    const line = locator?.lineNumber ?? 0;
    const column = locator?.columnNumber ?? 0;
    const detail = (error instanceof Error ? error.message : String(error))
      .split("\n")[0]!
      .replace(/^\[xmldom \w+\]\s*/, "")
      .replace(/^Reporting \w+ "(.*)" caused .*$/, "$1")
      .replace(/[.\s]+$/, "");
    if (line === 0) {
      return {
        ok: false,
        issue: {
          where: "file",
          code: GPX_KML_REASONS.notXml,
          message: `the file is not XML, so it cannot be read as ${kind} (${detail})`,
          params: { kind, detail },
        },
      };
    }
    return {
      ok: false,
      issue: {
        where: "file",
        code: GPX_KML_REASONS.xmlMalformed,
        message: `the ${kind} file is not well-formed XML near line ${line}, column ${column} (${detail})`,
        params: { kind, line, column, detail },
      },
    };
  }
  return document;
}

/** Runs togeojson; a converter that throws on a strange document gives one sentence. */
function convert<T>(kind: "GPX" | "KML", run: () => T): T | ImportResult {
  try {
    return run();
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      issue: {
        where: "file",
        code: GPX_KML_REASONS.conversionFailed,
        message: `the ${kind} file could not be converted (${detail})`,
        params: { kind, detail },
      },
    };
  }
}

function isResult(value: unknown): value is ImportResult {
  return typeof value === "object" && value !== null && "ok" in value;
}

/** Child elements with a local name, in document order, at any depth. */
function elements(root: XmlDocument, name: string): Element[] {
  return Array.from(root.getElementsByTagName(name)) as unknown as Element[];
}

/** togeojson's test for a GPX point: lat and lon parse as numbers. */
function readablePoint(element: Element): boolean {
  return (
    !Number.isNaN(Number.parseFloat(element.getAttribute("lon") || "")) &&
    !Number.isNaN(Number.parseFloat(element.getAttribute("lat") || ""))
  );
}

function childElements(element: Element, name: string): Element[] {
  return Array.from(element.getElementsByTagName(name));
}

/** Collects features and issues; geometries go through the GeoJSON geometry reader. */
class Collector {
  readonly features: Feature<Geometry>[] = [];
  readonly rejected: ImportIssue[] = [];
  readonly repaired: ImportIssue[] = [];
  private readonly reader = new GeometryReader({ transform: null });
  private elevationFeatures = 0;

  /** Validates one converted feature and keeps its geometries (or rejects it). */
  add(
    where: string,
    feature: Feature<Geometry | null> | null | undefined,
    properties: Record<string, unknown>,
  ): void {
    const reader = this.reader;
    reader.begin();
    const geometries = feature?.geometry ? reader.read(feature.geometry, "geometry") : null;
    if (!geometries) {
      const problem = reader.problem!;
      this.rejected.push({
        where,
        code: problem.code,
        message: problem.message,
        params: problem.params,
      });
      return;
    }
    if (reader.dimensionsDropped) this.elevationFeatures += 1;
    if (reader.duplicatesRemoved > 0) {
      const count = reader.duplicatesRemoved;
      this.repaired.push({
        where,
        code: REPAIRS.duplicatePositionsRemoved,
        message: `removed ${count} repeated position${count === 1 ? "" : "s"} (the same point twice in a row)`,
        params: { count },
      });
    }
    const merged = mergeByKind(geometries);
    if (merged.length > 1) {
      const kinds = merged.map((geometry) => geometry.type).join(", ");
      this.repaired.push({
        where,
        code: GPX_KML_REASONS.multiGeometrySplit,
        message: `a MultiGeometry of mixed kinds was split into ${merged.length} features (${kinds}), each with the placemark's properties`,
        params: { count: merged.length, kinds },
      });
    }
    for (const geometry of merged) {
      this.features.push({ type: "Feature", geometry, properties: { ...properties } });
    }
  }

  result(format: SourceFormat, encoding: ImportSuccess["encoding"], total: number): ImportResult {
    if (this.elevationFeatures > 0) {
      const count = this.elevationFeatures;
      this.repaired.unshift({
        where: "file",
        code: GPX_KML_REASONS.elevationDropped,
        message: `elevations were dropped from ${count} feature${count === 1 ? "" : "s"}; Lykta keeps longitude and latitude only`,
        params: { count },
      });
    }
    if (total === 0) {
      const kind = format === "gpx" ? "GPX" : "KML";
      return {
        ok: false,
        issue: {
          where: "file",
          code: GPX_KML_REASONS.noFeatures,
          message:
            format === "gpx"
              ? "the GPX file has no tracks, routes or waypoints"
              : "the KML file has no placemarks",
          params: { kind },
        },
      };
    }
    return {
      ok: true,
      format,
      sourceCrs: "EPSG:4326",
      encoding,
      features: this.features,
      rejected: this.rejected,
      repaired: this.repaired,
      totalFeatures: total,
    };
  }
}

/** One geometry per kind: points, lines and polygons each merged into their Multi form. */
function mergeByKind(geometries: Geometry[]): Geometry[] {
  if (geometries.length === 1) return geometries;
  const points: Position[] = [];
  const lines: Position[][] = [];
  const polygons: Position[][][] = [];
  const order: ("point" | "line" | "polygon")[] = [];
  const note = (kind: "point" | "line" | "polygon") => {
    if (!order.includes(kind)) order.push(kind);
  };
  for (const geometry of geometries) {
    switch (geometry.type) {
      case "Point":
        points.push(geometry.coordinates);
        note("point");
        break;
      case "MultiPoint":
        points.push(...geometry.coordinates);
        note("point");
        break;
      case "LineString":
        lines.push(geometry.coordinates);
        note("line");
        break;
      case "MultiLineString":
        lines.push(...geometry.coordinates);
        note("line");
        break;
      case "Polygon":
        polygons.push(geometry.coordinates);
        note("polygon");
        break;
      case "MultiPolygon":
        polygons.push(...geometry.coordinates);
        note("polygon");
        break;
      default:
        break; // the reader flattens GeometryCollections
    }
  }
  return order.map((kind): Geometry => {
    if (kind === "point") {
      return points.length === 1
        ? { type: "Point", coordinates: points[0]! }
        : { type: "MultiPoint", coordinates: points };
    }
    if (kind === "line") {
      return lines.length === 1
        ? { type: "LineString", coordinates: lines[0]! }
        : { type: "MultiLineString", coordinates: lines };
    }
    return polygons.length === 1
      ? { type: "Polygon", coordinates: polygons[0]! }
      : { type: "MultiPolygon", coordinates: polygons };
  });
}

/** togeojson's properties, without per-vertex arrays that cannot follow the 2D geometry. */
function keptProperties(
  feature: Feature<Geometry | null> | null | undefined,
): Record<string, unknown> {
  const { coordinateProperties: _dropped, ...rest } = (feature?.properties ?? {}) as Record<
    string,
    unknown
  >;
  return rest;
}

function rootName(document: XmlDocument): string {
  const root = document.documentElement;
  return root ? (root.localName ?? root.nodeName).toLowerCase() : "";
}

/** Import a GPX file: tracks, routes and waypoints. */
export async function importGpx(
  input: ImportInput,
  onProgress: ProgressCallback = () => undefined,
): Promise<ImportResult> {
  const { text, encoding } = decodeXml(input.bytes);
  const parsed = parseXml(text, "GPX");
  if (isResult(parsed)) return parsed;
  if (rootName(parsed) !== "gpx") {
    return {
      ok: false,
      issue: {
        where: "file",
        code: GPX_KML_REASONS.notGpx,
        message: `the file is XML but not GPX (its root element is <${parsed.documentElement?.nodeName}>, not <gpx>)`,
        params: { root: parsed.documentElement?.nodeName ?? "" },
      },
    };
  }
  onProgress(0.3);
  // togeojson yields tracks, then routes, then waypoints, each in document order, and
  // silently skips what it cannot draw. Predicting which it skips (same test as its own)
  // pairs each output feature with its element, so every problem can say where it is.
  const conversion = convert("GPX", () => gpx(parsed as unknown as Document).features);
  if (isResult(conversion)) return conversion;
  const converted = conversion;
  const collector = new Collector();
  let next = 0;
  let total = 0;

  const lines = (tag: "trk" | "rte") => {
    for (const [index, element] of elements(parsed, tag).entries()) {
      total += 1;
      const where = `${tag}[${index}]`;
      const parts = tag === "trk" ? childElements(element, "trkseg") : ([element] as Element[]);
      const pointTag = tag === "trk" ? "trkpt" : "rtept";
      let skippedPoints = 0;
      let skippedParts = 0;
      let drawn = 0;
      for (const part of parts) {
        const points = childElements(part, pointTag);
        const readable = points.filter(readablePoint).length;
        skippedPoints += points.length - readable;
        if (readable >= 2) drawn += 1;
        else skippedParts += 1;
      }
      const name = element.getElementsByTagName("name")[0]?.textContent?.trim() ?? "";
      if (drawn === 0) {
        collector.rejected.push({
          where,
          code: GPX_KML_REASONS.lineTooFewPoints,
          message: `the ${tag === "trk" ? "track" : "route"}${name ? ` "${name}"` : ""} has no ${tag === "trk" ? "segment with " : ""}two points with a readable lat/lon`,
          params: { name, kind: tag },
        });
        continue;
      }
      const feature = converted[next++];
      if (skippedPoints > 0 || skippedParts > 0) {
        collector.repaired.push({
          where,
          code: GPX_KML_REASONS.pointsSkipped,
          message: `skipped ${skippedPoints} point${skippedPoints === 1 ? "" : "s"} without a readable lat/lon and ${skippedParts} segment${skippedParts === 1 ? "" : "s"} with fewer than two points`,
          params: { points: skippedPoints, segments: skippedParts },
        });
      }
      collector.add(where, feature, keptProperties(feature));
    }
  };
  lines("trk");
  lines("rte");
  for (const [index, element] of elements(parsed, "wpt").entries()) {
    total += 1;
    const where = `wpt[${index}]`;
    if (!readablePoint(element)) {
      const name = element.getElementsByTagName("name")[0]?.textContent?.trim() ?? "";
      collector.rejected.push({
        where,
        code: GPX_KML_REASONS.waypointNoPosition,
        message: `the waypoint${name ? ` "${name}"` : ""} has no readable lat/lon`,
        params: { name },
      });
      continue;
    }
    const feature = converted[next++];
    collector.add(where, feature, keptProperties(feature));
  }
  if (next !== converted.length) {
    // A programmer error: togeojson changed what it skips, and features would be mislabelled.
    throw new Error(
      `GPX: expected ${next} features from togeojson, got ${converted.length}; update importGpx`,
    );
  }
  const result = collector.result("gpx", encoding, total);
  onProgress(1);
  return result;
}

/** Import a KML file: placemarks with their geometries. */
export async function importKml(
  input: ImportInput,
  onProgress: ProgressCallback = () => undefined,
): Promise<ImportResult> {
  const { text, encoding } = decodeXml(input.bytes);
  const parsed = parseXml(text, "KML");
  if (isResult(parsed)) return parsed;
  if (rootName(parsed) !== "kml") {
    return {
      ok: false,
      issue: {
        where: "file",
        code: GPX_KML_REASONS.notKml,
        message: `the file is XML but not KML (its root element is <${parsed.documentElement?.nodeName}>, not <kml>)`,
        params: { root: parsed.documentElement?.nodeName ?? "" },
      },
    };
  }
  onProgress(0.3);
  // With skipNullGeometry false, togeojson yields one feature per Placemark in document
  // order, then ground overlays, then network links.
  const conversion = convert(
    "KML",
    () => kml(parsed as unknown as Document, { skipNullGeometry: false }).features,
  );
  if (isResult(conversion)) return conversion;
  const converted = conversion;
  const collector = new Collector();
  const placemarks = elements(parsed, "Placemark").length;
  const skippedOfKind = { GroundOverlay: 0, NetworkLink: 0 };
  let total = 0;
  for (const [index, feature] of converted.entries()) {
    const type = feature.properties?.["@geometry-type"];
    if (index >= placemarks || type === "groundoverlay" || type === "networklink") {
      total += 1;
      const kind = type === "networklink" ? "NetworkLink" : "GroundOverlay";
      const name = String(feature.properties?.name ?? "");
      collector.rejected.push({
        where: `${kind}[${skippedOfKind[kind]++}]`,
        code: GPX_KML_REASONS.overlaySkipped,
        message: `${kind === "GroundOverlay" ? "a ground overlay is an image" : "a network link points to another file"}, not a feature; it was left out`,
        params: { kind, name },
      });
      continue;
    }
    total += 1;
    const where = `Placemark[${index}]`;
    if (!feature.geometry) {
      const name = String(feature.properties?.name ?? "");
      collector.rejected.push({
        where,
        code: GPX_KML_REASONS.placemarkNoGeometry,
        message: `the placemark${name ? ` "${name}"` : ""} has no geometry with readable coordinates (Point, LineString, Polygon or MultiGeometry)`,
        params: { name },
      });
      continue;
    }
    collector.add(where, feature, keptProperties(feature));
  }
  const result = collector.result("kml", encoding, total);
  onProgress(1);
  return result;
}
