/**
 * `lykta plan --observations OBS --paths PATHS --lamps LAMPS [--poi KIND=FILE ...]
 * [--areas FILE] --budget SEK -o PLAN.geojson`: the budget plan (issue 6; docs/plan.md).
 * Candidate actions from the walks' sites and the lighting analysis, their costs and
 * benefits, and the best set of investments within the budget; tasks (graffiti, litter, ...)
 * with their owners beside it. Writes one feature per action (docs/format.md, "Plan") and
 * prints a JSON summary on stdout.
 *
 * OBS is a `.lykta` package (its follow-up records give owner, status and deadline) or an
 * observations GeoJSON export. PATHS, LAMPS, POI and AREAS files are read as by
 * `lykta lighting` (layers-input.ts). Exit status as every command: 0 done, 1 invalid data
 * (nothing written), 2 usage error or unreadable file. Problems are printed as
 * `file: where: reason`.
 */
import { basename, extname } from "node:path";
import benefitWeightsData from "../../data/benefit-weights.json";
import checklistData from "../../data/checklist.json";
import costsData from "../../data/costs.json";
import groupsData from "../../data/groups.json";
import lightingClassesData from "../../data/lighting-classes.json";
import type { Checklist } from "../domain/checklist";
import { chooseExportFormat, exportFeatures, prepareExport } from "../domain/export";
import { planFeatures } from "../domain/export/plan";
import type { GroupsFile } from "../domain/groups";
import { OSM_ATTRIBUTION, POI_KINDS, type PoiKind } from "../domain/layers";
import {
  areasFromFeatures,
  createLightingModel,
  type LightingClassesFile,
  type LightingPoi,
  lightingObservationsFromRecords,
  poisFromFeatures,
  RADIUS_PER_POLE_HEIGHT,
} from "../domain/lighting";
import {
  type BenefitWeights,
  benefitWeightsProblems,
  type CostCatalogue,
  costCatalogueProblems,
  type TableProblem,
} from "../domain/plan/catalogue";
import { followUpsByActionKey } from "../domain/plan/follow-up";
import { buildCandidates, PLAN_MAX_GAPS, selectPlan } from "../domain/plan/plan";
import { isTaskKind } from "../domain/plan/types";
import { groupSites } from "../domain/sites";
import { outputCrs } from "./crs-options";
import {
  CallProblem,
  type CommandOptions,
  type CommandOutput,
  EXIT,
  numberOption,
  onlyOptions,
  problemText,
  readBytes,
  requiredOption,
  textOption,
  writeOutput,
} from "./io";
import { acceptRejected, networkLayers, readLayerFiles, readOsmData } from "./layers-input";
import { readUsableObservations } from "./observations-input";

const checklist = checklistData as Checklist;
const groups = groupsData as GroupsFile;
const lightingClasses = lightingClassesData as LightingClassesFile;

/** The options this command takes (lykta.ts parses them for every command). */
const ALLOWED_OPTIONS = [
  "output",
  "format",
  "crs",
  "observations",
  "paths",
  "lamps",
  "poi",
  "areas",
  "budget",
  "costs",
  "weights",
  "radius",
  "mode",
  "class-field",
  "lang",
  "skip-invalid",
] as const;

/** Help for `lykta --help` (lykta.ts prints it with the other commands). */
export const PLAN_HELP = `  plan         The budget plan (docs/plan.md): candidate actions from the walks' reports
               (OBS: a .lykta package or an observations GeoJSON export) and the lighting
               analysis of PATHS and LAMPS (as lighting reads them), priced with
               data/costs.json (or --costs) and scored with data/benefit-weights.json (or
               --weights); the investments that give the most benefit within --budget SEK,
               and the tasks (graffiti, litter, ...) with their owners. --poi KIND=FILE
               (repeatable) and --areas raise the benefit near them; KIND is one of
               ${POI_KINDS.join(", ")}
               (--poi FILE: kinds from the data). Writes one feature per action (rank,
               action, cost_sek, benefit, selected, reasons, owner, status, deadline;
               docs/format.md) and prints a JSON summary on stdout.`;

/** One --poi value: "KIND=FILE", or "FILE" (kinds from the data's `kind` or OSM tags). */
function poiSpec(value: string): { kind: PoiKind | null; file: string } {
  const match = /^([a-z_]+)=(.+)$/.exec(value);
  if (match === null) return { kind: null, file: value };
  if (!(POI_KINDS as readonly string[]).includes(match[1]!)) {
    throw new CallProblem(`--poi ${value}: KIND is one of ${POI_KINDS.join(", ")}`);
  }
  return { kind: match[1] as PoiKind, file: match[2]! };
}

function poiValues(options: CommandOptions): string[] {
  const value = options.poi;
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/**
 * A cost catalogue or weights file (`--costs`, `--weights`), or the shipped table. Refused with
 * `file: path: reason` per problem (null: exit 1).
 */
function readTable<T>(
  file: string | undefined,
  shipped: T,
  problemsOf: (value: unknown) => TableProblem[],
  io: CommandOutput,
): T | null {
  if (file === undefined) return shipped;
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8").decode(readBytes(file)).replace(/^\uFEFF/, ""));
  } catch (error) {
    if (error instanceof CallProblem) throw error;
    io.out(problemText(file, "file", `is not JSON (${(error as Error).message})`));
    return null;
  }
  const problems = problemsOf(value);
  for (const problem of problems) io.out(problemText(file, problem.path, problem.reason));
  return problems.length === 0 ? (value as T) : null;
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/**
 * Run `lykta plan` with the positionals after the command and the options lykta.ts parsed.
 * Returns the exit status; throws a CallProblem for a mistake in the call.
 */
export async function planCommand(
  positionals: readonly string[],
  options: CommandOptions,
  io: CommandOutput,
  now: () => number = Date.now,
): Promise<number> {
  onlyOptions("plan", options, ALLOWED_OPTIONS);
  if (positionals.length > 0) {
    throw new CallProblem(
      `plan takes its files as options, not "${positionals[0]}": lykta plan --observations OBS --paths PATHS --lamps LAMPS --budget SEK -o PLAN.geojson`,
    );
  }
  const text = (name: string) => textOption(options, name);
  const observationsFile = requiredOption(
    options,
    "observations",
    "plan needs --observations OBS (a .lykta package or an observations GeoJSON export)",
  );
  const pathsFile = requiredOption(options, "paths", "plan needs --paths PATHS");
  const lampsFile = requiredOption(options, "lamps", "plan needs --lamps LAMPS");
  const budgetSek = numberOption(options, "budget", "SEK", { positive: false });
  if (budgetSek === null) throw new CallProblem("plan needs --budget SEK");
  const output = requiredOption(options, "output", "plan needs -o PLAN.geojson");
  const choice = chooseExportFormat(output, text("format"), outputCrs(text("crs")));
  if (!choice.ok) throw new CallProblem(choice.message);
  const mode = text("mode") ?? "coverage";
  if (mode !== "coverage" && mode !== "illuminance") {
    throw new CallProblem(`--mode ${mode}: give coverage or illuminance`);
  }
  const language = text("lang") ?? "sv";
  if (language !== "sv" && language !== "en") {
    throw new CallProblem(`--lang ${language}: give sv or en`);
  }
  const radiusM = numberOption(options, "radius", "metres", { positive: true });
  const pois = poiValues(options).map(poiSpec);
  const areasFile = text("areas");

  const costs = readTable(text("costs"), costsData as CostCatalogue, costCatalogueProblems, io);
  const weights = readTable(
    text("weights"),
    benefitWeightsData as BenefitWeights,
    benefitWeightsProblems,
    io,
  );
  if (costs === null || weights === null) {
    io.err("lykta: the cost catalogue or the benefit weights cannot be used; nothing written.");
    return EXIT.invalid;
  }

  const input = await readUsableObservations(observationsFile, options, io, "plan from");
  if (input === null) return EXIT.invalid;
  const files = [pathsFile, lampsFile, ...pois.map((poi) => poi.file)];
  if (areasFile !== undefined) files.push(areasFile);
  const layers = await readLayerFiles(files, undefined, io);
  if (layers === null) return EXIT.invalid;
  if (!acceptRejected(layers, options["skip-invalid"] === true, "plan with", io)) {
    return EXIT.invalid;
  }
  const network = await networkLayers(layers, pathsFile, lampsFile, text("class-field"), io);
  if (network === null) return EXIT.invalid;
  const featuresOf = (file: string) => layers.results.get(file)!.features;
  const poiList: LightingPoi[] = pois.flatMap(({ kind, file }) =>
    poisFromFeatures(featuresOf(file)).map((poi) => (kind === null ? poi : { ...poi, kind })),
  );
  const areas = areasFile === undefined ? [] : areasFromFeatures(featuresOf(areasFile));

  const model = createLightingModel(
    {
      paths: network.paths,
      lamps: network.lamps,
      observations: lightingObservationsFromRecords(input.observations),
      pois: poiList,
      areas,
    },
    { classes: lightingClasses, radiusM, maxGaps: PLAN_MAX_GAPS },
  );
  const lighting = mode === "illuminance" ? model.illuminance() : model.coverage();
  const sites = groupSites(input.observations, input.links, checklist);
  const candidates = buildCandidates(
    {
      observations: input.observations,
      sites,
      model,
      lighting,
      pois: poiList,
      priorityAreas: areas,
    },
    { costs, weights },
  );
  const selection = selectPlan(candidates, budgetSek);
  const features = planFeatures(candidates, selection, {
    language,
    followUps: followUpsByActionKey(input.followUps),
    now: now(),
    groups,
  });

  const osm = readOsmData(layers);
  await prepareExport(choice.format);
  const file = exportFeatures(features, {
    format: choice.format,
    kind: "plan",
    layerName: basename(output, extname(output)),
    ...(osm ? { attribution: OSM_ATTRIBUTION } : {}),
  });
  writeOutput(output, file.bytes);

  const tasks = candidates.actions.filter((action) => isTaskKind(action.kind)).length;
  const selected = selection.selected.filter(Boolean).length;
  const summary = {
    budget_sek: budgetSek,
    selected_cost_sek: Math.round(selection.selectedCostSek),
    selected_benefit: round1(selection.selectedBenefit),
    candidates: candidates.actions.length - tasks,
    selected,
    tasks,
    groups: candidates.groups.length,
    method: selection.knapsack.method,
    gap_bound: round1(selection.knapsack.gapBound),
    marginal_next_100k_benefit: round1(selection.marginalNext100kBenefit),
  };
  io.out(JSON.stringify(summary, null, 2));
  io.err(
    `${output}: ${candidates.actions.length} actions (${selected} of ${summary.candidates} investments selected for ${summary.selected_cost_sek} of ${budgetSek} SEK, ${tasks} tasks; ${sites.length} sites from ${input.observations.length} observations; ${mode}, ${radiusM === null ? `R = ${RADIUS_PER_POLE_HEIGHT} x pole height` : `R = ${radiusM} m`}; ${network.paths.length} paths, ${network.lamps.length} lamps)`,
  );
  if (osm) io.err(`Credit: ${OSM_ATTRIBUTION}`);
  return EXIT.ok;
}
