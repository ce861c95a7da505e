/**
 * The Lykta package (`.lykta`): a zip that carries records (tombstones included) and photo
 * bytes between devices, and serves as a walk's backup file. The manifest names the format
 * and its version; a package from a newer app is refused with a message.
 *
 *   manifest.json        format "lykta-package", formatVersion, project, time, counts
 *   records.ndjson       one SyncedRecord per line, in the shape of `manifest.shapeVersion`
 *   conflicts.ndjson     optional: one ConflictEntry per line, values that lost a concurrent
 *                        edit (merge.ts), so a merged package drops nothing typed. Added within
 *                        format version 1: older readers read only the files they know and
 *                        ignore it, and a package without it has an empty log.
 *   photos/<sha256>.jpg  photo bytes; the name is the SHA-256 of the bytes
 */
import { strFromU8, strToU8, type Zippable, zipSync } from "fflate";
import { parseConflictEntry } from "./conflicts";
import { sha256Hex } from "./hash";
import type { ConflictEntry } from "./merge";
import {
  PACKAGE_EXTENSION,
  PACKAGE_FORMAT,
  PACKAGE_FORMAT_VERSION,
  type PackageContent,
  type PackageManifest,
  type PackageMeta,
  packageManifest,
} from "./package-manifest";
import { CURRENT_SHAPE_VERSION, type SyncedRecord } from "./record";
import { describeRecordProblem, RECORD_REASONS, validateIncomingRecord } from "./record-validation";
import { unzipSafely, ZIP_REASONS } from "./zip-safety";

export {
  PACKAGE_EXTENSION,
  PACKAGE_FORMAT,
  PACKAGE_FORMAT_VERSION,
  PACKAGE_MIME_TYPE,
  type PackageContent,
  type PackageManifest,
  type PackageMeta,
  packageManifest,
} from "./package-manifest";

const MANIFEST_PATH = "manifest.json";
const RECORDS_PATH = "records.ndjson";
const CONFLICTS_PATH = "conflicts.ndjson";

/**
 * Zip a package. `conflicts` (the lost values of merges) are written to `conflicts.ndjson`
 * when there are any; without them the package is exactly what older apps write.
 */
export function buildPackage(
  meta: PackageMeta,
  records: readonly SyncedRecord[],
  photos: ReadonlyMap<string, Uint8Array>,
  conflicts: readonly ConflictEntry[] = [],
): Uint8Array {
  const manifest = packageManifest(meta, records, photos);
  const files: Zippable = {
    [MANIFEST_PATH]: strToU8(JSON.stringify(manifest, null, 2)),
    [RECORDS_PATH]: strToU8(records.map((record) => JSON.stringify(record)).join("\n")),
  };
  if (conflicts.length > 0) {
    files[CONFLICTS_PATH] = strToU8(conflicts.map((entry) => JSON.stringify(entry)).join("\n"));
  }
  // JPEG bytes do not compress further: store them (level 0) to save time on a tablet.
  for (const { id, path } of manifest.photos) files[path] = [photos.get(id)!, { level: 0 }];
  return zipSync(files, { level: 6 });
}

export type PackageProblemReason =
  | "not_a_package"
  | "unsafe_zip"
  | "newer_format"
  | "newer_shape"
  | "malformed"
  | "photo_mismatch";

export interface PackageProblem {
  reason: PackageProblemReason;
  /** Where: a path in the package, or a record index. */
  where: string;
  detail: string;
}

export type PackageReadResult =
  | { ok: true; content: PackageContent; problems: PackageProblem[] }
  | { ok: false; problem: PackageProblem };

/**
 * Read and check a package. Refuses the whole package when it is not one, or comes from a
 * newer app; otherwise returns the good records and photos, and a problem for each bad one,
 * so nothing bad is stored unless the user agrees to keep the good part.
 */
export async function readPackage(bytes: Uint8Array): Promise<PackageReadResult> {
  // Size, ratio and path limits before anything is inflated (zip bombs, zip slip).
  const unzipped = unzipSafely(bytes);
  if (!unzipped.ok) {
    const issue = unzipped.issues[0]!;
    return issue.code === ZIP_REASONS.notZip
      ? fail("not_a_package", "file", `not a zip archive (${issue.message})`)
      : fail("unsafe_zip", issue.where, issue.message);
  }
  const files = Object.fromEntries(unzipped.files) as Record<string, Uint8Array>;
  const manifestBytes = files[MANIFEST_PATH];
  if (!manifestBytes) {
    return fail("not_a_package", MANIFEST_PATH, "the archive has no manifest.json");
  }
  let manifest: PackageManifest;
  try {
    manifest = JSON.parse(strFromU8(manifestBytes));
  } catch (error) {
    return fail("malformed", MANIFEST_PATH, `not JSON: ${(error as Error).message}`);
  }
  if (manifest?.format !== PACKAGE_FORMAT) {
    return fail("not_a_package", `${MANIFEST_PATH}: format`, "not a Lykta package");
  }
  if (!Number.isInteger(manifest.formatVersion) || manifest.formatVersion < 1) {
    return fail("malformed", `${MANIFEST_PATH}: formatVersion`, "missing or invalid");
  }
  if (manifest.formatVersion > PACKAGE_FORMAT_VERSION) {
    return fail(
      "newer_format",
      `${MANIFEST_PATH}: formatVersion`,
      `package format ${manifest.formatVersion} comes from a newer Lykta (${manifest.appVersion}); this app reads format ${PACKAGE_FORMAT_VERSION}. Update the app.`,
    );
  }
  if (manifest.shapeVersion > CURRENT_SHAPE_VERSION) {
    return fail(
      "newer_shape",
      `${MANIFEST_PATH}: shapeVersion`,
      `records of shape ${manifest.shapeVersion} come from a newer Lykta (${manifest.appVersion}); update the app.`,
    );
  }
  const recordBytes = files[RECORDS_PATH];
  if (!recordBytes) return fail("malformed", RECORDS_PATH, "missing");
  const problems: PackageProblem[] = [];
  const records: SyncedRecord[] = [];
  for (const { raw, where } of ndjson(recordBytes, RECORDS_PATH, problems)) {
    // The same validator as a sync push (record-validation.ts), in the current shape after.
    const checked = validateIncomingRecord(raw);
    if (checked.ok) records.push(checked.record);
    else if (checked.reason === RECORD_REASONS.newerShape) {
      return fail("newer_shape", where(), checked.detail);
    } else {
      problems.push({
        reason: "malformed",
        where: where(),
        detail: describeRecordProblem(checked),
      });
    }
  }
  const conflicts: ConflictEntry[] = [];
  const conflictBytes = files[CONFLICTS_PATH];
  for (const { raw, where } of ndjson(conflictBytes, CONFLICTS_PATH, problems)) {
    const parsed = parseConflictEntry(raw);
    if (parsed.ok) conflicts.push(parsed.entry);
    else problems.push({ reason: "malformed", where: where(), detail: parsed.detail });
  }
  const photos = new Map<string, Uint8Array>();
  for (const entry of Array.isArray(manifest.photos) ? manifest.photos : []) {
    const photoBytes = files[entry.path];
    if (!photoBytes) {
      problems.push({ reason: "photo_mismatch", where: entry.path, detail: "listed but missing" });
      continue;
    }
    const actual = await sha256Hex(photoBytes);
    if (actual !== entry.id) {
      problems.push({
        reason: "photo_mismatch",
        where: entry.path,
        detail: `bytes hash to ${actual.slice(0, 12)}…, not ${entry.id.slice(0, 12)}… (damaged file)`,
      });
      continue;
    }
    photos.set(entry.id, photoBytes);
  }
  return { ok: true, content: { manifest, records, photos, conflicts }, problems };
}

/**
 * The values of an NDJSON file, one per non-empty line; a line that is not JSON becomes a
 * problem naming it. `where()` names a value's line (made only when a problem needs it).
 */
function* ndjson(
  bytes: Uint8Array | undefined,
  path: string,
  problems: PackageProblem[],
): Generator<{ raw: unknown; where: () => string }> {
  if (!bytes) return;
  const lines = strFromU8(bytes).split("\n");
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.trim() === "") continue;
    const where = () => `${path}: line ${index + 1}`;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (error) {
      problems.push({
        reason: "malformed",
        where: where(),
        detail: `not JSON: ${(error as Error).message}`,
      });
      continue;
    }
    yield { raw, where };
  }
}

function fail(reason: PackageProblemReason, where: string, detail: string): PackageReadResult {
  return { ok: false, problem: { reason, where, detail } };
}

/** A file name for a walk package: "Lykta Vivalla kväll 2026-11-24.lykta", safe everywhere. */
export function packageFileName(title: string, date: string): string {
  const safe = [...title.normalize("NFC")]
    // Characters that Windows, macOS or Android refuse in file names, and control characters.
    .map((character) => (character < " " || '\\/:*?"<>|'.includes(character) ? " " : character))
    .join("")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 80);
  return `Lykta ${safe || "vandring"} ${date}${PACKAGE_EXTENSION}`;
}
