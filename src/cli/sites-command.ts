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
import { basename, extname } from "node:path";
import checklistData from "../../data/checklist.json";
import groupsData from "../../data/groups.json";
import type { Checklist } from "../domain/checklist";
import { findCategory } from "../domain/checklist";
import { chooseExportFormat, exportFeatures, prepareExport } from "../domain/export";
import { siteFeatures } from "../domain/export/sites";
import type { GroupsFile } from "../domain/groups";
import { readPackage } from "../domain/package";
import { groupSites } from "../domain/sites";
import { type SiteInput, siteInputFromGeoJson, siteInputFromRecords } from "../domain/sites-input";
import {
  CallProblem,
  type CommandOptions,
  type CommandOutput,
  EXIT,
  onlyOptions,
  outputCrs,
  problemText,
  readBytes,
  requiredOption,
  textOption,
  writeOutput,
} from "./io";

const checklist = checklistData as Checklist;
const groups = groupsData as GroupsFile;

/** The options this command takes; lykta.ts parses them for every command. */
const ALLOWED_OPTIONS = ["output", "format", "crs", "skip-invalid"] as const;

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

/** Observations that sites leave out: deleted, without geometry, or of an unknown category. */
function unknownCategories(input: SiteInput): string[] {
  const unknown = new Set<string>();
  for (const record of input.observations) {
    if (record.deleted || record.fields.geometry === null) continue;
    if (!findCategory(checklist, record.fields.categoryId)) unknown.add(record.fields.categoryId);
  }
  return [...unknown].sort();
}

/**
 * Run `lykta sites` with the positionals after the command and the options lykta.ts parsed.
 * Returns the exit status; throws a CallProblem for a mistake in the call (lykta.ts prints it,
 * as it prints any other error as a bug).
 */
export async function sitesCommand(
  positionals: readonly string[],
  options: CommandOptions,
  io: CommandOutput,
): Promise<number> {
  onlyOptions("sites", options, ALLOWED_OPTIONS);
  if (positionals.length !== 1) {
    throw new CallProblem("sites needs exactly one input file: lykta sites OBSERVATIONS -o OUT");
  }
  const file = positionals[0]!;
  const output = requiredOption(options, "output", "sites needs -o OUT");
  const choice = chooseExportFormat(
    output,
    textOption(options, "format"),
    outputCrs(textOption(options, "crs")),
  );
  if (!choice.ok) throw new CallProblem(choice.message);

  const input = await readInput(file, readBytes(file));
  if (!("observations" in input)) {
    io.out(problemText(file, input.where, input.reason));
    return EXIT.invalid;
  }
  for (const problem of input.problems) io.out(problemText(file, problem.where, problem.reason));
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
  writeOutput(output, exported.bytes);
  const reports = sites.reduce((sum, site) => sum + site.reportCount, 0);
  const shared = sites.filter((site) => site.reportCount > 1).length;
  const planned = sites.filter((site) => site.planned).length;
  io.err(
    `${output}: ${sites.length} sites from ${reports} observations (${shared} reported more than once, ${planned} with a planner's join or split)`,
  );
  return EXIT.ok;
}
