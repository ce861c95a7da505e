/**
 * The layers a lighting analysis reads (`lykta plan`; meant for `lykta lighting` too): the path
 * network and lamps, points of interest and priority areas, from any file Lykta reads
 * (GeoJSON, OSM XML or PBF, GeoPackage, ...). PATHS and LAMPS may be one OSM extract: each
 * distinct file is read once.
 *
 * The importers (with proj4, xmldom, sql.js, ...) load when the first file is read, not when
 * the command starts.
 */
import pathClassesData from "../../data/path-classes.json";
import type { ImportIssue, ImportSuccess } from "../domain/import/types";
import { looksLikeOsm, OSM_ATTRIBUTION, type PathClassesFile } from "../domain/layers";
import {
  type LightingLamp,
  type LightingPath,
  lampsFromFeatures,
  pathsFromFeatures,
} from "../domain/lighting";
import { type CommandOutput, problemLine, readBytes } from "./io";

const pathClasses = pathClassesData as PathClassesFile;

/** At most this many repair or left-out lines per file (clipped OSM extracts have many). */
export const MAX_LINES_PER_FILE = 5;

export interface LayerInputs {
  /** Each file read, by its name as given. */
  results: Map<string, ImportSuccess>;
  /** Rejected features of files that are not OSM extracts, as problem lines. */
  problems: string[];
  rejected: number;
}

/** Print at most MAX_LINES_PER_FILE lines on stderr, then how many more. */
function printSome(
  file: string,
  issues: readonly ImportIssue[],
  suffix: string,
  io: CommandOutput,
): void {
  for (const issue of issues.slice(0, MAX_LINES_PER_FILE)) {
    io.err(`${problemLine(file, issue)} ${suffix}`);
  }
  if (issues.length > MAX_LINES_PER_FILE) {
    io.err(
      `${file}: ${issues.length - MAX_LINES_PER_FILE} more ${suffix} (lykta validate ${file} lists them all)`,
    );
  }
}

export function isOsm(result: ImportSuccess): boolean {
  return result.format === "osm-xml" || result.format === "osm-pbf";
}

/**
 * Read each distinct file once. A file that cannot be read as a whole is printed (stdout) and
 * gives null; ways cut off at an OSM extract's edge are left out with a line on stderr, as
 * `lykta import-osm` does; other rejected features come back as `problems` for the command
 * to refuse or, with --skip-invalid, leave out.
 */
export async function readLayerFiles(
  files: readonly string[],
  fromCrs: string | undefined,
  io: CommandOutput,
): Promise<LayerInputs | null> {
  const results = new Map<string, ImportSuccess>();
  const problems: string[] = [];
  let rejected = 0;
  for (const file of new Set(files)) {
    const bytes = readBytes(file);
    const { importFile } = await import("../domain/import");
    const result = await importFile({
      name: file,
      bytes,
      ...(fromCrs === undefined ? {} : { fromCrs }),
    });
    if (!result.ok) {
      io.out(problemLine(file, result.issue));
      return null;
    }
    printSome(file, result.repaired, "(repaired)", io);
    if (isOsm(result)) printSome(file, result.rejected, "(left out)", io);
    else {
      for (const issue of result.rejected) problems.push(problemLine(file, issue));
      rejected += result.rejected.length;
    }
    results.set(file, result);
  }
  return { results, problems, rejected };
}

/**
 * Rejected features: refused (printed on stdout, false: exit 1, nothing written) unless
 * `skipInvalid`, when a few are named on stderr as left out. `verb`: what the command does
 * with the valid ones ("analyse").
 */
export function acceptRejected(
  inputs: LayerInputs,
  skipInvalid: boolean,
  verb: string,
  io: CommandOutput,
): boolean {
  if (inputs.rejected === 0) return true;
  if (!skipInvalid) {
    for (const line of inputs.problems) io.out(line);
    io.err(
      `lykta: ${inputs.rejected} features rejected; nothing written. Fix them, or pass --skip-invalid to ${verb} the valid ones.`,
    );
    return false;
  }
  for (const line of inputs.problems.slice(0, MAX_LINES_PER_FILE)) io.err(`${line} (left out)`);
  if (inputs.problems.length > MAX_LINES_PER_FILE) {
    io.err(`lykta: ${inputs.problems.length - MAX_LINES_PER_FILE} more left out`);
  }
  return true;
}

export interface NetworkLayers {
  paths: LightingPath[];
  lamps: LightingLamp[];
  /** Features of the lamps file that are not lamps (an OSM file's ways, crossings, ...). */
  notLamps: number;
}

/**
 * The paths and lamps of PATHS and LAMPS (in OSM data the highways and the
 * highway=street_lamp nodes). Lines too short to use are named on stderr; no path at all is
 * printed (stdout) and gives null (exit 1). `classField`: the field with each path's class.
 */
export async function networkLayers(
  inputs: LayerInputs,
  pathsFile: string,
  lampsFile: string,
  classField: string | undefined,
  io: CommandOutput,
): Promise<NetworkLayers | null> {
  const pathsResult = inputs.results.get(pathsFile)!;
  const lampsResult = inputs.results.get(lampsFile)!;
  const osmLayers = async (result: ImportSuccess) =>
    (await import("../domain/import/osm")).splitOsmLayers(result.features);
  const pathFeatures = isOsm(pathsResult)
    ? (await osmLayers(pathsResult)).paths
    : pathsResult.features;
  const lampFeatures = isOsm(lampsResult)
    ? (await osmLayers(lampsResult)).lamps
    : lampsResult.features;
  const { paths, leftOut: notPaths } = pathsFromFeatures(pathFeatures, {
    pathClasses,
    ...(classField === undefined ? {} : { classField }),
  });
  const { lamps, leftOut: notLamps } = lampsFromFeatures(lampFeatures);
  // Points in a paths file and lines in a lamps file are expected (one OSM extract for both).
  for (const entry of notPaths.filter((e) => e.code === "lighting_line_too_short")) {
    io.err(`${pathsFile}: ${entry.where}: ${entry.message} (left out)`);
  }
  if (paths.length === 0) {
    io.out(`${pathsFile}: no LineStrings: nothing to analyse (paths are lines)`);
    return null;
  }
  if (
    classField !== undefined &&
    !pathFeatures.some((feature) => feature.properties?.[classField] !== undefined)
  ) {
    io.err(
      `${pathsFile}: no feature has the field "${classField}"; classes come from OSM highway tags`,
    );
  }
  return { paths, lamps, notLamps: notLamps.length };
}

/** Did any file hold OpenStreetMap data (its credit must be shown)? */
export function readOsmData(inputs: LayerInputs): boolean {
  return [...inputs.results.values()].some(
    (entry) =>
      entry.attribution === OSM_ATTRIBUTION || isOsm(entry) || looksLikeOsm(entry.features),
  );
}
