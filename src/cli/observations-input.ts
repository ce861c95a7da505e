/**
 * Observations for a command (`lykta sites`, `lykta plan`): a `.lykta` package (its
 * observation and site link records, so a planner's joins and splits count, and its follow-up
 * records) or Lykta's observations GeoJSON export (docs/format.md, "Observations").
 */
import { basename } from "node:path";
import checklistData from "../../data/checklist.json";
import { type Checklist, findCategory } from "../domain/checklist";
import { readPackage } from "../domain/package";
import type { FollowUpRecord } from "../domain/plan/follow-up";
import { type SiteInput, siteInputFromGeoJson, siteInputFromRecords } from "../domain/sites-input";
import { type CommandOptions, type CommandOutput, problemText, readBytes } from "./io";

const checklist = checklistData as Checklist;

export interface ObservationsInput extends SiteInput {
  /** The package's follow-up records (live and deleted); none from a GeoJSON export. */
  followUps: FollowUpRecord[];
}

const isZip = (bytes: Uint8Array) =>
  bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 3 && bytes[3] === 4;

/**
 * The records of `file` (its `bytes`), with a problem per record or feature that cannot be
 * used; or one problem with the whole file (not a package, not JSON, from a newer app).
 */
export async function readObservations(
  file: string,
  bytes: Uint8Array,
): Promise<ObservationsInput | { where: string; reason: string }> {
  if (isZip(bytes)) {
    const result = await readPackage(bytes);
    if (!result.ok) return { where: result.problem.where, reason: result.problem.detail };
    const input = siteInputFromRecords(result.content.records);
    for (const problem of result.problems) {
      input.problems.unshift({ where: problem.where, reason: problem.detail });
    }
    const followUps = result.content.records.filter(
      (record): record is FollowUpRecord => record.kind === "followUp",
    );
    return { ...input, followUps };
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
  return { ...siteInputFromGeoJson(value), followUps: [] };
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
 * Read `file` as a command does: a problem with the whole file, or with any record or feature
 * unless --skip-invalid, is printed (`file: where: reason` on stdout) and gives null (exit 1,
 * nothing written); categories this app does not know are named on stderr. `verb` says what
 * the command does with them ("group").
 */
export async function readUsableObservations(
  file: string,
  options: CommandOptions,
  io: CommandOutput,
  verb: string,
): Promise<ObservationsInput | null> {
  const input = await readObservations(file, readBytes(file));
  if (!("observations" in input)) {
    io.out(problemText(file, input.where, input.reason));
    return null;
  }
  for (const problem of input.problems) io.out(problemText(file, problem.where, problem.reason));
  if (input.problems.length > 0 && !options["skip-invalid"]) {
    io.err(
      `lykta: ${input.problems.length} records or features cannot be read; nothing written. Fix them, or pass --skip-invalid to ${verb} the ${input.observations.length} readable observations.`,
    );
    return null;
  }
  const unknown = unknownCategories(input);
  if (unknown.length > 0) {
    io.err(`${file}: categories not in this app's checklist, left out: ${unknown.join(", ")}`);
  }
  return input;
}
