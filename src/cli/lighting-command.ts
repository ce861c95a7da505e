/**
 * `lykta lighting --paths PATHS --lamps LAMPS [--mode coverage|illuminance] [--radius M]
 * [--step M] -o OUT.geojson`: the lighting analysis of a path network (src/domain/lighting,
 * docs/lighting.md). Writes the path pieces (state, length, class, and in illuminance mode the
 * modelled light and compliance) to OUT and prints one JSON object on stdout: totals
 * (`paths_m`, `unlit_m` = `tagged_lit_m` + `dark_m` + `unknown_m`, ...), per class, per area,
 * lamp counts and the worst dark gaps.
 *
 * PATHS and LAMPS are any file Lykta reads (GeoJSON, OSM XML or PBF, GeoPackage, ...); they
 * may be the same OSM file. Exit status as every command: 0 done, 1 invalid data (nothing
 * written), 2 usage error or unreadable file. Problems are printed as `file: where: reason`.
 *
 * Start-up matters here (benchmark 8f times the whole process): clean GeoJSON paths and lamps
 * are read by the byte scanner straight into the model's columns (domain/import/geojson-scan.ts,
 * lighting/inputs-scan.ts); other clean GeoJSON through the importer's fast path
 * (geojson-fast.ts); the other importers (with proj4, xmldom, sql.js, ...) are loaded through
 * `load` only for a file that needs them. cli/entry.ts runs a plain call from a code-cached
 * bundle of this module (lighting-fast.ts) without the rest of lykta.ts.
 */
import { basename, extname } from "node:path";
import type { Feature, Geometry } from "geojson";
import lightingClassesData from "../../data/lighting-classes.json";
import pathClassesData from "../../data/path-classes.json";
import { type GeoJsonScan, scanGeoJson } from "../domain/import/geojson-scan";
import type { ImportIssue, ImportSuccess } from "../domain/import/types";
import { looksLikeOsm, OSM_ATTRIBUTION, type PathClassesFile } from "../domain/layers";
import {
  areasFromFeatures,
  createLightingModel,
  type LeftOut,
  type LightingClassesFile,
  type LightingLamp,
  type LightingLampColumns,
  type LightingPath,
  type LightingPathColumns,
  lampsFromFeatures,
  lightingObservationsFromFeatures,
  pathsFromFeatures,
  piecesGeoJsonBytes,
  poisFromFeatures,
  RADIUS_PER_POLE_HEIGHT,
  summaryJson,
} from "../domain/lighting";
import {
  lampsFromScan,
  pathsFromScan,
  scanHasProperty,
  scanLooksLikeOsm,
} from "../domain/lighting/inputs-scan";
import {
  CallProblem,
  type CommandOptions,
  type CommandOutput,
  EXIT,
  onlyOptions,
  problemLine,
  readBytes,
  requiredOption,
  textOption,
  writeOutput,
} from "./io";
import type { LightingLoaders } from "./lighting-loaders";

const lightingClasses = lightingClassesData as LightingClassesFile;
const pathClasses = pathClassesData as PathClassesFile;

/** The options this command takes (lykta.ts parses them for every command). */
const ALLOWED_OPTIONS = [
  "output",
  "paths",
  "lamps",
  "mode",
  "radius",
  "step",
  "observations",
  "poi",
  "areas",
  "class-field",
  "from-crs",
  "skip-invalid",
] as const;

/**
 * The options of a plain `lykta lighting` call (`--name value` pairs, `--skip-invalid`), as
 * lykta.ts's parseArgs would give them; null for anything else (`--name=value`, a value that
 * starts with "-", an option twice, a positional, --help, an unknown option), which lykta.ts
 * parses and refuses as usual. cli/entry.ts runs a plain call without loading lykta.ts.
 */
export function plainLightingOptions(args: readonly string[]): Record<string, unknown> | null {
  const options: Record<string, unknown> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const name = arg === "-o" ? "output" : arg.startsWith("--") ? arg.slice(2) : null;
    if (name === null || !(ALLOWED_OPTIONS as readonly string[]).includes(name)) return null;
    if (name in options) return null;
    if (name === "skip-invalid") {
      options[name] = true;
      continue;
    }
    const value = args[i + 1];
    if (value === undefined || value.startsWith("-")) return null;
    options[name] = value;
    i++;
  }
  return options;
}

/** Help for `lykta --help` (lykta.ts prints it with the other commands). */
export const LIGHTING_HELP = `  lighting     Lighting analysis of a path network (docs/lighting.md). Every LineString in
               PATHS is a path; Points in LAMPS are lamps (in OSM data only
               highway=street_lamp). Path class: --class-field's value when it is a class of
               data/path-classes.json (main_route, school_route, local_footway, park_path,
               residential_street, steps), else the default of the OSM highway tag (listed in
               that file), else none ("unclassified": measured, never judged). Target P class
               per path class from data/lighting-classes.json (EN 13201-2).
               Coverage: a path is lit within R of a working lamp; R is --radius, else
               ${RADIUS_PER_POLE_HEIGHT} x pole height (5 m poles when unknown). Unlit pieces are
               tagged_lit (lit=yes), dark (lit=no, or a walk reported it dark) or unknown.
               Illuminance: E = I(gamma) cos^3(gamma) / h^2 summed over lamps, every --step m,
               with E_avg, E_min, uniformity and compliance per piece.
               Writes the pieces to OUT (GeoJSON) and prints one JSON summary on stdout.`;

function positiveNumber(name: string, value: unknown): number | null {
  if (value === undefined) return null;
  const number = Number(value);
  if (typeof value !== "string" || value.trim() === "" || !Number.isFinite(number) || number <= 0) {
    throw new CallProblem(`--${name} ${String(value)}: give a positive number of metres`);
  }
  return number;
}

/** The worst gaps the summary lists (`gap_count` counts every one). */
const PRINTED_GAPS = 20;

/** At most this many repair or left-out lines per file (clipped OSM extracts have many). */
const MAX_LINES_PER_FILE = 5;

interface Inputs {
  results: Map<string, ImportSuccess>;
  /**
   * Paths and lamps files read by the byte scanner (clean GeoJSON used for nothing else):
   * no features are made for them.
   */
  scans: Map<string, GeoJsonScan>;
  /** Rejected features of files that are not OSM extracts, to print. */
  problems: string[];
  rejected: number;
}

/** Print at most MAX_LINES_PER_FILE lines, then how many more. */
function printSome(
  file: string,
  issues: readonly ImportIssue[],
  suffix: string,
  io: CommandOutput,
) {
  for (const issue of issues.slice(0, MAX_LINES_PER_FILE))
    io.err(`${problemLine(file, issue)} ${suffix}`);
  if (issues.length > MAX_LINES_PER_FILE) {
    io.err(
      `${file}: ${issues.length - MAX_LINES_PER_FILE} more ${suffix} (lykta validate ${file} lists them all)`,
    );
  }
}

/**
 * Read each distinct file once (PATHS and LAMPS may be the same OSM extract). Files in
 * `scannable` are read by the byte scanner when they are clean GeoJSON.
 */
async function readAll(
  files: readonly string[],
  scannable: ReadonlySet<string>,
  fromCrs: string | undefined,
  io: CommandOutput,
  load: LightingLoaders,
): Promise<Inputs | null> {
  const results = new Map<string, ImportSuccess>();
  const scans = new Map<string, GeoJsonScan>();
  const problems: string[] = [];
  let rejected = 0;
  for (const file of new Set(files)) {
    const bytes = readBytes(file);
    if (fromCrs === undefined && isGeoJsonName(file) && scannable.has(file)) {
      // Clean GeoJSON is read as importFile would read it, with nothing to report.
      const scan = scanGeoJson(bytes);
      if (scan !== null) {
        scans.set(file, scan);
        continue;
      }
    }
    // As importFile reads it when it is clean GeoJSON, without loading every importer.
    const clean =
      fromCrs === undefined && isGeoJsonName(file)
        ? (await load.geojsonFast()).readCleanGeoJson(bytes)
        : null;
    const result =
      clean ??
      (await (
        await load.importer()
      ).importFile({
        name: file,
        bytes,
        ...(fromCrs === undefined ? {} : { fromCrs }),
      }));
    if (!result.ok) {
      io.out(problemLine(file, result.issue));
      return null;
    }
    printSome(file, result.repaired, "(repaired)", io);
    if (isOsm(result)) {
      // Ways cut off at an extract's edge: left out, as lykta import-osm does.
      printSome(file, result.rejected, "(left out)", io);
    } else {
      for (const issue of result.rejected) problems.push(problemLine(file, issue));
      rejected += result.rejected.length;
    }
    results.set(file, result);
  }
  return { results, scans, problems, rejected };
}

/** The names importFile reads as GeoJSON whatever their content (detectFormat). */
function isGeoJsonName(file: string): boolean {
  const lower = file.toLowerCase();
  return lower.endsWith(".geojson") || lower.endsWith(".json");
}

function isOsm(result: ImportSuccess): boolean {
  return result.format === "osm-xml" || result.format === "osm-pbf";
}

/**
 * Run `lykta lighting` with the positionals after the command and the options lykta.ts
 * parsed; `load` brings the importers a file may need (LIGHTING_LOADERS). Returns the exit
 * status; throws a CallProblem for a mistake in the call (lykta.ts prints it, as it prints
 * any other error as a bug).
 */
export async function lightingCommand(
  positionals: readonly string[],
  options: CommandOptions,
  io: CommandOutput,
  load: LightingLoaders,
): Promise<number> {
  // LYKTA_TIMING=1 prints when each step ends, in ms since the process started (benchmark
  // 8f's breakdown). `performance` is only touched then: it loads a module of its own.
  const mark =
    process.env.LYKTA_TIMING === "1"
      ? (step: string) => io.err(`lykta timing: ${step} done at ${performance.now().toFixed(1)} ms`)
      : () => {};
  mark("start (Node and the program loaded)");
  onlyOptions("lighting", options, ALLOWED_OPTIONS);
  if (positionals.length > 0) {
    throw new CallProblem(
      `lighting takes its files as options, not "${positionals[0]}": lykta lighting --paths PATHS --lamps LAMPS -o OUT.geojson`,
    );
  }
  const text = (name: string) => textOption(options, name);
  const pathsFile = requiredOption(options, "paths", "lighting needs --paths PATHS");
  const lampsFile = requiredOption(options, "lamps", "lighting needs --lamps LAMPS");
  const output = requiredOption(options, "output", "lighting needs -o OUT.geojson");
  const extension = extname(output).toLowerCase();
  if (extension !== ".geojson" && extension !== ".json") {
    throw new CallProblem(
      `-o ${output}: lighting writes GeoJSON (.geojson or .json); convert it further with lykta convert`,
    );
  }
  const mode = text("mode") ?? "coverage";
  if (mode !== "coverage" && mode !== "illuminance") {
    throw new CallProblem(`--mode ${mode}: give coverage or illuminance`);
  }
  const radiusM = positiveNumber("radius", options.radius);
  const stepM = positiveNumber("step", options.step);
  if (stepM !== null && mode !== "illuminance") {
    throw new CallProblem("--step applies to --mode illuminance only");
  }
  // The CRS code (proj4) only for a file that needs it.
  const fromCrsName = text("from-crs");
  const fromCrs =
    fromCrsName === undefined ? undefined : (await load.crsOptions()).inputCrs(fromCrsName);
  const observationsFile = text("observations");
  const poiFile = text("poi");
  const areasFile = text("areas");
  const files = [pathsFile, lampsFile, observationsFile, poiFile, areasFile].filter(
    (file): file is string => file !== undefined && file !== "",
  );

  const classField = text("class-field");
  // The paths and lamps files can be scanned unless another input needs their features, or
  // the class field names a member every object inherits (properties.toString ...).
  const scannable = new Set(
    classField !== undefined && classField in Object.prototype ? [] : [pathsFile, lampsFile],
  );
  for (const file of [observationsFile, poiFile, areasFile]) {
    if (file !== undefined) scannable.delete(file);
  }
  const inputs = await readAll(files, scannable, fromCrs, io, load);
  mark("read and scan the files");
  if (inputs === null) return EXIT.invalid;
  if (inputs.rejected > 0) {
    if (!options["skip-invalid"]) {
      for (const line of inputs.problems) io.out(line);
      io.err(
        `lykta: ${inputs.rejected} features rejected; nothing written. Fix them, or pass --skip-invalid to analyse the valid ones.`,
      );
      return EXIT.invalid;
    }
    for (const line of inputs.problems.slice(0, MAX_LINES_PER_FILE)) io.err(`${line} (left out)`);
    if (inputs.problems.length > MAX_LINES_PER_FILE) {
      io.err(`lykta: ${inputs.problems.length - MAX_LINES_PER_FILE} more left out`);
    }
  }
  const featuresOf = (file: string): Feature<Geometry | null>[] =>
    inputs.results.get(file)!.features;
  const osmLayers = async (result: ImportSuccess) =>
    (await load.osm()).splitOsmLayers(result.features);
  let paths: LightingPathColumns | LightingPath[];
  let notPaths: LeftOut[];
  let classFieldFound: boolean;
  const pathsScan = inputs.scans.get(pathsFile);
  if (pathsScan !== undefined) {
    ({ paths, leftOut: notPaths } = pathsFromScan(pathsScan, {
      pathClasses,
      ...(classField === undefined ? {} : { classField }),
    }));
    classFieldFound = classField === undefined || scanHasProperty(pathsScan, classField);
  } else {
    const pathsResult = inputs.results.get(pathsFile)!;
    const pathFeatures = isOsm(pathsResult)
      ? (await osmLayers(pathsResult)).paths
      : featuresOf(pathsFile);
    ({ paths, leftOut: notPaths } = pathsFromFeatures(pathFeatures, {
      pathClasses,
      ...(classField === undefined ? {} : { classField }),
    }));
    classFieldFound =
      classField === undefined ||
      pathFeatures.some((feature) => feature.properties?.[classField] !== undefined);
  }
  mark("paths");
  let lamps: LightingLampColumns | LightingLamp[];
  let notLamps: LeftOut[];
  const lampsScan = inputs.scans.get(lampsFile);
  if (lampsScan !== undefined) {
    ({ lamps, leftOut: notLamps } = lampsFromScan(lampsScan));
  } else {
    const lampsResult = inputs.results.get(lampsFile)!;
    const lampFeatures = isOsm(lampsResult)
      ? (await osmLayers(lampsResult)).lamps
      : featuresOf(lampsFile);
    ({ lamps, leftOut: notLamps } = lampsFromFeatures(lampFeatures));
  }
  mark("lamps");
  const pathCount = "count" in paths ? paths.count : paths.length;
  const lampCount = "count" in lamps ? lamps.count : lamps.length;
  // Points in a paths file and lines in a lamps file are expected (one OSM extract for both).
  const tooShort = notPaths.filter((entry) => entry.code === "lighting_line_too_short");
  for (const entry of tooShort) io.err(`${pathsFile}: ${entry.where}: ${entry.message} (left out)`);
  if (pathCount === 0) {
    io.out(`${pathsFile}: no LineStrings: nothing to analyse (paths are lines)`);
    return EXIT.invalid;
  }
  if (!classFieldFound) {
    io.err(
      `${pathsFile}: no feature has the field "${classField}"; classes come from OSM highway tags`,
    );
  }
  const observations = observationsFile
    ? lightingObservationsFromFeatures(featuresOf(observationsFile))
    : [];
  const pois = poiFile ? poisFromFeatures(featuresOf(poiFile)) : [];
  const areas = areasFile ? areasFromFeatures(featuresOf(areasFile)) : [];

  const model = createLightingModel(
    { paths, lamps, observations, pois, areas },
    {
      classes: lightingClasses,
      radiusM,
      // Only the printed gaps are described (the count covers them all).
      maxGaps: PRINTED_GAPS,
      ...(stepM === null ? {} : { stepM }),
    },
  );
  mark("model (projection, index, intervals)");
  const result = mode === "illuminance" ? model.illuminance() : model.coverage();
  mark("coverage");
  const osm =
    [...inputs.results.values()].some(
      (entry) =>
        entry.attribution === OSM_ATTRIBUTION || isOsm(entry) || looksLikeOsm(entry.features),
    ) || [...inputs.scans.values()].some((scan) => scanLooksLikeOsm(scan));
  const bytesOut = piecesGeoJsonBytes(model, result, lightingClasses, {
    name: basename(output, extname(output)),
    ...(osm ? { attribution: OSM_ATTRIBUTION } : {}),
  });
  mark("pieces as GeoJSON bytes");
  writeOutput(output, bytesOut);
  mark("write the pieces");
  const summary = {
    ...summaryJson(result, PRINTED_GAPS),
    path_count: pathCount,
    lamp_count: lampCount,
    ...(observationsFile ? { observation_count: observations.length } : {}),
    ...(poiFile ? { poi_count: pois.length } : {}),
  };
  io.out(JSON.stringify(summary, null, 2));
  io.err(
    `${output}: ${result.pieces.count} path pieces (${mode}, ${radiusM === null ? `R = ${RADIUS_PER_POLE_HEIGHT} x pole height` : `R = ${radiusM} m`}; ${pathCount} paths, ${lampCount} lamps, ${notLamps.length} other features in ${lampsFile})`,
  );
  if (osm) io.err(`Credit: ${OSM_ATTRIBUTION}`);
  mark("summary");
  return EXIT.ok;
}
