/**
 * A byte scanner for large, clean GeoJSON (the common case of `lykta lighting`'s inputs): it
 * reads a FeatureCollection straight from its UTF-8 bytes into columns (coordinates in one
 * Float64Array, each property as a key id and the byte range of its value), with no object per
 * feature and no JSON.parse of the file. Values are decoded only when asked for
 * (`scanValue`), so a reader decodes just the keys it uses.
 *
 * "Clean" is what geojson-fast.ts calls clean (the full importer would keep every feature as
 * it is and report nothing), narrowed further to what this scanner is sure of:
 * - the bytes are valid UTF-8 (a leading byte order mark is skipped) and valid JSON;
 * - the root is a FeatureCollection (no `crs` other than null, no `bbox`, no member RFC 7946
 *   §7.1 forbids) with at least one feature;
 * - each feature is an object with `"type": "Feature"`, a geometry object, properties that are
 *   an object of scalars (or null or missing) and an id that is a string, a finite number or
 *   null; no `bbox` and no forbidden member on it or its geometry;
 * - each geometry has its `type` before its `coordinates`, is a Point, MultiPoint, LineString,
 *   MultiLineString, Polygon or MultiPolygon, and its positions are exactly two numbers in
 *   WGS 84's range with at most 7 decimals; lines have no repeated position, rings are closed
 *   and wound by the right-hand rule;
 * - no key holds an escape (`\u0061`), no property key starts with a digit (JSON.parse would
 *   reorder it) or is `__proto__`, and no object repeats a key the analysis reads (JSON.parse
 *   keeps the last one).
 *
 * Anything else returns null and the caller reads the file as before (geojson-fast.ts, then
 * the full importer), so every message is unchanged. When the scanner accepts a file,
 * `scanFeatures` gives exactly the features readCleanGeoJson gives (geojson-scan.test.ts
 * checks that with JSON.parse as the oracle, on real, hand-made and mutated files).
 *
 * Numbers: a literal of at most 15 significant digits and no exponent is the integer of its
 * digits divided by a power of ten, both exact doubles, so one correctly rounded division
 * gives what JSON.parse gives; longer literals go through Number().
 */
import { GEOMETRY_TYPES } from "./geojson-checks";

/**
 * Geometry types by code (`GeoJsonScan.geometryType`): GeoJSON's, in geojson-checks.ts's
 * order, without GeometryCollection (never clean); 0 is none.
 */
export const SCAN_GEOMETRY_TYPES: readonly string[] = ["", ...GEOMETRY_TYPES.slice(0, 6)];
export const SCAN_POINT = 1;
export const SCAN_MULTI_POINT = 2;
export const SCAN_LINE_STRING = 3;
export const SCAN_MULTI_LINE_STRING = 4;
export const SCAN_POLYGON = 5;
export const SCAN_MULTI_POLYGON = 6;

/** Kinds of scalar values (`GeoJsonScan.valueKind`, `idKind`). */
export const VALUE_NONE = 0;
/** A string of ASCII characters without escapes: its bytes are its characters. */
export const VALUE_ASCII = 1;
/** A string with escapes (`\n`, `\u00e4`): decoded by JSON.parse. */
export const VALUE_STRING = 2;
export const VALUE_NUMBER = 3;
export const VALUE_TRUE = 4;
export const VALUE_FALSE = 5;
export const VALUE_NULL = 6;
/** A string without escapes with characters beyond ASCII: its bytes are its UTF-8. */
export const VALUE_UTF8 = 7;

/** A scanned FeatureCollection, column by column. */
export interface GeoJsonScan {
  /** The file's bytes: values are decoded from them on demand. */
  bytes: Uint8Array;
  featureCount: number;
  /** Per feature: index into SCAN_GEOMETRY_TYPES. */
  geometryType: Uint8Array;
  /**
   * Feature f's parts are featurePart[f] .. featurePart[f + 1] - 1: a Point and a MultiPoint
   * are one part, a LineString one, a MultiLineString one per line, a Polygon one per ring, a
   * MultiPolygon one per ring of each polygon (`partStartsPolygon` marks each polygon's first).
   */
  featurePart: Uint32Array;
  /** Part k's vertices are partVertex[k] .. partVertex[k + 1] - 1. */
  partVertex: Uint32Array;
  /** 1 where a part is the first ring of a polygon of a MultiPolygon. */
  partStartsPolygon: Uint8Array;
  /** Vertices, WGS 84: longitude at 2v, latitude at 2v + 1. */
  lonLat: Float64Array;
  /** Feature f's properties are propertyStart[f] .. propertyStart[f + 1] - 1, in file order. */
  propertyStart: Uint32Array;
  /** Per property: index into `keys`. */
  propertyKey: Uint32Array;
  /** Per property: VALUE_* kind and the byte range of the value's literal. */
  valueKind: Uint8Array;
  valueStart: Uint32Array;
  valueEnd: Uint32Array;
  /** Per feature: the id (VALUE_NONE when absent or null). */
  idKind: Uint8Array;
  idStart: Uint32Array;
  idEnd: Uint32Array;
  /** Every distinct key of the file, by id. */
  keys: readonly string[];
}

/** Why a scan stopped: never seen by callers (scanGeoJson returns null). */
class NotClean extends Error {}
const NOT_CLEAN = new NotClean("not clean");

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

/** Keys the scanner knows, interned first so their ids are these constants. */
const KNOWN_KEYS = [
  "type",
  "features",
  "geometry",
  "properties",
  "id",
  "coordinates",
  "crs",
  "bbox",
  "geometries",
  "__proto__",
] as const;
const KEY_TYPE = 0;
const KEY_FEATURES = 1;
const KEY_GEOMETRY = 2;
const KEY_PROPERTIES = 3;
const KEY_ID = 4;
const KEY_COORDINATES = 5;
const KEY_CRS = 6;
const KEY_BBOX = 7;
const KEY_GEOMETRIES = 8;
const KEY_PROTO = 9;

/** Is known key `key` among the bits of readObject? */
const has = (seen: number, key: number) => (seen & (1 << key)) !== 0;

/** Exact powers of ten (10^22 is the largest exact double power of ten). */
const POWERS_OF_TEN = new Float64Array(23);
for (let i = 0; i < 23; i++) POWERS_OF_TEN[i] = 10 ** i;
/** geojson-checks.ts WGS84_DECIMALS: the rounding the importer checks positions against. */
const ROUNDING = 1e7;

const ascii = (text: string) => Uint8Array.from(text, (char) => char.charCodeAt(0));
const GEOMETRY_NAME_BYTES = SCAN_GEOMETRY_TYPES.map(ascii);
const FEATURE_BYTES = ascii("Feature");
const FEATURE_COLLECTION_BYTES = ascii("FeatureCollection");

const utf8Decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** The index of the first byte at or after `at` that is not JSON whitespace. */
function skipSpace(bytes: Uint8Array, at: number): number {
  for (;;) {
    const byte = bytes[at];
    if (byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09) at++;
    else return at;
  }
}

/** Just past `byte` at `at` (after whitespace); not clean when another byte is there. */
function past(bytes: Uint8Array, at: number, byte: number): number {
  if (bytes[at] !== byte) {
    at = skipSpace(bytes, at);
    if (bytes[at] !== byte) throw NOT_CLEAN;
  }
  return at + 1;
}

/**
 * A run of JSON tokens as bytes, for matching the usual layout of a feature in one loop;
 * whitespace may come before each token (`spaceBefore`), never inside one.
 */
interface Template {
  bytes: Uint8Array;
  spaceBefore: Uint8Array;
}

function template(tokens: readonly string[]): Template {
  const text = tokens.join("");
  const spaceBefore = new Uint8Array(text.length);
  let at = 0;
  for (const token of tokens) {
    spaceBefore[at] = 1;
    at += token.length;
  }
  return { bytes: ascii(text), spaceBefore };
}

/**
 * The usual layouts: `{"type":"Feature",` and an optional id, then the geometry and the
 * properties (JSON.stringify, osmium, Overpass) or the properties and the geometry (GDAL).
 */
const FEATURE_START = template(["{", '"type"', ":", '"Feature"', ","]);
const ID_MEMBER = template(['"id"', ":"]);
const GEOMETRY_FIRST = template(['"geometry"', ":", "{", '"type"', ":"]);
const PROPERTIES_FIRST = template(['"properties"', ":"]);
const COORDINATES_MEMBER = template([",", '"coordinates"', ":"]);
const PROPERTIES_MEMBER = template([",", '"properties"', ":"]);
const GEOMETRY_MEMBER = template([",", '"geometry"', ":", "{", '"type"', ":"]);
/** After this many features that do not match a template, stop trying them. */
const TEMPLATE_MISSES = 64;
/** Column sizes are estimated from the first features and the file size once. */
const ESTIMATE_AFTER_FEATURES = 256;

function grownUint32(array: Uint32Array, needed: number): Uint32Array {
  const next = new Uint32Array(Math.max(needed, array.length * 2));
  next.set(array);
  return next;
}

function grownUint8(array: Uint8Array, needed: number): Uint8Array {
  const next = new Uint8Array(Math.max(needed, array.length * 2));
  next.set(array);
  return next;
}

/**
 * The length of the valid UTF-8 sequence that starts at `i` with a byte >= 0x80, or 0 (as
 * the WHATWG decoder in fatal mode: no overlong forms, no surrogates, nothing past U+10FFFF).
 */
function utf8SequenceLength(bytes: Uint8Array, i: number, end: number): number {
  const lead = bytes[i]!;
  const cont = (k: number) => i + k < end && (bytes[i + k]! & 0xc0) === 0x80;
  if (lead >= 0xc2 && lead <= 0xdf) return cont(1) ? 2 : 0;
  if (lead >= 0xe0 && lead <= 0xef) {
    if (i + 1 >= end) return 0;
    const second = bytes[i + 1]!;
    const low = lead === 0xe0 ? 0xa0 : 0x80;
    const high = lead === 0xed ? 0x9f : 0xbf;
    return second >= low && second <= high && cont(2) ? 3 : 0;
  }
  if (lead >= 0xf0 && lead <= 0xf4) {
    if (i + 1 >= end) return 0;
    const second = bytes[i + 1]!;
    const low = lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xf4 ? 0x8f : 0xbf;
    return second >= low && second <= high && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

function isHexDigit(byte: number): boolean {
  return (
    (byte >= ZERO && byte <= NINE) ||
    (byte >= 0x41 && byte <= 0x46) ||
    (byte >= 0x61 && byte <= 0x66)
  );
}

class Scanner {
  private readonly bytes: Uint8Array;
  private readonly end: number;
  private at = 0;

  // Keys: an open-addressing table of hashes over the key bytes, which are kept in a pool.
  readonly keys: string[] = [];
  private keyHash: Int32Array = new Int32Array(0);
  private keyPoolStart: Uint32Array = new Uint32Array(0);
  private keyLength: Uint32Array = new Uint32Array(0);
  private keyPool: Uint8Array;
  private keyPoolUsed = 0;
  private slots: Int32Array = new Int32Array(1024).fill(-1);
  /** Per key: the last object (a running number) it was seen in, to find repeated keys. */
  private keySeenIn: Uint32Array = new Uint32Array(0);
  private objectNumber = 0;
  /**
   * Per key id + 1 (0: the start of an object): the key id + 1 that followed it last time.
   * Properties come in the same order feature after feature, so the next key is usually
   * this one, and comparing its bytes saves hashing them.
   */
  private keyAfter: Int32Array = new Int32Array(0);
  /** Features read through the templates, and those that did not match one. */
  private templateMisses = 0;

  // Features.
  featureCount = 0;
  geometryType: Uint8Array = new Uint8Array(1024);
  featurePart: Uint32Array = new Uint32Array(1025);
  idKind: Uint8Array = new Uint8Array(1024);
  idStart: Uint32Array = new Uint32Array(1024);
  idEnd: Uint32Array = new Uint32Array(1024);
  propertyStart: Uint32Array = new Uint32Array(1025);
  // Parts and vertices.
  partCount = 0;
  partVertex: Uint32Array = new Uint32Array(1025);
  partStartsPolygon: Uint8Array = new Uint8Array(1024);
  vertexCount = 0;
  lonLat: Float64Array;
  // Properties.
  propertyCount = 0;
  propertyKey: Uint32Array = new Uint32Array(4096);
  valueKind: Uint8Array = new Uint8Array(4096);
  valueStart: Uint32Array = new Uint32Array(4096);
  valueEnd: Uint32Array = new Uint32Array(4096);

  /** Set by readString: the string had no escape and no byte beyond ASCII; no escape. */
  private stringPlain = true;
  private stringEscaped = false;
  /** Set by readNumber: the value. */
  private number = 0;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.end = bytes.length;
    this.keyPool = new Uint8Array(4096);
    this.lonLat = new Float64Array(Math.max(1024, bytes.length >>> 3));
    for (const key of KNOWN_KEYS) this.internKey(ascii(key), 0, key.length);
  }

  // ---- the file ---------------------------------------------------------------------------

  scan(): void {
    const bytes = this.bytes;
    if (this.end >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) this.at = 3;
    const seen = this.readObject((key) => {
      if (key === KEY_TYPE) this.expectAsciiString(FEATURE_COLLECTION_BYTES);
      else if (key === KEY_FEATURES) this.readFeatures();
      else if (key === KEY_CRS) {
        // A crs member other than null makes the importer look at it.
        if (this.peek() !== 0x6e) throw NOT_CLEAN;
        this.skipValue(0);
      } else if (
        key === KEY_BBOX ||
        key === KEY_COORDINATES ||
        key === KEY_GEOMETRIES ||
        key === KEY_GEOMETRY ||
        key === KEY_PROPERTIES
      ) {
        throw NOT_CLEAN;
      } else {
        this.skipValue(0);
      }
    });
    if (!has(seen, KEY_TYPE) || !has(seen, KEY_FEATURES) || this.featureCount === 0) {
      throw NOT_CLEAN;
    }
    this.skipWhitespace();
    if (this.at !== this.end) throw NOT_CLEAN;
  }

  /**
   * An object's members: `read(key)` reads each value (the colon is read). Returns the known
   * keys (KNOWN_KEYS) it had, as bits; one of them twice is not clean (JSON.parse would keep
   * the last).
   */
  private readObject(read: (key: number) => void): number {
    this.expect(OPEN_BRACE);
    if (this.peek() === CLOSE_BRACE) throw NOT_CLEAN;
    let seen = 0;
    for (;;) {
      const key = this.readKey();
      if (key < KNOWN_KEYS.length) {
        if (has(seen, key)) throw NOT_CLEAN;
        seen |= 1 << key;
      }
      this.expect(COLON);
      read(key);
      const next = this.next();
      if (next === CLOSE_BRACE) return seen;
      if (next !== COMMA) throw NOT_CLEAN;
    }
  }

  private readFeatures(): void {
    this.expect(OPEN_BRACKET);
    if (this.peek() === CLOSE_BRACKET) throw NOT_CLEAN;
    const first = this.at;
    for (;;) {
      this.readFeature();
      if (this.featureCount === ESTIMATE_AFTER_FEATURES) this.reserve(first);
      const next = this.next();
      if (next === CLOSE_BRACKET) return;
      if (next !== COMMA) throw NOT_CLEAN;
    }
  }

  /**
   * Room for the whole file in every column, estimated from the features so far (read from
   * `first` to here), so the columns rarely grow again.
   */
  private reserve(first: number): void {
    const scale = (1.25 * (this.end - first)) / Math.max(1, this.at - first);
    const features = Math.ceil(this.featureCount * scale) + 16;
    if (features > this.geometryType.length) this.growFeatures(features);
    const parts = Math.ceil(this.partCount * scale) + 16;
    if (parts > this.partStartsPolygon.length) {
      this.partStartsPolygon = grownUint8(this.partStartsPolygon, parts);
      this.partVertex = grownUint32(this.partVertex, parts + 1);
    }
    const properties = Math.ceil(this.propertyCount * scale) + 16;
    if (properties > this.propertyKey.length) this.growProperties(properties);
    const vertices = Math.ceil(this.vertexCount * scale) + 16;
    if (2 * vertices > this.lonLat.length) {
      const lonLat = new Float64Array(2 * vertices);
      lonLat.set(this.lonLat.subarray(0, 2 * this.vertexCount));
      this.lonLat = lonLat;
    }
  }

  private readFeature(): void {
    const f = this.featureCount;
    if (f + 1 >= this.geometryType.length) this.growFeatures(2 * this.geometryType.length);
    this.featurePart[f] = this.partCount;
    this.propertyStart[f] = this.propertyCount;
    this.idKind[f] = VALUE_NONE;
    if (this.templateMisses < TEMPLATE_MISSES) {
      const start = this.at;
      const parts = this.partCount;
      const vertices = this.vertexCount;
      if (this.readTemplateFeature(f)) {
        this.featureCount = f + 1;
        this.featurePart[f + 1] = this.partCount;
        this.propertyStart[f + 1] = this.propertyCount;
        return;
      }
      // Not the usual layout: read it member by member from its start.
      this.templateMisses++;
      this.at = start;
      this.idKind[f] = VALUE_NONE;
      this.geometryType[f] = 0;
      this.partCount = parts;
      this.vertexCount = vertices;
      this.propertyCount = this.propertyStart[f]!;
    }
    // Member by member (a layout the templates do not know).
    const seen = this.readObject((key) => {
      if (key === KEY_TYPE) this.expectAsciiString(FEATURE_BYTES);
      else if (key === KEY_GEOMETRY) this.readGeometry(f);
      else if (key === KEY_PROPERTIES) this.readProperties();
      else if (key === KEY_ID) this.readId(f);
      else if (
        key === KEY_BBOX ||
        key === KEY_COORDINATES ||
        key === KEY_GEOMETRIES ||
        key === KEY_FEATURES
      ) {
        throw NOT_CLEAN;
      } else {
        this.skipValue(0);
      }
    });
    if (!has(seen, KEY_TYPE) || !has(seen, KEY_GEOMETRY)) throw NOT_CLEAN;
    this.featureCount = f + 1;
    this.featurePart[f + 1] = this.partCount;
    this.propertyStart[f + 1] = this.propertyCount;
  }

  /**
   * A feature in one of the usual layouts (the templates): true when it was read whole, false
   * when it is laid out otherwise (the caller reads it member by member). Throws NOT_CLEAN
   * for what is not clean in any layout.
   */
  private readTemplateFeature(f: number): boolean {
    let at = this.match(this.at, FEATURE_START);
    if (at < 0) return false;
    const id = this.match(at, ID_MEMBER);
    if (id >= 0) {
      this.at = id;
      this.readId(f);
      if (this.next() !== COMMA) return false;
      at = this.at;
    }
    const afterId = at;
    at = this.match(afterId, GEOMETRY_FIRST);
    if (at >= 0) {
      this.at = at;
      if (!this.readTemplateGeometry(f)) return false;
      at = this.match(this.at, PROPERTIES_MEMBER);
      if (at < 0) return false;
      this.at = at;
      this.readProperties();
    } else {
      const properties = this.match(afterId, PROPERTIES_FIRST);
      if (properties < 0) return false;
      this.at = properties;
      this.readProperties();
      at = this.match(this.at, GEOMETRY_MEMBER);
      if (at < 0) return false;
      this.at = at;
      if (!this.readTemplateGeometry(f)) return false;
    }
    const bytes = this.bytes;
    at = this.at;
    if (bytes[at] !== CLOSE_BRACE) {
      at = skipSpace(bytes, at);
      if (bytes[at] !== CLOSE_BRACE) return false;
    }
    this.at = at + 1;
    return true;
  }

  /** `"Point", "coordinates": [...] }` after a geometry's `"type":`; false as above. */
  private readTemplateGeometry(f: number): boolean {
    const type = this.readGeometryType();
    const at = this.match(this.at, COORDINATES_MEMBER);
    if (at < 0) return false;
    this.at = at;
    this.readCoordinates(type);
    if (this.next() !== CLOSE_BRACE) return false;
    this.geometryType[f] = type;
    return true;
  }

  /** The end of `template` when the bytes at `at` are its tokens, else -1. */
  private match(at: number, template: Template): number {
    const bytes = this.bytes;
    const expected = template.bytes;
    const spaceBefore = template.spaceBefore;
    for (let i = 0; i < expected.length; i++) {
      if (bytes[at] !== expected[i]) {
        if (spaceBefore[i] === 0) return -1;
        at = skipSpace(bytes, at);
        if (bytes[at] !== expected[i]) return -1;
      }
      at++;
    }
    return at;
  }

  private growFeatures(size: number): void {
    this.geometryType = grownUint8(this.geometryType, size);
    this.idKind = grownUint8(this.idKind, size);
    this.idStart = grownUint32(this.idStart, size);
    this.idEnd = grownUint32(this.idEnd, size);
    this.featurePart = grownUint32(this.featurePart, size + 1);
    this.propertyStart = grownUint32(this.propertyStart, size + 1);
  }

  private readId(f: number): void {
    const start = this.skipWhitespaceAt();
    const kind = this.readScalar();
    // An id that is an object, an array, a boolean or not finite: the importer drops it.
    if (kind === VALUE_TRUE || kind === VALUE_FALSE) throw NOT_CLEAN;
    if (kind === VALUE_NUMBER && !Number.isFinite(this.number)) throw NOT_CLEAN;
    if (kind === VALUE_NULL) return;
    this.idKind[f] = kind;
    this.idStart[f] = start;
    this.idEnd[f] = this.at;
  }

  /** A feature's properties: null, or an object of scalars (keys in file order). */
  private readProperties(): void {
    const bytes = this.bytes;
    let at = this.at;
    // Past the end bytes[at] is undefined, which equals no byte: every check below fails.
    let byte = bytes[at]!;
    if (byte <= 0x20) {
      at = skipSpace(bytes, at);
      byte = bytes[at]!;
    }
    if (byte === 0x6e) {
      this.at = at;
      this.literal("null");
      return;
    }
    if (byte !== OPEN_BRACE) throw NOT_CLEAN;
    at++;
    byte = bytes[at]!;
    if (byte <= 0x20) {
      at = skipSpace(bytes, at);
      byte = bytes[at]!;
    }
    if (byte === CLOSE_BRACE) {
      this.at = at + 1;
      return;
    }
    const object = ++this.objectNumber;
    let previous = 0;
    for (;;) {
      if (byte !== QUOTE) throw NOT_CLEAN;
      // The key that followed the previous one last time, when its bytes are here.
      let key = this.keyAfter[previous]! - 1;
      if (key >= 0) {
        const length = this.keyLength[key]!;
        const pool = this.keyPool;
        const from = this.keyPoolStart[key]!;
        let same = bytes[at + 1 + length] === QUOTE;
        for (let i = 0; same && i < length; i++) same = bytes[at + 1 + i] === pool[from + i];
        if (same) at += length + 2;
        else key = -1;
      }
      if (key < 0) {
        this.at = at;
        key = this.readKey();
        at = this.at;
        this.keyAfter[previous] = key + 1;
      }
      // (readKey may have grown keySeenIn: read the field each time.)
      if (key === KEY_PROTO || this.keySeenIn[key] === object) throw NOT_CLEAN;
      this.keySeenIn[key] = object;
      previous = key + 1;
      byte = bytes[at]!;
      if (byte <= 0x20) {
        at = skipSpace(bytes, at);
        byte = bytes[at]!;
      }
      if (byte !== COLON) throw NOT_CLEAN;
      at++;
      byte = bytes[at]!;
      if (byte <= 0x20) {
        at = skipSpace(bytes, at);
        byte = bytes[at]!;
      }
      const start = at;
      let kind: number;
      if (byte === QUOTE) {
        // A string of plain ASCII here; anything else through readString.
        let i = at + 1;
        let next = bytes[i]!;
        while (next !== QUOTE && next >= 0x20 && next !== BACKSLASH && next < 0x80)
          next = bytes[++i]!;
        if (next === QUOTE) {
          at = i + 1;
          kind = VALUE_ASCII;
        } else {
          this.at = at;
          this.readString();
          at = this.at;
          kind = this.stringPlain ? VALUE_ASCII : this.stringEscaped ? VALUE_STRING : VALUE_UTF8;
        }
      } else {
        this.at = at;
        kind = this.readScalar();
        at = this.at;
      }
      const k = this.propertyCount;
      if (k === this.propertyKey.length) this.growProperties(2 * k);
      this.propertyKey[k] = key;
      this.valueKind[k] = kind;
      this.valueStart[k] = start;
      this.valueEnd[k] = at;
      this.propertyCount = k + 1;
      byte = bytes[at]!;
      if (byte <= 0x20) {
        at = skipSpace(bytes, at);
        byte = bytes[at]!;
      }
      if (byte === COMMA) {
        at++;
        byte = bytes[at]!;
        if (byte <= 0x20) {
          at = skipSpace(bytes, at);
          byte = bytes[at]!;
        }
        continue;
      }
      if (byte === CLOSE_BRACE) {
        this.at = at + 1;
        return;
      }
      throw NOT_CLEAN;
    }
  }

  private growProperties(size: number): void {
    this.propertyKey = grownUint32(this.propertyKey, size);
    this.valueKind = grownUint8(this.valueKind, size);
    this.valueStart = grownUint32(this.valueStart, size);
    this.valueEnd = grownUint32(this.valueEnd, size);
  }

  // ---- geometry ---------------------------------------------------------------------------

  private readGeometry(f: number): void {
    let type = 0;
    const seen = this.readObject((key) => {
      if (key === KEY_TYPE) type = this.readGeometryType();
      else if (key === KEY_COORDINATES) {
        // The type must come first: it says what the coordinates are.
        if (type === 0) throw NOT_CLEAN;
        this.readCoordinates(type);
      } else if (
        key === KEY_BBOX ||
        key === KEY_GEOMETRY ||
        key === KEY_PROPERTIES ||
        key === KEY_FEATURES
      ) {
        throw NOT_CLEAN;
      } else {
        this.skipValue(0);
      }
    });
    if (!has(seen, KEY_COORDINATES)) throw NOT_CLEAN;
    this.geometryType[f] = type;
  }

  /** The code of a geometry type name as written (exact case; GeometryCollection: not clean). */
  private readGeometryType(): number {
    const bytes = this.bytes;
    let at = this.at;
    if (bytes[at] !== QUOTE) at = skipSpace(bytes, at);
    if (bytes[at] !== QUOTE) throw NOT_CLEAN;
    const start = at + 1;
    // The names are letters: anything else (an escape, the end) is not a clean type.
    at = start;
    for (let byte = bytes[at]!; (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7a; byte = bytes[at]!) {
      at++;
    }
    if (bytes[at] !== QUOTE) throw NOT_CLEAN;
    this.at = at + 1;
    const length = at - start;
    for (let type = 1; type < GEOMETRY_NAME_BYTES.length; type++) {
      const name = GEOMETRY_NAME_BYTES[type]!;
      if (name.length !== length) continue;
      let same = true;
      for (let i = 0; i < length; i++) {
        if (bytes[start + i] !== name[i]) {
          same = false;
          break;
        }
      }
      if (same) return type;
    }
    throw NOT_CLEAN;
  }

  private readCoordinates(type: number): void {
    switch (type) {
      case SCAN_POINT:
        this.beginPart(0);
        this.readPosition();
        this.endPart();
        return;
      case SCAN_MULTI_POINT:
        this.beginPart(0);
        this.readPositions(false);
        this.endPart();
        return;
      case SCAN_LINE_STRING:
        this.beginPart(0);
        this.readPositions(true);
        this.endPart();
        return;
      case SCAN_MULTI_LINE_STRING:
        this.readList(0);
        return;
      case SCAN_POLYGON:
        this.readPolygon(0);
        return;
      default:
        this.expect(OPEN_BRACKET);
        if (this.peek() === CLOSE_BRACKET) throw NOT_CLEAN;
        for (;;) {
          this.readPolygon(1);
          const next = this.next();
          if (next === CLOSE_BRACKET) return;
          if (next !== COMMA) throw NOT_CLEAN;
        }
    }
  }

  /** A non-empty list of lines (MultiLineString) as parts. */
  private readList(flag: number): void {
    this.expect(OPEN_BRACKET);
    if (this.peek() === CLOSE_BRACKET) throw NOT_CLEAN;
    for (;;) {
      this.beginPart(flag);
      this.readPositions(true);
      this.endPart();
      const next = this.next();
      if (next === CLOSE_BRACKET) return;
      if (next !== COMMA) throw NOT_CLEAN;
    }
  }

  /** A polygon's rings as parts: closed, 4 positions at least, right-hand rule. */
  private readPolygon(flag: number): void {
    this.expect(OPEN_BRACKET);
    if (this.peek() === CLOSE_BRACKET) throw NOT_CLEAN;
    let ring = 0;
    for (;;) {
      this.beginPart(ring === 0 ? flag : 0);
      const first = this.vertexCount;
      this.readPositions(true);
      this.endPart();
      const count = this.vertexCount - first;
      if (count < 4) throw NOT_CLEAN;
      const lonLat = this.lonLat;
      const last = first + count - 1;
      if (
        lonLat[2 * first] !== lonLat[2 * last] ||
        lonLat[2 * first + 1] !== lonLat[2 * last + 1]
      ) {
        throw NOT_CLEAN;
      }
      // geojson-checks.ts signedArea, in the same order of operations.
      let sum = 0;
      for (let i = 0, j = count - 1; i < count; j = i++) {
        const a = first + j;
        const b = first + i;
        sum += (lonLat[2 * a]! - lonLat[2 * b]!) * (lonLat[2 * a + 1]! + lonLat[2 * b + 1]!);
      }
      if (ring === 0 ? sum < 0 : sum > 0) throw NOT_CLEAN;
      ring++;
      const next = this.next();
      if (next === CLOSE_BRACKET) return;
      if (next !== COMMA) throw NOT_CLEAN;
    }
  }

  private beginPart(startsPolygon: number): void {
    const k = this.partCount;
    if (k >= this.partStartsPolygon.length) {
      const size = this.partStartsPolygon.length * 2;
      this.partStartsPolygon = grownUint8(this.partStartsPolygon, size);
      this.partVertex = grownUint32(this.partVertex, size + 1);
    }
    this.partVertex[k] = this.vertexCount;
    this.partStartsPolygon[k] = startsPolygon;
  }

  private endPart(): void {
    this.partCount++;
    this.partVertex[this.partCount] = this.vertexCount;
  }

  /** A non-empty list of positions; `line`: at least two, none the same as the one before. */
  private readPositions(line: boolean): void {
    const bytes = this.bytes;
    let at = this.at;
    if (bytes[at] !== OPEN_BRACKET) {
      at = skipSpace(bytes, at);
      if (bytes[at] !== OPEN_BRACKET) throw NOT_CLEAN;
    }
    at++;
    const first = this.vertexCount;
    for (;;) {
      at = this.readPositionAt(at);
      if (line) {
        const v = this.vertexCount - 1;
        const lonLat = this.lonLat;
        if (
          v > first &&
          lonLat[2 * v] === lonLat[2 * v - 2] &&
          lonLat[2 * v + 1] === lonLat[2 * v - 1]
        ) {
          throw NOT_CLEAN;
        }
      }
      let byte = bytes[at];
      if (byte !== COMMA && byte !== CLOSE_BRACKET) {
        at = skipSpace(bytes, at);
        byte = bytes[at];
      }
      at++;
      if (byte === CLOSE_BRACKET) break;
      if (byte !== COMMA) throw NOT_CLEAN;
    }
    this.at = at;
    if (line && this.vertexCount - first < 2) throw NOT_CLEAN;
  }

  /** A position (Point coordinates). */
  private readPosition(): void {
    this.at = this.readPositionAt(this.at);
  }

  /**
   * [x, y] at `at` (after optional whitespace): two numbers in WGS 84's range with 7 decimals
   * at most (geojson-fast.ts cleanPosition), appended to lonLat. Returns the end.
   */
  private readPositionAt(at: number): number {
    const bytes = this.bytes;
    at = this.readNumberAt(skipSpace(bytes, past(bytes, at, OPEN_BRACKET)));
    const x = this.number;
    at = this.readNumberAt(skipSpace(bytes, past(bytes, at, COMMA)));
    const y = this.number;
    at = past(bytes, at, CLOSE_BRACKET) - 1;
    // Also false for NaN and infinities.
    if (!(x >= -180 && x <= 180 && y >= -90 && y <= 90)) throw NOT_CLEAN;
    if (Math.round(x * ROUNDING) / ROUNDING !== x || Math.round(y * ROUNDING) / ROUNDING !== y) {
      throw NOT_CLEAN;
    }
    const v = this.vertexCount;
    if (2 * v + 2 > this.lonLat.length) {
      const next = new Float64Array(this.lonLat.length * 2);
      next.set(this.lonLat);
      this.lonLat = next;
    }
    this.lonLat[2 * v] = x;
    this.lonLat[2 * v + 1] = y;
    this.vertexCount = v + 1;
    return at + 1;
  }

  // ---- JSON -------------------------------------------------------------------------------

  private skipWhitespace(): void {
    const bytes = this.bytes;
    let at = this.at;
    for (;;) {
      const byte = bytes[at];
      if (byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09) at++;
      else break;
    }
    this.at = at;
  }

  /** Skips whitespace; returns the position of the next byte. */
  private skipWhitespaceAt(): number {
    this.skipWhitespace();
    return this.at;
  }

  /** The next byte after whitespace, without consuming it (-1 at the end). */
  private peek(): number {
    this.skipWhitespace();
    return this.at < this.end ? this.bytes[this.at]! : -1;
  }

  /** The next byte after whitespace, consumed. */
  private next(): number {
    this.skipWhitespace();
    if (this.at >= this.end) throw NOT_CLEAN;
    return this.bytes[this.at++]!;
  }

  private expect(byte: number): void {
    if (this.next() !== byte) throw NOT_CLEAN;
  }

  /** A string that must be exactly `expected` (ASCII, no escapes). */
  private expectAsciiString(expected: Uint8Array): void {
    const start = this.skipWhitespaceAt() + 1;
    this.readString();
    if (!this.stringPlain || this.at - 1 - start !== expected.length) throw NOT_CLEAN;
    const bytes = this.bytes;
    for (let i = 0; i < expected.length; i++) {
      if (bytes[start + i] !== expected[i]) throw NOT_CLEAN;
    }
  }

  /**
   * A string literal at `at` (after whitespace): checks it and moves past it. stringPlain
   * says whether it was ASCII without escapes.
   */
  private readString(): void {
    const bytes = this.bytes;
    const end = this.end;
    let at = this.at;
    if (bytes[at] !== QUOTE) throw NOT_CLEAN;
    at++;
    let plain = true;
    let hasEscape = false;
    for (;;) {
      if (at >= end) throw NOT_CLEAN;
      const byte = bytes[at]!;
      if (byte === QUOTE) break;
      if (byte < 0x20) throw NOT_CLEAN;
      if (byte === BACKSLASH) {
        plain = false;
        hasEscape = true;
        const escaped = bytes[at + 1];
        if (escaped === 0x75) {
          // \uXXXX
          if (
            at + 5 >= end ||
            !isHexDigit(bytes[at + 2]!) ||
            !isHexDigit(bytes[at + 3]!) ||
            !isHexDigit(bytes[at + 4]!) ||
            !isHexDigit(bytes[at + 5]!)
          ) {
            throw NOT_CLEAN;
          }
          at += 6;
        } else if (
          escaped === QUOTE ||
          escaped === BACKSLASH ||
          escaped === 0x2f ||
          escaped === 0x62 ||
          escaped === 0x66 ||
          escaped === 0x6e ||
          escaped === 0x72 ||
          escaped === 0x74
        ) {
          at += 2;
        } else {
          throw NOT_CLEAN;
        }
      } else if (byte >= 0x80) {
        plain = false;
        const length = utf8SequenceLength(bytes, at, end);
        if (length === 0) throw NOT_CLEAN;
        at += length;
      } else {
        at++;
      }
    }
    this.at = at + 1;
    this.stringPlain = plain;
    this.stringEscaped = hasEscape;
  }

  /** A key: its id (interned by its bytes). Keys with escapes are not clean. */
  private readKey(): number {
    this.skipWhitespace();
    const bytes = this.bytes;
    const end = this.end;
    let at = this.at;
    if (bytes[at] !== QUOTE) throw NOT_CLEAN;
    const start = at + 1;
    at = start;
    let hash = 0;
    for (;;) {
      if (at >= end) throw NOT_CLEAN;
      const byte = bytes[at]!;
      if (byte === QUOTE) break;
      if (byte < 0x20 || byte === BACKSLASH) throw NOT_CLEAN;
      if (byte >= 0x80) {
        const length = utf8SequenceLength(bytes, at, end);
        if (length === 0) throw NOT_CLEAN;
        for (let k = 0; k < length; k++) hash = (Math.imul(hash, 31) + bytes[at + k]!) | 0;
        at += length;
        continue;
      }
      hash = (Math.imul(hash, 31) + byte) | 0;
      at++;
    }
    this.at = at + 1;
    return this.findKey(bytes, start, at - start, hash);
  }

  private findKey(bytes: Uint8Array, start: number, length: number, hash: number): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = slots[slot]!;
      if (id < 0) break;
      if (this.keyHash[id] !== hash || this.keyLength[id] !== length) continue;
      const poolStart = this.keyPoolStart[id]!;
      const pool = this.keyPool;
      let same = true;
      for (let i = 0; i < length; i++) {
        if (pool[poolStart + i] !== bytes[start + i]) {
          same = false;
          break;
        }
      }
      if (same) return id;
    }
    const id = this.internKey(bytes, start, length);
    // JSON.parse would put an integer-like key first: not clean.
    const firstByte = bytes[start];
    if (firstByte !== undefined && firstByte >= ZERO && firstByte <= NINE && length > 0) {
      throw NOT_CLEAN;
    }
    return id;
  }

  private internKey(bytes: Uint8Array, start: number, length: number): number {
    const id = this.keys.length;
    let hash = 0;
    for (let i = 0; i < length; i++) hash = (Math.imul(hash, 31) + bytes[start + i]!) | 0;
    if (id === this.keyHash.length) {
      const size = Math.max(64, id * 2);
      const keyHash = new Int32Array(size);
      keyHash.set(this.keyHash);
      this.keyHash = keyHash;
      this.keyPoolStart = grownUint32(this.keyPoolStart, size);
      this.keyLength = grownUint32(this.keyLength, size);
      this.keySeenIn = grownUint32(this.keySeenIn, size);
      const keyAfter = new Int32Array(size + 1);
      keyAfter.set(this.keyAfter);
      this.keyAfter = keyAfter;
    }
    if (this.keyPoolUsed + length > this.keyPool.length) {
      this.keyPool = grownUint8(this.keyPool, this.keyPoolUsed + length);
    }
    this.keyPool.set(bytes.subarray(start, start + length), this.keyPoolUsed);
    this.keyHash[id] = hash;
    this.keyPoolStart[id] = this.keyPoolUsed;
    this.keyLength[id] = length;
    this.keyPoolUsed += length;
    this.keys.push(utf8Decoder.decode(bytes.subarray(start, start + length)));
    // Keep the table at most half full.
    if (2 * (id + 1) > this.slots.length) {
      const slots = new Int32Array(this.slots.length * 2).fill(-1);
      const mask = slots.length - 1;
      for (let k = 0; k <= id; k++) {
        let slot = this.keyHash[k]! & mask;
        while (slots[slot]! >= 0) slot = (slot + 1) & mask;
        slots[slot] = k;
      }
      this.slots = slots;
    } else {
      const mask = this.slots.length - 1;
      let slot = hash & mask;
      while (this.slots[slot]! >= 0) slot = (slot + 1) & mask;
      this.slots[slot] = id;
    }
    return id;
  }

  /**
   * A JSON number at `at`: checks the grammar (RFC 8259 §6) and sets `number` to what
   * JSON.parse gives.
   */
  private readNumber(): void {
    this.at = this.readNumberAt(this.at);
  }

  /** readNumber at `at`: returns the end. */
  private readNumberAt(start: number): number {
    const bytes = this.bytes;
    let at = start;
    let negative = false;
    if (bytes[at] === MINUS) {
      negative = true;
      at++;
    }
    let mantissa = 0;
    let digits = 0;
    let byte = bytes[at];
    if (byte === ZERO) {
      at++;
      byte = bytes[at];
    } else if (byte !== undefined && byte > ZERO && byte <= NINE) {
      do {
        mantissa = mantissa * 10 + (byte - ZERO);
        digits++;
        at++;
        byte = bytes[at];
      } while (byte !== undefined && byte >= ZERO && byte <= NINE);
    } else {
      throw NOT_CLEAN;
    }
    let decimals = 0;
    if (byte === DOT) {
      at++;
      byte = bytes[at];
      if (byte === undefined || byte < ZERO || byte > NINE) throw NOT_CLEAN;
      do {
        mantissa = mantissa * 10 + (byte - ZERO);
        if (mantissa !== 0) digits++;
        decimals++;
        at++;
        byte = bytes[at];
      } while (byte !== undefined && byte >= ZERO && byte <= NINE);
    }
    let exponent = false;
    if (byte === 0x65 || byte === 0x45) {
      exponent = true;
      at++;
      byte = bytes[at];
      if (byte === PLUS || byte === MINUS) {
        at++;
        byte = bytes[at];
      }
      if (byte === undefined || byte < ZERO || byte > NINE) throw NOT_CLEAN;
      do {
        at++;
        byte = bytes[at];
      } while (byte !== undefined && byte >= ZERO && byte <= NINE);
    }
    if (!exponent && digits <= 15 && decimals <= 22) {
      const value = mantissa / POWERS_OF_TEN[decimals]!;
      this.number = negative ? -value : value;
      return at;
    }
    this.number = Number(latin1(bytes, start, at));
    return at;
  }

  /** A scalar at `at` (after whitespace): its kind. Objects and arrays are not clean here. */
  private readScalar(): number {
    const byte = this.bytes[this.at];
    if (byte === QUOTE) {
      this.readString();
      return this.stringPlain ? VALUE_ASCII : this.stringEscaped ? VALUE_STRING : VALUE_UTF8;
    }
    if (byte === MINUS || (byte !== undefined && byte >= ZERO && byte <= NINE)) {
      this.readNumber();
      return VALUE_NUMBER;
    }
    if (byte === 0x74) {
      this.literal("true");
      return VALUE_TRUE;
    }
    if (byte === 0x66) {
      this.literal("false");
      return VALUE_FALSE;
    }
    if (byte === 0x6e) {
      this.literal("null");
      return VALUE_NULL;
    }
    throw NOT_CLEAN;
  }

  private literal(word: string): void {
    const bytes = this.bytes;
    for (let i = 0; i < word.length; i++) {
      if (bytes[this.at + i] !== word.charCodeAt(i)) throw NOT_CLEAN;
    }
    this.at += word.length;
  }

  /** Any JSON value, checked and skipped (members the analysis does not read). */
  private skipValue(depth: number): void {
    if (depth > 64) throw NOT_CLEAN;
    this.skipWhitespace();
    const byte = this.bytes[this.at];
    if (byte === OPEN_BRACE) {
      this.at++;
      if (this.peek() === CLOSE_BRACE) {
        this.at++;
        return;
      }
      for (;;) {
        this.skipWhitespace();
        this.readString();
        this.expect(COLON);
        this.skipValue(depth + 1);
        const next = this.next();
        if (next === CLOSE_BRACE) return;
        if (next !== COMMA) throw NOT_CLEAN;
      }
    }
    if (byte === OPEN_BRACKET) {
      this.at++;
      if (this.peek() === CLOSE_BRACKET) {
        this.at++;
        return;
      }
      for (;;) {
        this.skipValue(depth + 1);
        const next = this.next();
        if (next === CLOSE_BRACKET) return;
        if (next !== COMMA) throw NOT_CLEAN;
      }
    }
    this.readScalar();
  }
}

/** Bytes as text, one character per byte (number literals and ASCII strings). */
function latin1(bytes: Uint8Array, start: number, end: number): string {
  // One flat string, no string per character (short ones are the common case).
  if (end - start <= 64) {
    return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
  }
  return utf8Decoder.decode(bytes.subarray(start, end));
}

/**
 * Scan a GeoJSON file's bytes (see the top of this file): its columns, or null when the file
 * is not clean in this scanner's sense (the caller then reads it as before).
 */
export function scanGeoJson(bytes: Uint8Array): GeoJsonScan | null {
  const scanner = new Scanner(bytes);
  try {
    scanner.scan();
  } catch (error) {
    if (error instanceof NotClean || error instanceof RangeError) return null;
    throw error;
  }
  const count = scanner.featureCount;
  return {
    bytes,
    featureCount: count,
    geometryType: scanner.geometryType.subarray(0, count),
    featurePart: scanner.featurePart.subarray(0, count + 1),
    partVertex: scanner.partVertex.subarray(0, scanner.partCount + 1),
    partStartsPolygon: scanner.partStartsPolygon.subarray(0, scanner.partCount),
    lonLat: scanner.lonLat.subarray(0, 2 * scanner.vertexCount),
    propertyStart: scanner.propertyStart.subarray(0, count + 1),
    propertyKey: scanner.propertyKey.subarray(0, scanner.propertyCount),
    valueKind: scanner.valueKind.subarray(0, scanner.propertyCount),
    valueStart: scanner.valueStart.subarray(0, scanner.propertyCount),
    valueEnd: scanner.valueEnd.subarray(0, scanner.propertyCount),
    idKind: scanner.idKind.subarray(0, count),
    idStart: scanner.idStart.subarray(0, count),
    idEnd: scanner.idEnd.subarray(0, count),
    keys: scanner.keys,
  };
}

/** A scalar literal of the scan (kind and byte range), as JSON.parse reads it. */
export function scanLiteral(
  scan: GeoJsonScan,
  kind: number,
  start: number,
  end: number,
): string | number | boolean | null {
  switch (kind) {
    case VALUE_ASCII:
      return latin1(scan.bytes, start + 1, end - 1);
    case VALUE_STRING:
      return JSON.parse(utf8Decoder.decode(scan.bytes.subarray(start, end))) as string;
    case VALUE_UTF8:
      return utf8Decoder.decode(scan.bytes.subarray(start + 1, end - 1));
    case VALUE_NUMBER: {
      // Small integers are common (ids, heights): no string on the way.
      const bytes = scan.bytes;
      let value = 0;
      let i = start;
      const negative = bytes[i] === MINUS;
      if (negative) i++;
      if (end - i <= 15 && bytes[i] !== ZERO) {
        for (; i < end; i++) {
          const byte = bytes[i]!;
          if (byte < ZERO || byte > NINE) break;
          value = value * 10 + (byte - ZERO);
        }
        if (i === end) return negative ? -value : value;
      }
      return Number(latin1(bytes, start, end));
    }
    case VALUE_TRUE:
      return true;
    case VALUE_FALSE:
      return false;
    case VALUE_NULL:
      return null;
    default:
      return null;
  }
}

/** Property k's value (an index between propertyStart[f] and propertyStart[f + 1]). */
export function scanValue(scan: GeoJsonScan, k: number): string | number | boolean | null {
  return scanLiteral(scan, scan.valueKind[k]!, scan.valueStart[k]!, scan.valueEnd[k]!);
}

/** The index of feature f's property with key id `key`, or -1. */
export function scanPropertyIndex(scan: GeoJsonScan, f: number, key: number): number {
  if (key < 0) return -1;
  const end = scan.propertyStart[f + 1]!;
  const keys = scan.propertyKey;
  for (let k = scan.propertyStart[f]!; k < end; k++) if (keys[k] === key) return k;
  return -1;
}

/** The id of a key name in the scan, or -1 when no feature has it. */
export function scanKeyId(scan: GeoJsonScan, name: string): number {
  return scan.keys.indexOf(name);
}

/** Feature f's id as the importer keeps it (undefined when absent or null). */
export function scanFeatureId(scan: GeoJsonScan, f: number): string | number | undefined {
  const kind = scan.idKind[f]!;
  if (kind === VALUE_NONE) return undefined;
  return scanLiteral(scan, kind, scan.idStart[f]!, scan.idEnd[f]!) as string | number;
}

/** A feature of scanFeatures: what readCleanGeoJson gives for it. */
export interface ScannedFeature {
  type: "Feature";
  geometry: { type: string; coordinates: unknown };
  properties: Record<string, unknown>;
  id?: string | number;
}

/** Part k's positions as [x, y] arrays. */
function partPositions(scan: GeoJsonScan, k: number): [number, number][] {
  const positions: [number, number][] = [];
  const lonLat = scan.lonLat;
  for (let v = scan.partVertex[k]!; v < scan.partVertex[k + 1]!; v++) {
    positions.push([lonLat[2 * v]!, lonLat[2 * v + 1]!]);
  }
  return positions;
}

/**
 * The features of a scan as objects, as readCleanGeoJson returns them: for the tests (the
 * oracle is JSON.parse) and for callers that need whole features after all.
 */
export function scanFeatures(scan: GeoJsonScan): ScannedFeature[] {
  const features: ScannedFeature[] = [];
  for (let f = 0; f < scan.featureCount; f++) {
    const type = scan.geometryType[f]!;
    const first = scan.featurePart[f]!;
    const last = scan.featurePart[f + 1]!;
    let coordinates: unknown;
    if (type === SCAN_POINT) coordinates = partPositions(scan, first)[0];
    else if (type === SCAN_MULTI_POINT || type === SCAN_LINE_STRING) {
      coordinates = partPositions(scan, first);
    } else if (type === SCAN_MULTI_LINE_STRING || type === SCAN_POLYGON) {
      const parts = [];
      for (let k = first; k < last; k++) parts.push(partPositions(scan, k));
      coordinates = parts;
    } else {
      const polygons: [number, number][][][] = [];
      for (let k = first; k < last; k++) {
        if (scan.partStartsPolygon[k] === 1) polygons.push([]);
        polygons[polygons.length - 1]!.push(partPositions(scan, k));
      }
      coordinates = polygons;
    }
    const properties: Record<string, unknown> = {};
    for (let k = scan.propertyStart[f]!; k < scan.propertyStart[f + 1]!; k++) {
      properties[scan.keys[scan.propertyKey[k]!]!] = scanValue(scan, k);
    }
    const feature: ScannedFeature = {
      type: "Feature",
      geometry: { type: SCAN_GEOMETRY_TYPES[type]!, coordinates },
      properties,
    };
    const id = scanFeatureId(scan, f);
    if (id !== undefined) feature.id = id;
    features.push(feature);
  }
  return features;
}
