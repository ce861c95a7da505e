/**
 * `lykta merge A.lykta B.lykta ... -o OUT`: merge the packages of one project (every
 * tablet's after a walk, or backups) field by field, as the app does (src/domain/merge-set.ts).
 *
 * OUT `.lykta` is one package with every record (tombstones included), the photos of the
 * live photo records, and the conflict log (`conflicts.ndjson`: the values that lost a
 * concurrent edit, carried over from the inputs and found by this merge), so nothing typed is
 * dropped. OUT `.geojson`, `.json`, `.csv` or `.gpkg` is the merged observations, for people
 * (the export of docs/format.md); its lost values are listed on stderr instead.
 *
 * Prints one line to stdout: "N added, N updated, N unchanged, N deleted, N conflicts logged",
 * counted against the first package (the coordinator's own file, say): each record id of the
 * other packages is one of added (not in the first, even when it arrives deleted), updated,
 * unchanged or deleted (live in the first, deleted now); conflicts are the lost values this
 * merge found that no package's log held yet.
 *
 * A package names one project in its manifest, and the app opens that project after loading
 * it, so packages of different projects are refused: merge each project separately.
 *
 * Exit status as every command: 0 done (conflicts are not errors), 1 invalid data (nothing
 * written), 2 usage error or unreadable file. Problems are printed as `file: where: reason`.
 */
import { basename, extname } from "node:path";
import checklistData from "../../data/checklist.json";
import groupsData from "../../data/groups.json";
import type { Checklist } from "../domain/checklist";
import {
  chooseExportFormat,
  type ExportFormat,
  exportFeatures,
  prepareExport,
} from "../domain/export";
import { observationFeatures } from "../domain/export/geojson";
import type { GroupsFile } from "../domain/groups";
import type { ConflictEntry } from "../domain/merge";
import { type MergeSummary, mergePackages } from "../domain/merge-set";
import type { ObservationRecord } from "../domain/observation";
import {
  buildPackage,
  PACKAGE_EXTENSION,
  type PackageContent,
  readPackage,
} from "../domain/package";
import type { ProjectRecord } from "../domain/project";
import type { WalkRecord } from "../domain/walk";
import {
  CallProblem,
  type CommandOptions,
  type CommandOutput,
  EXIT,
  onlyOptions,
  problemText,
  readBytes,
  requiredOption,
  writeOutput,
} from "./io";

const checklist = checklistData as Checklist;
const groups = groupsData as GroupsFile;

/** `createdBy` of packages this command writes: not a tablet, and not a person. */
export const MERGE_DEVICE_ID = "lykta-cli";

/** At most this many lost values are listed when the output cannot hold the conflict log. */
const MAX_CONFLICT_LINES = 20;

/** The options this command takes; lykta.ts parses them for every command. */
const ALLOWED_OPTIONS = ["output", "skip-invalid"] as const;

type Target = { kind: "package" } | { kind: "features"; format: ExportFormat };

function target(output: string): Target {
  if (output.toLowerCase().endsWith(PACKAGE_EXTENSION)) return { kind: "package" };
  const choice = chooseExportFormat(output, undefined);
  if (choice.ok) return { kind: "features", format: choice.format };
  throw new CallProblem(
    `cannot tell what to write from "${output}": use .lykta for a merged package, or .geojson, .json, .csv or .gpkg for the merged observations`,
  );
}

/** "Vivalla 2027" (id), from the package's project record when it has one. */
function projectLabel(content: PackageContent): string {
  const { projectId } = content.manifest.scope;
  const project = content.records.find(
    (record): record is ProjectRecord => record.kind === "project" && record.id === projectId,
  );
  const name = project && !project.deleted ? project.fields.name : "";
  return name ? `"${name}" (${projectId})` : projectId;
}

function summaryLine(summary: MergeSummary): string {
  return `${summary.added} added, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.deleted} deleted, ${summary.conflicts.length} conflicts logged`;
}

function conflictLine(entry: ConflictEntry): string {
  const when = new Date(entry.lostClock.at).toISOString();
  return `conflict: ${entry.kind} ${entry.recordId} ${entry.field}: lost ${JSON.stringify(entry.lostValue)} (${entry.lostClock.by}, ${when})`;
}

/**
 * Run `lykta merge` with the positionals after the command and the options lykta.ts parsed.
 * Returns the exit status; throws a CallProblem for a mistake in the call (lykta.ts prints it,
 * as it prints any other error as a bug).
 */
export async function mergeCommand(
  positionals: readonly string[],
  options: CommandOptions,
  io: CommandOutput,
): Promise<number> {
  onlyOptions("merge", options, ALLOWED_OPTIONS);
  if (positionals.length === 0) {
    throw new CallProblem("merge needs packages: lykta merge A.lykta B.lykta ... -o OUT");
  }
  const output = requiredOption(options, "output", "merge needs -o OUT");
  const to = target(output);

  // Read every package before writing anything, so OUT may be one of them.
  const contents: PackageContent[] = [];
  let refused = 0;
  let problems = 0;
  let newer = false;
  for (const file of positionals) {
    const result = await readPackage(readBytes(file));
    if (!result.ok) {
      io.out(problemText(file, result.problem.where, result.problem.detail));
      refused += 1;
      newer ||= result.problem.reason === "newer_format" || result.problem.reason === "newer_shape";
      continue;
    }
    for (const problem of result.problems) io.out(problemText(file, problem.where, problem.detail));
    problems += result.problems.length;
    contents.push(result.content);
  }
  if (refused > 0) {
    if (newer) io.err("lykta: a newer Lykta made it: update this lykta and merge again");
    io.err(`lykta: ${refused} of ${positionals.length} packages cannot be merged; nothing written`);
    return EXIT.invalid;
  }
  if (problems > 0 && !options["skip-invalid"]) {
    io.err(
      `lykta: ${problems} records, conflict entries or photos cannot be read; nothing written. Fix them, or pass --skip-invalid to merge the rest.`,
    );
    return EXIT.invalid;
  }
  const first = contents[0]!;
  const other = contents.findIndex(
    (content) => content.manifest.scope.projectId !== first.manifest.scope.projectId,
  );
  if (other !== -1) {
    throw new CallProblem(
      `${positionals[0]} is project ${projectLabel(first)}, but ${positionals[other]} is project ${projectLabel(contents[other]!)}: a package holds one project, so merge each project's packages separately`,
    );
  }

  const merged = mergePackages(contents);
  if (!merged.ok) {
    const { input, where, detail } = merged.problem;
    const file = typeof input === "number" ? positionals[input]! : "merge";
    io.out(problemText(file, where, detail));
    return EXIT.invalid;
  }
  const { content, summary } = merged;

  if (to.kind === "package") {
    const bytes = buildPackage(
      {
        appVersion: __APP_VERSION__,
        createdAt: Date.now(),
        createdBy: MERGE_DEVICE_ID,
        scope: content.manifest.scope,
      },
      content.records,
      content.photos,
      content.conflicts,
    );
    writeOutput(output, bytes);
    const deleted = content.records.filter((record) => record.deleted).length;
    io.err(
      `${output}: ${content.records.length} records (${deleted} deleted), ${content.photos.size} photos, ${content.conflicts.length} lost values in conflicts.ndjson`,
    );
  } else {
    const features = observationFeatures(
      content.records.filter(
        (record): record is ObservationRecord => record.kind === "observation",
      ),
      {
        checklist,
        groups,
        walks: content.records.filter((record): record is WalkRecord => record.kind === "walk"),
      },
    );
    await prepareExport(to.format);
    const file = exportFeatures(features, {
      format: to.format,
      kind: "observations",
      layerName: basename(output, extname(output)),
    });
    writeOutput(output, file.bytes);
    io.err(`${output}: ${features.length} observations written (deleted ones left out)`);
    // A file for people has no place for the conflict log: say what is not in it.
    if (content.conflicts.length > 0) {
      io.err(
        `${output}: ${content.conflicts.length} values that lost a concurrent edit are not in it; merge to a .lykta file to keep them for restoring in the app:`,
      );
      for (const entry of content.conflicts.slice(0, MAX_CONFLICT_LINES))
        io.err(conflictLine(entry));
      if (content.conflicts.length > MAX_CONFLICT_LINES) {
        io.err(`conflict: ... and ${content.conflicts.length - MAX_CONFLICT_LINES} more`);
      }
    }
  }
  io.out(summaryLine(summary));
  return EXIT.ok;
}
