/**
 * CSV importer (papaparse): a point per row from coordinate columns, or any geometry from a
 * WKT column. Swedish Excel writes `;` between fields and decimal commas ("59,3293"); both
 * are read.
 *
 * Reading rules:
 * - Text: UTF-8, or Windows-1252 when not valid UTF-8 (encoding.ts). Line endings \r\n, \n
 *   and \r. An Excel `sep=;` first line names the delimiter; otherwise the delimiter is the
 *   one of `;` `,` tab `|` that occurs most often in the header line (outside quotes; ties go
 *   to `;`, then tab, then `,`).
 * - The first non-blank line is the header. Line numbers in messages are those of a text
 *   editor (the header is line 1, or 2 after a `sep=` line). Rows with only blank fields are
 *   skipped; a row with more or fewer fields than the header is rejected (its values would
 *   land in the wrong columns).
 * - Columns, matched without case, accents, spaces or punctuation ("Öst", "lat_wgs84"):
 *   - WGS 84: latitude `lat`, `latitude`, `latitud`, `breddgrad`; longitude `lon`, `lng`,
 *     `long`, `longitude`, `longitud`, `längdgrad` (and `…_wgs84` forms).
 *   - SWEREF 99 TM (EPSG:3006): northing `n`, `north`, `northing`, `nord`,
 *     `nordkoordinat`; easting `e`, `east`, `easting`, `öst`/`ost`, `östkoordinat` (and
 *     `sweref99_n`-like forms). Rows must lie in SWEREF 99 TM's Swedish range (E 180 000–
 *     1 090 000, N 6 090 000–7 700 000) unless the CRS is given (a local zone or RT 90).
 *   - `x` and `y` (also `xcoord`, `x_koordinat`, ...) are resolved by their values: all within
 *     ±180/±90 → WGS 84 with x = longitude; all in SWEREF 99 TM's range one way round →
 *     SWEREF 99 TM, with x = easting (GIS) or x = northing (Swedish surveying, where X is
 *     north), whichever fits; otherwise they are read as WGS 84 and refused with a hint to
 *     name the CRS. With a given projected CRS, the column with the larger values is the
 *     northing (true for every Swedish grid).
 *   - WKT: `wkt`, `wkt_geom`, `geometry`, `geom`, `the_geom`, `shape`, when its first value
 *     starts with a WKT type. POINT, LINESTRING, POLYGON, their MULTI forms and
 *     GEOMETRYCOLLECTION (split into features), Z/M values dropped; an EWKT `SRID=3006;`
 *     prefix names the CRS. Otherwise WKT is in the CRS of coordinate columns beside it
 *     (Lykta's SWEREF 99 TM CSV export has `e`, `n` and `wkt`), else WGS 84 (as in GeoJSON).
 *   - When several apply, WKT wins, then lat/lon, then N/E, then x/y. `input.fromCrs`
 *     overrides the CRS in every case.
 * - Properties: every other column, as a string exactly as read (no number conversion: "0123"
 *   and "4,5" stay as written; field mapping parses measures later). Header names are trimmed;
 *   an empty name becomes `column_N`, a repeated one `name_2`.
 */
import type { Feature, Geometry } from "geojson";
import Papa from "papaparse";
import {
  crsDefinition,
  parseCrsName,
  SUPPORTED_CRS_TEXT,
  SWEREF99_TM,
  toWgs84,
  WGS84,
} from "../crs";
import { decodeText } from "./encoding";
import {
  GEOJSON_REASONS,
  GeometryReader,
  likelyProjectedCrs,
  MAX_COLLECTION_DEPTH,
  REPAIRS,
  WGS84_DECIMALS,
} from "./geojson-checks";
import type {
  ImportFailure,
  ImportInput,
  ImportIssue,
  ImportResult,
  ProgressCallback,
} from "./types";

/** Reason codes only the CSV importer emits (it also uses GEOJSON_REASONS' geometry codes). */
export const CSV_REASONS = {
  noCoordinateColumns: "csv_no_coordinate_columns",
  noRows: "csv_no_rows",
  fieldCount: "csv_field_count",
  quotes: "csv_quotes",
  coordinateMissing: "csv_coordinate_missing",
  coordinateNotNumber: "csv_coordinate_not_number",
  wktInvalid: "csv_wkt_invalid",
  outsideSweref99Tm: "csv_outside_sweref99tm",
} as const;

const PROGRESS_EVERY = 2000;

const LAT_NAMES = ["lat", "latitude", "latitud", "breddgrad", "wgs84lat", "latwgs84"];
const LON_NAMES = [
  "lon",
  "lng",
  "long",
  "longitude",
  "longitud",
  "langdgrad",
  "wgs84lon",
  "lonwgs84",
  "wgs84long",
  "longwgs84",
  "wgs84lng",
  "lngwgs84",
];
const NORTH_NAMES = [
  "n",
  "north",
  "northing",
  "nord",
  "nordkoordinat",
  "nkoordinat",
  "sweref99n",
  "sweref99tmn",
  "nsweref99",
  "nsweref99tm",
  "swerefn",
  "nsweref",
];
const EAST_NAMES = [
  "e",
  "east",
  "easting",
  "ost",
  "ostkoordinat",
  "ekoordinat",
  "sweref99e",
  "sweref99tme",
  "esweref99",
  "esweref99tm",
  "swerefe",
  "esweref",
];
const X_NAMES = ["x", "xcoord", "xcoordinate", "xkoord", "xkoordinat", "pointx", "coordx"];
const Y_NAMES = ["y", "ycoord", "ycoordinate", "ykoord", "ykoordinat", "pointy", "coordy"];
const WKT_NAMES = ["wkt", "wktgeom", "wktgeometry", "geometry", "geom", "thegeom", "shape"];

const WKT_START =
  /^\s*(srid=\d+;\s*)?(point|linestring|polygon|multipoint|multilinestring|multipolygon|geometrycollection)\b/i;

/** "Öst-koordinat " -> "ostkoordinat": compare names without case, accents or punctuation. */
function normaliseHeader(name: string): string {
  return name
    .toLowerCase()
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]/g, "");
}

/** A coordinate typed in a cell: "59,3293", "6 580 743,0", "−12.5", "1e3". */
export function parseCoordinate(cell: string): number | null {
  const text = cell.replace(/[\s\u00a0\u202f]/g, "").replace(/^\u2212/, "-");
  if (!/^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$/.test(text)) return null;
  const value = Number(text.replace(",", "."));
  return Number.isFinite(value) ? value : null;
}

/** The delimiter that occurs most often outside quotes in the header line. */
function detectDelimiter(headerLine: string): string {
  const counts = new Map<string, number>([
    [";", 0],
    ["\t", 0],
    [",", 0],
    ["|", 0],
  ]);
  let quoted = false;
  for (const char of headerLine) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && counts.has(char)) counts.set(char, counts.get(char)! + 1);
  }
  let best = ",";
  let bestCount = 0;
  for (const [delimiter, count] of counts) {
    if (count > bestCount) {
      best = delimiter;
      bestCount = count;
    }
  }
  return best;
}

function failure(
  code: string,
  message: string,
  params?: Record<string, string | number>,
): ImportFailure {
  return { ok: false, issue: { where: "file", code, message, ...(params ? { params } : {}) } };
}

interface Row {
  line: number;
  fields: string[];
  quoteError: boolean;
}

type RawGeometry =
  | { type: string; coordinates: unknown }
  | { type: "GeometryCollection"; geometries: RawGeometry[] };

/** WKT text -> a GeoJSON-shaped geometry (checked by the GeometryReader), or an error. */
export function parseWkt(text: string): { geometry: RawGeometry; srid: number | null } | string {
  let rest = text.trim();
  let srid: number | null = null;
  const sridMatch = /^srid=(\d+);/i.exec(rest);
  if (sridMatch) {
    srid = Number(sridMatch[1]);
    rest = rest.slice(sridMatch[0].length);
  }
  const tokens = rest.match(/[A-Za-z]+|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[(),]|\S/g) ?? [];
  let index = 0;
  const peek = () => tokens[index];
  const expect = (token: string) => {
    if (tokens[index] !== token) {
      throw new Error(
        tokens[index] === undefined
          ? `the WKT ends early (expected "${token}")`
          : `expected "${token}" but found "${tokens[index]}"`,
      );
    }
    index++;
  };
  const number = (): number => {
    const token = tokens[index];
    const value = token === undefined ? Number.NaN : Number(token);
    if (token === undefined || !/^[-+]?[\d.]/.test(token) || Number.isNaN(value)) {
      throw new Error(
        token === undefined
          ? "the WKT ends early (expected a number)"
          : `"${token}" is not a number`,
      );
    }
    index++;
    return value;
  };
  const position = (): number[] => {
    const values = [number(), number()];
    while (peek() !== undefined && /^[-+]?[\d.]/.test(peek()!)) values.push(number());
    return values;
  };
  const list = <T>(item: () => T): T[] => {
    expect("(");
    const items = [item()];
    while (peek() === ",") {
      index++;
      items.push(item());
    }
    expect(")");
    return items;
  };
  const positions = () => list(position);
  const geometry = (depth: number): RawGeometry => {
    const word = tokens[index++];
    const type = word?.toUpperCase();
    if (word === undefined || !/^[A-Z]+$/.test(type!)) {
      throw new Error(
        word === undefined ? "the WKT is empty" : `"${word}" is not a WKT geometry type`,
      );
    }
    const modifier = peek()?.toUpperCase();
    if (modifier === "Z" || modifier === "M" || modifier === "ZM") index++;
    if (peek()?.toUpperCase() === "EMPTY") {
      index++;
      return { type: "Empty", coordinates: [] };
    }
    switch (type) {
      case "POINT":
        return { type: "Point", coordinates: list(position)[0] };
      case "LINESTRING":
        return { type: "LineString", coordinates: positions() };
      case "POLYGON":
        return { type: "Polygon", coordinates: list(positions) };
      case "MULTIPOINT":
        // Both MULTIPOINT (1 2, 3 4) and MULTIPOINT ((1 2), (3 4)).
        return {
          type: "MultiPoint",
          coordinates: list(() => (peek() === "(" ? list(position)[0]! : position())),
        };
      case "MULTILINESTRING":
        return { type: "MultiLineString", coordinates: list(positions) };
      case "MULTIPOLYGON":
        return { type: "MultiPolygon", coordinates: list(() => list(positions)) };
      case "GEOMETRYCOLLECTION":
        if (depth >= MAX_COLLECTION_DEPTH)
          throw new Error("geometry collections nested too deeply");
        return { type: "GeometryCollection", geometries: list(() => geometry(depth + 1)) };
      default:
        throw new Error(`"${word}" is not a WKT geometry type Lykta reads`);
    }
  };
  try {
    const result = geometry(0);
    if (index < tokens.length) throw new Error(`unexpected "${tokens[index]}" after the geometry`);
    return { geometry: result, srid };
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

interface ColumnChoice {
  mode: "wkt" | "pair";
  /** Pair mode: columns of x (easting or longitude) and y (northing or latitude). */
  xColumn: number;
  yColumn: number;
  wktColumn: number;
  crs: string;
  /** N/E read as SWEREF 99 TM because of the column names: check rows against its range. */
  assumedSweref: boolean;
}

/** Import a CSV file (see the top of this file for the rules). */
export async function importCsv(
  input: ImportInput,
  onProgress: ProgressCallback = () => undefined,
): Promise<ImportResult> {
  onProgress(0);
  let fromCrs: string | null = null;
  if (input.fromCrs !== undefined) {
    fromCrs = parseCrsName(input.fromCrs);
    if (fromCrs === null) {
      return failure(
        GEOJSON_REASONS.unknownCrs,
        `The CRS given for the import, "${input.fromCrs}", is not one Lykta can reproject. Lykta reads ${SUPPORTED_CRS_TEXT}.`,
        { crs: input.fromCrs },
      );
    }
  }
  const decoded = decodeText(input.bytes);
  let text = decoded.text.replace(/\r\n?/g, "\n");
  if (text.trim() === "") {
    return failure(GEOJSON_REASONS.emptyFile, `${input.name} is empty`, { name: input.name });
  }

  // Leading blank lines and an Excel "sep=;" line come before the header.
  let firstLine = 1;
  let delimiter: string | null = null;
  for (;;) {
    const end = text.indexOf("\n");
    const line = end === -1 ? text : text.slice(0, end);
    const sep = /^"?sep=(.)"?\s*$/i.exec(line);
    if (line.trim() !== "" && !sep) break;
    if (sep) delimiter = sep[1]!;
    if (end === -1) break;
    text = text.slice(end + 1);
    firstLine++;
  }
  const headerEnd = text.indexOf("\n");
  delimiter ??= detectDelimiter(headerEnd === -1 ? text : text.slice(0, headerEnd));

  const rows: Row[] = [];
  let header: string[] | null = null;
  let line = firstLine;
  let cursor = 0;
  Papa.parse<string[]>(text, {
    delimiter,
    newline: "\n",
    quoteChar: '"',
    skipEmptyLines: false,
    step: (result) => {
      const start = line;
      const end = result.meta.cursor;
      for (let k = text.indexOf("\n", cursor); k !== -1 && k < end; k = text.indexOf("\n", k + 1)) {
        line++;
      }
      cursor = end;
      const fields = result.data;
      if (fields.every((field) => field.trim() === "")) return;
      if (header === null) {
        header = fields;
        return;
      }
      rows.push({ line: start, fields, quoteError: result.errors.length > 0 });
    },
  });
  onProgress(0.3);
  if (header === null) {
    return failure(GEOJSON_REASONS.emptyFile, `${input.name} is empty`, { name: input.name });
  }
  const headerFields: string[] = header;
  const names = uniqueNames(headerFields);
  const normalised = headerFields.map(normaliseHeader);
  const find = (candidates: readonly string[]) =>
    normalised.findIndex((name) => candidates.includes(name));

  const choice = chooseColumns(find, rows, fromCrs);
  if (typeof choice === "string") {
    return failure(
      CSV_REASONS.noCoordinateColumns,
      `${input.name} has no coordinate columns Lykta recognises (${choice}). Columns found: ${names.join(", ")}. Name them lat and lon (WGS 84), N and E (SWEREF 99 TM), or give a WKT column.`,
      { columns: names.join(", ") },
    );
  }
  if (rows.length === 0) {
    return failure(CSV_REASONS.noRows, `${input.name} has a header but no rows`, {
      name: input.name,
    });
  }

  const readers = new Map<string, GeometryReader>();
  const readerFor = (crs: string) => {
    let reader = readers.get(crs);
    if (!reader) {
      reader = new GeometryReader({
        transform: crsDefinition(crs)!.kind === "geographic" ? null : toWgs84(crs),
      });
      readers.set(crs, reader);
    }
    return reader;
  };
  const mainReader = readerFor(choice.crs);
  const geometryColumns = new Set(
    choice.mode === "wkt" ? [choice.wktColumn] : [choice.xColumn, choice.yColumn],
  );
  const propertyColumns = names
    .map((name, column) => [name, column] as const)
    .filter(([, column]) => !geometryColumns.has(column));
  const bounds = crsDefinition(SWEREF99_TM)!.bounds!;

  const features: Feature<Geometry>[] = [];
  const rejected: ImportIssue[] = [];
  const repaired: ImportIssue[] = [];
  let outsideSweref = 0;
  for (let r = 0; r < rows.length; r++) {
    if (r % PROGRESS_EVERY === PROGRESS_EVERY - 1) onProgress(0.3 + (0.7 * r) / rows.length);
    const row = rows[r]!;
    const where = `line ${row.line}`;
    const base = { line: row.line };
    const reject = (code: string, message: string, params: Record<string, string | number> = {}) =>
      rejected.push({ where, code, message, params: { ...base, ...params } });
    if (row.quoteError) {
      reject(
        CSV_REASONS.quotes,
        "a quoted value is not closed, or a quote stands inside an unquoted value",
      );
      continue;
    }
    if (row.fields.length !== headerFields.length) {
      reject(
        CSV_REASONS.fieldCount,
        `the row has ${row.fields.length} field${row.fields.length === 1 ? "" : "s"} but the header has ${headerFields.length}`,
        { count: row.fields.length, expected: headerFields.length },
      );
      continue;
    }
    let raw: RawGeometry;
    let reader = mainReader;
    if (choice.mode === "wkt") {
      const cell = row.fields[choice.wktColumn]!;
      const column = names[choice.wktColumn]!;
      if (cell.trim() === "") {
        reject(CSV_REASONS.coordinateMissing, `the ${column} column is empty`, { column });
        continue;
      }
      const parsed = parseWkt(cell);
      if (typeof parsed === "string") {
        reject(CSV_REASONS.wktInvalid, `the ${column} value is not valid WKT: ${parsed}`, {
          column,
        });
        continue;
      }
      if (parsed.geometry.type === "Empty") {
        reject(GEOJSON_REASONS.emptyGeometry, `the ${column} value is an EMPTY geometry`, {
          path: column,
        });
        continue;
      }
      if (parsed.srid !== null && fromCrs === null) {
        const crs = parseCrsName(`EPSG:${parsed.srid}`);
        if (crs === null) {
          reject(
            GEOJSON_REASONS.unknownCrs,
            `SRID=${parsed.srid} is not a CRS Lykta can reproject (${SUPPORTED_CRS_TEXT})`,
            { crs: `EPSG:${parsed.srid}` },
          );
          continue;
        }
        reader = readerFor(crs);
      }
      raw = parsed.geometry;
    } else {
      const coordinates: number[] = [];
      let problem = false;
      for (const column of [choice.xColumn, choice.yColumn]) {
        const cell = row.fields[column]!;
        const name = names[column]!;
        if (cell.trim() === "") {
          reject(CSV_REASONS.coordinateMissing, `the ${name} column is empty`, { column: name });
          problem = true;
          break;
        }
        const value = parseCoordinate(cell);
        if (value === null) {
          const shown = cell.length > 24 ? `${cell.slice(0, 24)}…` : cell;
          reject(CSV_REASONS.coordinateNotNumber, `the ${name} value "${shown}" is not a number`, {
            column: name,
            value: shown,
          });
          problem = true;
          break;
        }
        coordinates.push(value);
      }
      if (problem) continue;
      const [x, y] = coordinates as [number, number];
      if (
        choice.assumedSweref &&
        !(
          x >= bounds.minEasting &&
          x <= bounds.maxEasting &&
          y >= bounds.minNorthing &&
          y <= bounds.maxNorthing
        )
      ) {
        outsideSweref++;
        reject(
          CSV_REASONS.outsideSweref99Tm,
          `E ${x}, N ${y} is not a SWEREF 99 TM coordinate in Sweden (E 180 000–1 090 000, N 6 090 000–7 700 000); if the file uses a local SWEREF 99 zone or RT 90, name that CRS when importing`,
          { x, y },
        );
        continue;
      }
      raw = { type: "Point", coordinates: [x, y] };
    }
    reader.begin();
    const geometries = reader.read(raw, choice.mode === "wkt" ? names[choice.wktColumn]! : "point");
    if (geometries === null) {
      const problem = reader.problem!;
      if (choice.mode === "wkt") {
        reject(problem.code, problem.message, problem.params);
      } else {
        // Numbers from two columns can only fail by lying outside WGS 84 (after reprojection).
        const columns = `${names[choice.xColumn]}, ${names[choice.yColumn]}`;
        reject(problem.code, problem.message.replace(/ \(at [^)]*\)$/, ` (columns ${columns})`), {
          ...problem.params,
          path: columns,
        });
      }
      continue;
    }
    const properties = Object.fromEntries(
      propertyColumns.map(([name, column]) => [name, row.fields[column]!]),
    );
    for (const geometry of geometries) {
      features.push({
        type: "Feature",
        geometry,
        properties: geometries.length > 1 ? { ...properties } : properties,
      });
    }
    reportRowRepairs(reader, repaired, where, base, geometries.length);
  }

  // Whole-file refusals, as for GeoJSON: every row out of range means the CRS is wrong.
  if (features.length === 0 && outsideSweref > 0) {
    const first = rejected.find((issue) => issue.code === CSV_REASONS.outsideSweref99Tm)!;
    return failure(
      CSV_REASONS.outsideSweref99Tm,
      `No row has SWEREF 99 TM coordinates in Sweden (e.g. E ${first.params?.x}, N ${first.params?.y} at ${first.where}). If the file uses a local SWEREF 99 zone or RT 90, name that CRS when importing (e.g. lykta --from-crs EPSG:3011).`,
      { x: first.params?.x ?? 0, y: first.params?.y ?? 0 },
    );
  }
  const outOfRange = rejected.find((issue) => issue.code === GEOJSON_REASONS.outOfRange);
  if (features.length === 0 && outOfRange && fromCrs === null && choice.crs === WGS84) {
    const x = outOfRange.params?.x ?? 0;
    const y = outOfRange.params?.y ?? 0;
    const likely = likelyProjectedCrs(mainReader);
    if (likely) {
      return failure(
        GEOJSON_REASONS.outOfRangeLikelyCrs,
        `The coordinates are outside WGS84's range (longitude −180…180, latitude −90…90), e.g. [${x}, ${y}] at ${outOfRange.where}. They look like ${likely.name} (${likely.crs}) coordinates. Name the CRS when importing (e.g. lykta --from-crs ${likely.crs}), or name the columns N and E.`,
        { x, y, crs: likely.crs, crsName: likely.name },
      );
    }
    return failure(
      GEOJSON_REASONS.outOfRange,
      `The coordinates are outside WGS84's range (longitude −180…180, latitude −90…90), e.g. [${x}, ${y}] at ${outOfRange.where}. They look like projected coordinates (e.g. SWEREF 99 TM or a local SWEREF 99 zone). Name the CRS when importing (e.g. lykta --from-crs EPSG:3006).`,
      { x, y },
    );
  }
  if (
    crsDefinition(choice.crs)!.kind === "projected" &&
    mainReader.positionCount > 0 &&
    mainReader.allWithinDegrees
  ) {
    const [x, y] = mainReader.firstPosition!;
    return failure(
      GEOJSON_REASONS.crsMismatch,
      `The coordinates (e.g. [${x}, ${y}]) look like longitude and latitude in degrees, but the file is read as ${crsDefinition(choice.crs)!.name} (${choice.crs}), which is in metres. Name the right CRS.`,
      { crs: choice.crs, x, y },
    );
  }

  onProgress(1);
  return {
    ok: true,
    format: "csv",
    sourceCrs: choice.crs,
    encoding: decoded.encoding,
    features,
    rejected,
    repaired,
    totalFeatures: rows.length,
  };
}

/** Header names made usable as property names: trimmed, never empty, never repeated. */
function uniqueNames(header: readonly string[]): string[] {
  const seen = new Set<string>();
  return header.map((raw, column) => {
    const base = raw.trim() || `column_${column + 1}`;
    let name = base;
    for (let n = 2; seen.has(name); n++) name = `${base}_${n}`;
    seen.add(name);
    return name;
  });
}

/** Which columns hold the geometry and in which CRS, or why none do. */
function chooseColumns(
  find: (candidates: readonly string[]) => number,
  rows: readonly Row[],
  fromCrs: string | null,
): ColumnChoice | string {
  const pair = (x: number, y: number, crs: string, assumedSweref: boolean): ColumnChoice => ({
    mode: "pair",
    xColumn: x,
    yColumn: y,
    wktColumn: -1,
    crs,
    assumedSweref,
  });
  const lat = find(LAT_NAMES);
  const lon = find(LON_NAMES);
  const north = find(NORTH_NAMES);
  const east = find(EAST_NAMES);
  const x = find(X_NAMES);
  const y = find(Y_NAMES);
  let coordinates: ColumnChoice | null = null;
  if (lat !== -1 && lon !== -1) coordinates = pair(lon, lat, fromCrs ?? WGS84, false);
  else if (north !== -1 && east !== -1) {
    coordinates = pair(east, north, fromCrs ?? SWEREF99_TM, fromCrs === null);
  } else if (x !== -1 && y !== -1) coordinates = resolveXy(x, y, rows, fromCrs, pair);

  const wkt = find(WKT_NAMES);
  if (wkt !== -1) {
    const firstValue = rows.find((row) => (row.fields[wkt] ?? "").trim() !== "")?.fields[wkt];
    if (firstValue !== undefined && WKT_START.test(firstValue)) {
      // WKT carries no CRS: coordinate columns beside it are in the same one (Lykta's own
      // SWEREF 99 TM CSV export has e, n and wkt); else WGS 84, as in GeoJSON.
      return {
        mode: "wkt",
        xColumn: -1,
        yColumn: -1,
        wktColumn: wkt,
        crs: fromCrs ?? coordinates?.crs ?? WGS84,
        assumedSweref: false,
      };
    }
  }
  if (coordinates !== null) return coordinates;
  const found = [
    lat !== -1 ? "latitude without longitude" : null,
    lon !== -1 ? "longitude without latitude" : null,
    north !== -1 ? "northing without easting" : null,
    east !== -1 ? "easting without northing" : null,
    x !== -1 ? "x without y" : null,
    y !== -1 ? "y without x" : null,
    wkt !== -1 ? "a geometry column whose values are not WKT" : null,
  ].filter((entry) => entry !== null);
  return found.length > 0 ? found.join("; ") : "no lat/lon, N/E, x/y or WKT column";
}

/** x and y columns: which is which, and in which CRS, decided by their values. */
function resolveXy(
  x: number,
  y: number,
  rows: readonly Row[],
  fromCrs: string | null,
  pair: (x: number, y: number, crs: string, assumedSweref: boolean) => ColumnChoice,
): ColumnChoice {
  const values: [number, number][] = [];
  for (const row of rows) {
    const a = parseCoordinate(row.fields[x] ?? "");
    const b = parseCoordinate(row.fields[y] ?? "");
    if (a !== null && b !== null) values.push([a, b]);
  }
  if (fromCrs !== null) {
    if (crsDefinition(fromCrs)!.kind === "geographic") return pair(x, y, fromCrs, false);
    // Every Swedish grid has northings (6.1–7.7 million) above its eastings.
    const xIsNorth = values.filter(([a, b]) => a > b).length > values.length / 2;
    return xIsNorth ? pair(y, x, fromCrs, false) : pair(x, y, fromCrs, false);
  }
  if (values.every(([a, b]) => Math.abs(a) <= 180 && Math.abs(b) <= 90)) {
    return pair(x, y, WGS84, false);
  }
  const bounds = crsDefinition(SWEREF99_TM)!.bounds!;
  const fits = (east: number, north: number) =>
    east >= bounds.minEasting &&
    east <= bounds.maxEasting &&
    north >= bounds.minNorthing &&
    north <= bounds.maxNorthing;
  if (values.length > 0 && values.every(([a, b]) => fits(a, b))) {
    return pair(x, y, SWEREF99_TM, true);
  }
  if (values.length > 0 && values.every(([a, b]) => fits(b, a))) {
    return pair(y, x, SWEREF99_TM, true);
  }
  // Neither: read as WGS 84, so rows outside its range are refused with a hint.
  return pair(x, y, WGS84, false);
}

function reportRowRepairs(
  reader: GeometryReader,
  repaired: ImportIssue[],
  where: string,
  base: Record<string, string | number>,
  parts: number,
): void {
  const repair = (code: string, message: string, params: Record<string, string | number> = {}) =>
    repaired.push({ where, code, message, params: { ...base, ...params } });
  if (reader.collection) {
    repair(
      REPAIRS.geometryCollectionSplit,
      `GEOMETRYCOLLECTION split into ${parts} feature${parts === 1 ? "" : "s"}, each with the row's values`,
      { count: parts },
    );
  }
  if (reader.dimensionsDropped) {
    repair(REPAIRS.dimensionsDropped, "Z or M values dropped; only x and y are kept");
  }
  if (reader.precisionReduced) {
    repair(
      REPAIRS.precisionReduced,
      `coordinates rounded to ${WGS84_DECIMALS} decimals (about 1 cm)`,
      { decimals: WGS84_DECIMALS },
    );
  }
  if (reader.duplicatesRemoved > 0) {
    const count = reader.duplicatesRemoved;
    repair(
      REPAIRS.duplicatePositionsRemoved,
      `removed ${count} repeated position${count === 1 ? "" : "s"} (the same point twice in a row)`,
      { count },
    );
  }
  if (reader.rewound) {
    repair(
      REPAIRS.windingRewound,
      "polygon rings rewound to the right-hand rule (outer ring counterclockwise, holes clockwise)",
    );
  }
}
