/**
 * `lykta`: the command line for GIS staff, a thin shell over src/domain (docs/format.md).
 *
 *   lykta validate FILE...
 *   lykta convert IN -o OUT [--crs EPSG:3006] [--from-crs EPSG:N] [--format geojson|csv|gpkg]
 *   lykta import-osm IN.osm -o DIR [--format geojson|csv|gpkg]
 *
 * Exit status: 0 done, 1 invalid data, 2 usage error or unreadable file, 3 a bug (the only
 * case that prints a stack trace). Problems are printed as `file: where: reason`.
 *
 * Built to dist-cli/lykta.js by vite.cli.config.ts (Node 20 cannot run TypeScript).
 */
import { realpathSync } from "node:fs";
import { basename, extname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { Feature } from "geojson";
import pathClassesData from "../../data/path-classes.json";
import {
  chooseExportFormat,
  type ExportFormat,
  exportFeatures,
  prepareExport,
} from "../domain/export";
import { layerFeatures, normaliseLayer, plainFeatures } from "../domain/export/geojson";
import { importFile } from "../domain/import";
import { splitOsmLayers } from "../domain/import/osm";
import type { ImportSuccess } from "../domain/import/types";
import {
  detectFieldMapping,
  type LayerRole,
  type PathClassesFile,
  propertyNames,
} from "../domain/layers";
import { inputCrs, outputCrs } from "./crs-options";
import {
  CallProblem,
  type CommandOutput,
  createFolder,
  EXIT,
  onlyOptions,
  problemLine,
  readBytes,
  requiredOption,
  writeOutput,
} from "./io";
import { LIGHTING_HELP, lightingCommand } from "./lighting-command";
import { LIGHTING_LOADERS } from "./lighting-loaders";
import { mergeCommand } from "./merge-command";
import { PLAN_HELP, planCommand } from "./plan-command";
import { sitesCommand } from "./sites-command";

const pathClasses = pathClassesData as PathClassesFile;

export { EXIT };

const HELP = `lykta ${__APP_VERSION__}: Lykta's command line for GIS staff

Usage:
  lykta validate FILE... [--from-crs CRS]
  lykta convert IN -o OUT [--crs CRS] [--from-crs CRS] [--format geojson|csv|gpkg] [--skip-invalid]
  lykta import-osm IN.osm -o DIR [--crs CRS] [--format geojson|csv|gpkg]
  lykta sites OBSERVATIONS -o OUT [--crs CRS] [--format geojson|csv|gpkg] [--skip-invalid]
  lykta merge A.lykta B.lykta... -o OUT [--skip-invalid]
  lykta lighting --paths PATHS --lamps LAMPS [--mode coverage|illuminance] [--radius M]
                 [--step M] [--observations OBS] [--poi POI] [--areas AREAS]
                 [--class-field NAME] [--from-crs CRS] [--skip-invalid] -o OUT.geojson
  lykta plan --observations OBS --paths PATHS --lamps LAMPS --budget SEK
             [--poi KIND=FILE ...] [--areas AREAS] [--costs FILE] [--weights FILE]
             [--mode coverage|illuminance] [--radius M] [--class-field NAME]
             [--lang sv|en] [--skip-invalid] -o PLAN.geojson|.csv|.gpkg
  lykta serve [--data-dir DIR | --database-url URL] [--port N] [--host ADDRESS] ...
  lykta serve create-project --name NAME [--project-id UUID]
  lykta --help | --version

Commands:
  validate     Check files. Prints "file: features[N]: reason" for every feature that is
               rejected (N counts from 0) and exits 1; exits 0 when every file is valid.
  convert      Read any supported file and write GeoJSON, CSV or GeoPackage. The output
               format follows OUT's extension (.geojson, .json, .csv, .gpkg) unless
               --format names it. Stops without writing when a feature is rejected, unless
               --skip-invalid.
  import-osm   Read an OSM extract (.osm, .osm.gz, .osm.pbf) and write DIR/paths.geojson
               (path class, lit, name) and DIR/lamps.geojson, with the OSM tags as source_*.
  sites        Group observations (a .lykta package, with its planner links, or an
               observations GeoJSON export) into sites: places several teams reported.
               Writes one point per site with report, walk and felt-unsafe counts.
  merge        Merge .lykta packages of one project (every tablet's, or backups) field by
               field, as the app does. OUT .lykta: one package with every record, the live
               photos, and the values that lost a concurrent edit (conflicts.ndjson);
               OUT .geojson, .json, .csv or .gpkg: the merged observations, for people.
               Prints "N added, N updated, N unchanged, N deleted, N conflicts logged",
               counted against the first package. A package holds one project, so
               packages of different projects are refused: merge each project separately.
${LIGHTING_HELP}
${PLAN_HELP}
  serve        The sync server: tablets push and pull, QGIS reads OGC API - Features.
               Every setting: lykta serve --help (docs/sync.md).

Options:
  -o, --output PATH   output file (convert) or folder (import-osm)
  --crs CRS           output CRS: EPSG:4326 (WGS84, RFC 7946; the default) or EPSG:3006
                      (SWEREF 99 TM: "Lykta GeoJSON, SWEREF 99 TM", e/n columns in CSV,
                      or a GeoPackage in EPSG:3006)
  --from-crs CRS      the input's CRS when the file does not name it, e.g. EPSG:3006,
                      EPSG:3007 to EPSG:3018 (SWEREF 99 local zones), EPSG:3021 (RT 90)
  --format FORMAT     geojson, csv or gpkg (GeoPackage)
  --skip-invalid      convert: write the valid features even when some are rejected
  --paths, --lamps    lighting: the path network and the lamps (may be one OSM file)
  --mode MODE         lighting: coverage (default) or illuminance
  --radius M          lighting: coverage radius R in metres for every lamp
  --step M            lighting: illuminance sample spacing in metres (default 1)
  --observations OBS  lighting: Lykta's observations export: broken lamps, dark stretches,
                      lux readings
  --poi POI           lighting: schools and stops, listed with nearby dark gaps
  --areas AREAS       lighting: priority areas (polygons), summarised one by one
  --class-field NAME  lighting: the field that holds each path's class
  --budget SEK        plan: what the investments may cost, SEK
  --costs FILE        plan: a cost catalogue in place of data/costs.json
  --weights FILE      plan: benefit weights in place of data/benefit-weights.json
  --lang LANG         plan: sv (default) or en, for labels and reasons
  -h, --help          show this help
  -V, --version       show the version

Reads GeoJSON, OSM XML and PBF, CSV (lat/lon or SWEREF 99 TM N/E columns), GPX, KML,
zipped Shapefiles and GeoPackages. Exit status: 0 done, 1 invalid data, 2 usage error or unreadable file,
3 internal error. Every exported attribute is described in docs/format.md.`;

/** The end of lykta's refusal of another output CRS (convert, import-osm). */
const REPROJECT_ADVICE = "; reproject further with ogr2ogr -t_srs";

const defaultOutput: CommandOutput = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

const OPTIONS = {
  output: { type: "string", short: "o" },
  crs: { type: "string" },
  "from-crs": { type: "string" },
  format: { type: "string" },
  "skip-invalid": { type: "boolean" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "V" },
  // lighting (lighting-command.ts checks them; other commands refuse them)
  paths: { type: "string" },
  lamps: { type: "string" },
  mode: { type: "string" },
  radius: { type: "string" },
  step: { type: "string" },
  observations: { type: "string" },
  // Repeatable for plan (--poi school=a.geojson --poi transit_stop=b.geojson); once elsewhere.
  poi: { type: "string", multiple: true },
  areas: { type: "string" },
  "class-field": { type: "string" },
  // plan (plan-command.ts)
  budget: { type: "string" },
  costs: { type: "string" },
  weights: { type: "string" },
  lang: { type: "string" },
} as const;

type Values = {
  output?: string;
  crs?: string;
  "from-crs"?: string;
  format?: string;
  "skip-invalid"?: boolean;
  help?: boolean;
  version?: boolean;
  paths?: string;
  lamps?: string;
  mode?: string;
  radius?: string;
  step?: string;
  observations?: string;
  poi?: string | string[];
  areas?: string;
  "class-field"?: string;
  budget?: string;
  costs?: string;
  weights?: string;
  lang?: string;
};

/** At most this many "left out" lines from import-osm; clipped extracts have many. */
const MAX_LEFT_OUT_LINES = 5;

async function validate(files: string[], values: Values, io: CommandOutput): Promise<number> {
  onlyOptions("validate", values, ["from-crs"]);
  if (files.length === 0) throw new CallProblem("validate needs at least one FILE");
  const fromCrs = inputCrs(values["from-crs"]);
  let status: number = EXIT.ok;
  for (const file of files) {
    let bytes: Uint8Array;
    try {
      bytes = readBytes(file);
    } catch (error) {
      io.err(`lykta: ${(error as Error).message}`);
      status = EXIT.usage;
      continue;
    }
    const result = await importFile({
      name: file,
      bytes,
      ...(fromCrs === undefined ? {} : { fromCrs }),
    });
    if (!result.ok) {
      io.out(problemLine(file, result.issue));
      if (status === EXIT.ok) status = EXIT.invalid;
      continue;
    }
    for (const issue of result.rejected) io.out(problemLine(file, issue));
    for (const issue of result.repaired) io.err(`${problemLine(file, issue)} (repaired)`);
    if (result.rejected.length > 0 && status === EXIT.ok) status = EXIT.invalid;
    io.err(
      `${file}: ${result.features.length} valid, ${result.rejected.length} rejected, ${result.repaired.length} repaired (${result.format}, ${result.sourceCrs})`,
    );
  }
  return status;
}

async function importOrFail(
  file: string,
  fromCrs: string | undefined,
  io: CommandOutput,
): Promise<ImportSuccess | null> {
  const bytes = readBytes(file);
  const result = await importFile({
    name: file,
    bytes,
    ...(fromCrs === undefined ? {} : { fromCrs }),
  });
  if (!result.ok) {
    io.out(problemLine(file, result.issue));
    return null;
  }
  return result;
}

const FORMAT_NAMES: Readonly<Record<ExportFormat, string>> = {
  geojson: "GeoJSON, WGS84",
  "geojson-sweref": "Lykta GeoJSON, SWEREF 99 TM",
  csv: "CSV, WGS84",
  "csv-sweref": "CSV, SWEREF 99 TM",
  gpkg: "GeoPackage, WGS84",
  "gpkg-sweref": "GeoPackage, SWEREF 99 TM",
};

async function convert(positionals: string[], values: Values, io: CommandOutput): Promise<number> {
  onlyOptions("convert", values, ["output", "crs", "from-crs", "format", "skip-invalid"]);
  if (positionals.length !== 1) {
    throw new CallProblem("convert needs exactly one input file: lykta convert IN -o OUT");
  }
  const input = positionals[0]!;
  const output = requiredOption(values, "output", "convert needs -o OUT");
  const choice = chooseExportFormat(output, values.format, outputCrs(values.crs, REPROJECT_ADVICE));
  if (!choice.ok) throw new CallProblem(choice.message);
  const fromCrs = inputCrs(values["from-crs"]);
  const result = await importOrFail(input, fromCrs, io);
  if (result === null) return EXIT.invalid;
  for (const issue of result.repaired) io.err(`${problemLine(input, issue)} (repaired)`);
  if (result.rejected.length > 0) {
    for (const issue of result.rejected) io.out(problemLine(input, issue));
    if (!values["skip-invalid"]) {
      io.err(
        `lykta: ${result.rejected.length} of ${result.totalFeatures} features rejected; nothing written. Fix them, or pass --skip-invalid to write the ${result.features.length} valid ones.`,
      );
      return EXIT.invalid;
    }
  }
  const layerName = basename(output, extname(output));
  await prepareExport(choice.format);
  const file = exportFeatures(plainFeatures(result.features), {
    format: choice.format,
    kind: "features",
    layerName,
    ...(result.attribution ? { attribution: result.attribution } : {}),
  });
  writeOutput(output, file.bytes);
  io.err(
    `${output}: ${result.features.length} features written (${FORMAT_NAMES[choice.format]}; read as ${result.format}, ${result.sourceCrs})`,
  );
  return EXIT.ok;
}

async function importOsm(
  positionals: string[],
  values: Values,
  io: CommandOutput,
): Promise<number> {
  onlyOptions("import-osm", values, ["output", "crs", "format"]);
  if (positionals.length !== 1) {
    throw new CallProblem(
      "import-osm needs exactly one input file: lykta import-osm IN.osm -o DIR",
    );
  }
  const input = positionals[0]!;
  const directory = requiredOption(values, "output", "import-osm needs -o DIR");
  // The same rule as convert: GeoJSON unless --format names another.
  const choice = chooseExportFormat(
    "paths.geojson",
    values.format,
    outputCrs(values.crs, REPROJECT_ADVICE),
  );
  if (!choice.ok) throw new CallProblem(choice.message);
  const result = await importOrFail(input, undefined, io);
  if (result === null) return EXIT.invalid;
  if (result.format !== "osm-xml" && result.format !== "osm-pbf") {
    throw new CallProblem(
      `${input} is ${result.format}, not OpenStreetMap data (.osm, .osm.gz, .osm.pbf); use lykta convert`,
    );
  }
  for (const issue of result.rejected.slice(0, MAX_LEFT_OUT_LINES)) {
    io.err(`${problemLine(input, issue)} (left out)`);
  }
  if (result.rejected.length > MAX_LEFT_OUT_LINES) {
    io.err(
      `${input}: ${result.rejected.length - MAX_LEFT_OUT_LINES} more left out (lykta validate ${input} lists them all)`,
    );
  }
  const layers = splitOsmLayers(result.features);
  await prepareExport(choice.format);
  createFolder(directory);
  const written: string[] = [];
  const roles: [LayerRole, Feature[]][] = [
    ["paths", layers.paths],
    ["lamps", layers.lamps],
  ];
  for (const [role, features] of roles) {
    const mapping = detectFieldMapping(role, propertyNames(features));
    const layer = normaliseLayer(role, role, features, mapping, pathClasses);
    const file = exportFeatures(layerFeatures(layer, pathClasses), {
      format: choice.format,
      kind: role,
      baseName: role,
      ...(result.attribution ? { attribution: result.attribution } : {}),
    });
    // The folder is the output: plain names, whatever the CRS.
    const path = join(directory, `${role}${extname(file.fileName)}`);
    writeOutput(path, file.bytes);
    written.push(`${path}: ${features.length} ${role}`);
  }
  for (const line of written) io.err(line);
  if (result.attribution) io.err(`Credit: ${result.attribution}`);
  return EXIT.ok;
}

/** Run one command line; returns the exit status. Never throws for a user mistake. */
export async function main(argv: string[], io: CommandOutput = defaultOutput): Promise<number> {
  try {
    let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
    try {
      parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
    } catch (error) {
      // parseArgs says what is wrong in its first sentence.
      throw new CallProblem((error as Error).message.split(". ")[0]!.replace(/\.$/, ""));
    }
    const values = parsed.values as Values;
    const [command, ...rest] = parsed.positionals;
    // Only plan takes several --poi; the other commands get the one value as text.
    if (Array.isArray(values.poi) && command !== "plan") {
      if (values.poi.length > 1) throw new CallProblem(`${command} takes one --poi`);
      values.poi = values.poi[0];
    }
    if (values.version) {
      io.out(__APP_VERSION__);
      return EXIT.ok;
    }
    if (values.help || command === "help") {
      io.out(HELP);
      return EXIT.ok;
    }
    switch (command) {
      case "validate":
        return await validate(rest, values, io);
      case "convert":
        return await convert(rest, values, io);
      case "import-osm":
        return await importOsm(rest, values, io);
      case "sites":
        return await sitesCommand(rest, values, io);
      case "merge":
        return await mergeCommand(rest, values, io);
      case "lighting":
        return await lightingCommand(rest, values, io, LIGHTING_LOADERS);
      case "plan":
        return await planCommand(rest, values, io);
      case undefined:
        throw new CallProblem("no command given");
      default:
        throw new CallProblem(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof CallProblem) {
      io.err(`lykta: ${error.message}`);
      if (error.pointer) io.err("Try: lykta --help");
      return EXIT.usage;
    }
    io.err("lykta: internal error. This is a bug in Lykta, not a problem with your file or");
    io.err("command; please report it with the command you ran and this trace:");
    io.err((error as Error)?.stack ?? String(error));
    return EXIT.internal;
  }
}

/** Is this module the program node started (`lykta`, `npx lykta`), not a test's import? */
function startedAsCommand(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    // npx and npm link run the command through a symlink in node_modules/.bin.
    return pathToFileURL(realpathSync(script)).href === import.meta.url;
  } catch {
    return false;
  }
}

// Tests import `main` and call it with their own arguments.
if (startedAsCommand()) process.exitCode = await main(process.argv.slice(2));
