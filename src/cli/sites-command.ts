/**
 * `lykta sites OBSERVATIONS -o SITES.geojson`: group observations into sites (places that
 * several teams reported; src/domain/sites.ts) and write one point per site
 * (docs/format.md, "Sites").
 *
 * OBSERVATIONS is a `.lykta` package (its observation and siteLink records, so a planner's
 * joins and splits count) or Lykta's observations GeoJSON export. The output format follows
 * the file's extension (.geojson, .json, .csv, .gpkg) unless --format names it, as for every
 * command.
 *
 * Exit status as every command: 0 done, 1 invalid data (nothing written), 2 usage error or
 * unreadable file. Problems are printed as `file: where: reason`.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { basename, extname } from "node:path";
import checklistData from "../../data/checklist.json";
import groupsData from "../../data/groups.json";
import type { Checklist } from "../domain/checklist";
import { findCategory } from "../domain/checklist";
import { normaliseCrsName, SWEREF99_TM, WGS84 } from "../domain/crs";
import {
  chooseExportFormat,
  exportFeatures,
  type OutputCrs,
  prepareExport,
} from "../domain/export";
import { siteFeatures } from "../domain/export/sites";
import type { GroupsFile } from "../domain/groups";
import { readPackage } from "../domain/package";
import { groupSites } from "../domain/sites";
import { type SiteInput, siteInputFromGeoJson, siteInputFromRecords } from "../domain/sites-input";

const checklist = checklistData as Checklist;
const groups = groupsData as GroupsFile;

/** The exit statuses of every lykta command (lykta.ts). */
const EXIT = { ok: 0, invalid: 1, usage: 2 } as const;

export interface CommandOutput {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** The options this command takes; lykta.ts parses them for every command. */
const ALLOWED_OPTIONS = ["output", "format", "crs", "skip-invalid"];

/** A mistake in the call: exit 2, with a pointer to the help (`pointer` false: a file). */
class CallProblem extends Error {
  constructor(
    message: string,
    readonly pointer = true,
  ) {
    super(message);
  }
}

function systemReason(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case "ENOENT":
      return "no such file or folder";
    case "EISDIR":
      return "is a folder, not a file";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "ENOTDIR":
      return "a part of the path is not a folder";
    case "ENOSPC":
      return "the disk is full";
    default:
      return (error as Error).message;
  }
}

function outputCrs(crs: unknown): OutputCrs {
  if (crs === undefined) return WGS84;
  const name = normaliseCrsName(String(crs));
  if (name === WGS84 || name === SWEREF99_TM) return name;
  throw new CallProblem(`--crs ${crs}: Lykta writes EPSG:4326 (WGS84) or EPSG:3006 (SWEREF 99 TM)`);
}

function readBytes(path: string): Uint8Array {
  try {
    const buffer = readFileSync(path);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (error) {
    throw new CallProblem(`cannot read ${path}: ${systemReason(error)}`, false);
  }
}

const isZip = (bytes: Uint8Array) =>
  bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 3 && bytes[3] === 4;

/** The records to group, or one problem with the whole file. */
async function readInput(
  file: string,
  bytes: Uint8Array,
): Promise<SiteInput | { where: string; reason: string }> {
  if (isZip(bytes)) {
    const result = await readPackage(bytes);
    if (!result.ok) return { where: result.problem.where, reason: result.problem.detail };
    const input = siteInputFromRecords(result.content.records);
    for (const problem of result.problems) {
      input.problems.unshift({ where: problem.where, reason: problem.detail });
    }
    return input;
  }
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8").decode(bytes).replace(/^\uFEFF/, ""));
  } catch {
    return {
      where: "file",
      reason: `is neither a Lykta package (.lykta) nor JSON; give ${basename(file)} as a .lykta package or an observations GeoJSON export`,
    };
  }
  return siteInputFromGeoJson(value);
}

const line = (file: string, where: string, reason: string) =>
  where === "file" ? `${file}: ${reason}` : `${file}: ${where}: ${reason}`;

/** Observations that sites leave out: deleted, without geometry, or of an unknown category. */
function unknownCategories(input: SiteInput): string[] {
  const unknown = new Set<string>();
  for (const record of input.observations) {
    if (record.deleted || record.fields.geometry === null) continue;
    if (!findCategory(checklist, record.fields.categoryId)) unknown.add(record.fields.categoryId);
  }
  return [...unknown].sort();
}

async function run(
  positionals: readonly string[],
  options: Readonly<Record<string, unknown>>,
  io: CommandOutput,
): Promise<number> {
  for (const [name, value] of Object.entries(options)) {
    if (value !== undefined && !ALLOWED_OPTIONS.includes(name)) {
      throw new CallProblem(`sites takes no --${name} (see lykta --help)`);
    }
  }
  if (positionals.length !== 1) {
    throw new CallProblem("sites needs exactly one input file: lykta sites OBSERVATIONS -o OUT");
  }
  const file = positionals[0]!;
  const output = options.output;
  if (typeof output !== "string" || output === "") throw new CallProblem("sites needs -o OUT");
  const format = options.format === undefined ? undefined : String(options.format);
  const choice = chooseExportFormat(output, format, outputCrs(options.crs));
  if (!choice.ok) throw new CallProblem(choice.message);

  const input = await readInput(file, readBytes(file));
  if (!("observations" in input)) {
    io.out(line(file, input.where, input.reason));
    return EXIT.invalid;
  }
  for (const problem of input.problems) io.out(line(file, problem.where, problem.reason));
  if (input.problems.length > 0 && !options["skip-invalid"]) {
    io.err(
      `lykta: ${input.problems.length} records or features cannot be read; nothing written. Fix them, or pass --skip-invalid to group the ${input.observations.length} readable observations.`,
    );
    return EXIT.invalid;
  }
  const unknown = unknownCategories(input);
  if (unknown.length > 0) {
    io.err(`${file}: categories not in this app's checklist, left out: ${unknown.join(", ")}`);
  }

  const sites = groupSites(input.observations, input.links, checklist);
  await prepareExport(choice.format);
  const exported = exportFeatures(siteFeatures(sites, { checklist, groups }), {
    format: choice.format,
    kind: "sites",
    layerName: basename(output, extname(output)),
  });
  try {
    writeFileSync(output, exported.bytes);
  } catch (error) {
    throw new CallProblem(`cannot write ${output}: ${systemReason(error)}`, false);
  }
  const reports = sites.reduce((sum, site) => sum + site.reportCount, 0);
  const shared = sites.filter((site) => site.reportCount > 1).length;
  const planned = sites.filter((site) => site.planned).length;
  io.err(
    `${output}: ${sites.length} sites from ${reports} observations (${shared} reported more than once, ${planned} with a planner's join or split)`,
  );
  return EXIT.ok;
}

/**
 * Run `lykta sites` with the positionals after the command and the options lykta.ts
 * parsed. Returns the exit status; prints `lykta: …` for a mistake in the call. Only a bug
 * throws (lykta.ts prints it as an internal error).
 */
export async function sitesCommand(
  positionals: readonly string[],
  options: Readonly<Record<string, unknown>>,
  io: CommandOutput,
): Promise<number> {
  try {
    return await run(positionals, options, io);
  } catch (error) {
    if (!(error instanceof CallProblem)) throw error;
    io.err(`lykta: ${error.message}`);
    if (error.pointer) io.err("Try: lykta --help");
    return EXIT.usage;
  }
}
