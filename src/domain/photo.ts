/**
 * Photos: records of their own, keyed by the SHA-256 of their bytes, so the same photo is
 * never stored or sent twice. The bytes live beside the record (storage: photo blobs).
 */
import { createRecord, type EditContext, type SyncedRecord } from "./record";

/** Longest edge after resizing. 1600 px shows a place clearly on a tablet and in a report. */
export const PHOTO_MAX_EDGE_PX = 1600;
/** Stored size target per photo (issue 2: 400 KB or less). */
export const PHOTO_TARGET_MAX_BYTES = 400 * 1024;
/** Originals larger than this are refused before decoding (a 12 MP JPEG is 3 to 8 MB). */
export const PHOTO_INPUT_MAX_BYTES = 30 * 1024 * 1024;
/** JPEG qualities tried in order until the result fits PHOTO_TARGET_MAX_BYTES. */
export const PHOTO_JPEG_QUALITIES = [0.82, 0.72, 0.6, 0.5] as const;

export interface PhotoFields {
  mimeType: string;
  widthPx: number;
  heightPx: number;
  byteLength: number;
  /** When the photo was taken (epoch ms, from the device clock at capture). */
  takenAt: number;
}

export type PhotoRecord = SyncedRecord<PhotoFields>;

export const EMPTY_PHOTO_FIELDS: PhotoFields = Object.freeze({
  mimeType: "",
  widthPx: 0,
  heightPx: 0,
  byteLength: 0,
  takenAt: 0,
});

export const SHA256_HEX = /^[0-9a-f]{64}$/;

export function createPhotoRecord(
  sha256Hex: string,
  projectId: string,
  walkId: string,
  fields: PhotoFields,
  ctx: EditContext,
): PhotoRecord {
  if (!SHA256_HEX.test(sha256Hex))
    throw new Error(`createPhotoRecord: "${sha256Hex}" is not SHA-256 hex`);
  return createRecord({ id: sha256Hex, kind: "photo", projectId, walkId, fields }, ctx);
}

/** Size after fitting within maxEdgePx on the long edge, never upscaling. */
export function fitWithin(
  widthPx: number,
  heightPx: number,
  maxEdgePx: number = PHOTO_MAX_EDGE_PX,
): { widthPx: number; heightPx: number } {
  const longEdge = Math.max(widthPx, heightPx);
  if (longEdge <= maxEdgePx) return { widthPx, heightPx };
  const scale = maxEdgePx / longEdge;
  return {
    widthPx: Math.max(1, Math.round(widthPx * scale)),
    heightPx: Math.max(1, Math.round(heightPx * scale)),
  };
}

export type PhotoRejection = "not_an_image" | "too_large" | "unreadable";

/** Early checks on a chosen file, before any decoding. */
export function checkPhotoFile(file: { type: string; size: number }): PhotoRejection | null {
  if (file.size > PHOTO_INPUT_MAX_BYTES) return "too_large";
  if (file.type !== "" && !file.type.startsWith("image/")) return "not_an_image";
  return null;
}

/** Sniff the first bytes: is this an image format browsers decode? */
export function looksLikeImage(head: Uint8Array): boolean {
  const starts = (...bytes: number[]) => bytes.every((byte, index) => head[index] === byte);
  return (
    starts(0xff, 0xd8, 0xff) || // JPEG
    starts(0x89, 0x50, 0x4e, 0x47) || // PNG
    starts(0x47, 0x49, 0x46, 0x38) || // GIF
    (starts(0x52, 0x49, 0x46, 0x46) && head[8] === 0x57 && head[9] === 0x45) || // RIFF....WEBP
    (head[4] === 0x66 && head[5] === 0x74 && head[6] === 0x79 && head[7] === 0x70) // ftyp: HEIC/AVIF
  );
}
