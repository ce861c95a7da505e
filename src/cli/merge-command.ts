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
import { readFileSync, writeFileSync } from "node:fs";
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

const checklist = checklistData as Checklist;
const groups = groupsData as GroupsFile;

/** The exit statuses of every lykta command (lykta.ts). */
const EXIT = { ok: 0, invalid: 1, usage: 2 } as const;

/** `createdBy` of packages this command writes: not a tablet, and not a person. */
export const MERGE_DEVICE_ID = "lykta-cli";

/** At most this many lost values are listed when the output cannot hold the conflict log. */
const MAX_CONFLICT_LINES = 20;

export interface CommandOutput {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** The options this command takes; lykta.ts parses them for every command. */
const ALLOWED_OPTIONS = ["output", "skip-invalid"];

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

function readBytes(path: string): Uint8Array {
  try {
    const buffer = readFileSync(path);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (error) {
    throw new CallProblem(`cannot read ${path}: ${systemReason(error)}`, false);
  }
}

function writeBytes(path: string, bytes: Uint8Array): void {
  try {
    writeFileSync(path, bytes);
  } catch (error) {
    throw new CallProblem(`cannot write ${path}: ${systemReason(error)}`, false);
  }
}

const line = (file: string, where: string, reason: string) =>
  where === "file" || where === "" ? `${file}: ${reason}` : `${file}: ${where}: ${reason}`;

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

async function run(
  positionals: readonly string[],
  options: Readonly<Record<string, unknown>>,
  io: CommandOutput,
): Promise<number> {
  for (const [name, value] of Object.entries(options)) {
    if (value !== undefined && !ALLOWED_OPTIONS.includes(name)) {
      throw new CallProblem(`merge takes no --${name} (see lykta --help)`);
    }
  }
  if (positionals.length === 0) {
    throw new CallProblem("merge needs packages: lykta merge A.lykta B.lykta ... -o OUT");
  }
  const output = options.output;
  if (typeof output !== "string" || output === "") throw new CallProblem("merge needs -o OUT");
  const to = target(output);

  // Read every package before writing anything, so OUT may be one of them.
  const contents: PackageContent[] = [];
  let refused = 0;
  let problems = 0;
  let newer = false;
  for (const file of positionals) {
    const result = await readPackage(readBytes(file));
    if (!result.ok) {
      io.out(line(file, result.problem.where, result.problem.detail));
      refused += 1;
      newer ||= result.problem.reason === "newer_format" || result.problem.reason === "newer_shape";
      continue;
    }
    for (const problem of result.problems) io.out(line(file, problem.where, problem.detail));
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
    io.out(line(file, where, detail));
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
    writeBytes(output, bytes);
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
    writeBytes(output, file.bytes);
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

/**
 * Run `lykta merge` with the positionals after the command and the options lykta.ts parsed.
 * Returns the exit status; prints `lykta: …` for a mistake in the call. Only a bug throws
 * (lykta.ts prints it as an internal error).
 */
export async function mergeCommand(
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
