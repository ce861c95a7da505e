/**
 * What a Lykta package (`.lykta`, package.ts) says about itself: the manifest and the content
 * types. Apart from package.ts so that code which only merges or describes packages (storage,
 * merge-set.ts) does not load the zip library with the app's first screen.
 */
import type { ConflictEntry } from "./merge";
import { CURRENT_SHAPE_VERSION, type SyncedRecord } from "./record";

export const PACKAGE_FORMAT = "lykta-package";
export const PACKAGE_FORMAT_VERSION = 1;
export const PACKAGE_EXTENSION = ".lykta";
export const PACKAGE_MIME_TYPE = "application/vnd.lykta+zip";

export interface PackageManifest {
  format: typeof PACKAGE_FORMAT;
  formatVersion: number;
  shapeVersion: number;
  appVersion: string;
  /** Epoch ms on the device that made the package. */
  createdAt: number;
  /** Device id (random, not personal) that made the package. */
  createdBy: string;
  /** What the package holds: one walk, or a whole project. */
  scope: { projectId: string; walkId?: string };
  projectId: string;
  recordCount: number;
  photoCount: number;
  photos: { id: string; path: string; byteLength: number }[];
}

export interface PackageContent {
  manifest: PackageManifest;
  records: SyncedRecord[];
  /** Photo bytes by SHA-256 id. */
  photos: Map<string, Uint8Array>;
  /** The conflict log the package carries (`conflicts.ndjson`); empty when it has none. */
  conflicts: ConflictEntry[];
}

/** What the making device says about a package; the rest of the manifest follows from the content. */
export type PackageMeta = Pick<PackageManifest, "appVersion" | "createdAt" | "createdBy" | "scope">;

const byPhotoId = ([a]: [string, Uint8Array], [b]: [string, Uint8Array]) => (a < b ? -1 : 1);

/** The manifest of a package with this content (photos listed by id, in id order). */
export function packageManifest(
  meta: PackageMeta,
  records: readonly SyncedRecord[],
  photos: ReadonlyMap<string, Uint8Array>,
): PackageManifest {
  const photoEntries = [...photos.entries()].sort(byPhotoId);
  return {
    format: PACKAGE_FORMAT,
    formatVersion: PACKAGE_FORMAT_VERSION,
    shapeVersion: CURRENT_SHAPE_VERSION,
    ...meta,
    projectId: meta.scope.projectId,
    recordCount: records.length,
    photoCount: photoEntries.length,
    photos: photoEntries.map(([id, bytes]) => ({
      id,
      path: `photos/${id}.jpg`,
      byteLength: bytes.byteLength,
    })),
  };
}
