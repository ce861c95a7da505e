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
import { chooseExportFormat, exportFeatures, prepareExport } from "../domain/export";
import { siteFeatures } from "../domain/export/sites";
import type { GroupsFile } from "../domain/groups";
import { groupSites } from "../domain/sites";
import { outputCrs } from "./crs-options";
import {
  CallProblem,
  type CommandOptions,
  type CommandOutput,
  EXIT,
  onlyOptions,
  requiredOption,
  textOption,
  writeOutput,
} from "./io";
import { readUsableObservations } from "./observations-input";

const checklist = checklistData as Checklist;
const groups = groupsData as GroupsFile;

/** The options this command takes; lykta.ts parses them for every command. */
const ALLOWED_OPTIONS = ["output", "format", "crs", "skip-invalid"] as const;

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

  const input = await readUsableObservations(file, options, io, "group");
  if (input === null) return EXIT.invalid;

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
