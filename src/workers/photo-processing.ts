/**
 * Photo pipeline, in the page: decode (the browser decodes off the main thread), apply the
 * EXIF orientation to the pixels, resize to at most PHOTO_MAX_EDGE_PX on the long edge, and
 * re-encode as JPEG. Canvas encoding writes no metadata at all: no GPS position, no camera
 * serial, no EXIF orientation (it is already in the pixels).
 */
import { sha256Hex } from "../domain/hash";
import {
  checkPhotoFile,
  fitWithin,
  looksLikeImage,
  PHOTO_JPEG_QUALITIES,
  PHOTO_MAX_EDGE_PX,
  PHOTO_TARGET_MAX_BYTES,
  type PhotoRejection,
} from "../domain/photo";

export interface ProcessedPhoto {
  blob: Blob;
  sha256: string;
  widthPx: number;
  heightPx: number;
}

export type PhotoResult =
  | { ok: true; photo: ProcessedPhoto }
  | { ok: false; reason: PhotoRejection };

async function decode(file: Blob): Promise<ImageBitmap | HTMLImageElement> {
  if (typeof createImageBitmap === "function") {
    try {
      // "from-image": apply the EXIF orientation while decoding (HTML spec default).
      return await createImageBitmap(file, { imageOrientation: "from-image" });
    } catch {
      // Fall through to <img>, which some browsers decode more formats with.
    }
  }
  const url = URL.createObjectURL(file);
  try {
    const image = new Image();
    image.decoding = "async";
    image.src = url;
    await image.decode();
    return image;
  } finally {
    URL.revokeObjectURL(url);
  }
}

function sizeOf(source: ImageBitmap | HTMLImageElement) {
  return source instanceof HTMLImageElement
    ? { width: source.naturalWidth, height: source.naturalHeight }
    : { width: source.width, height: source.height };
}

async function encode(
  source: ImageBitmap | HTMLImageElement,
  widthPx: number,
  heightPx: number,
  quality: number,
): Promise<Blob> {
  if (typeof OffscreenCanvas !== "undefined") {
    const canvas = new OffscreenCanvas(widthPx, heightPx);
    const context = canvas.getContext("2d");
    if (context) {
      context.imageSmoothingQuality = "high";
      context.drawImage(source, 0, 0, widthPx, heightPx);
      return canvas.convertToBlob({ type: "image/jpeg", quality });
    }
  }
  const canvas = document.createElement("canvas");
  canvas.width = widthPx;
  canvas.height = heightPx;
  const context = canvas.getContext("2d");
  if (!context) throw new Error("no 2D canvas");
  context.imageSmoothingQuality = "high";
  context.drawImage(source, 0, 0, widthPx, heightPx);
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error("encoding failed"))),
      "image/jpeg",
      quality,
    ),
  );
}

export async function processPhoto(file: File | Blob): Promise<PhotoResult> {
  const early = checkPhotoFile({ type: file.type, size: file.size });
  if (early) return { ok: false, reason: early };
  const head = new Uint8Array(await file.slice(0, 16).arrayBuffer());
  if (!looksLikeImage(head)) return { ok: false, reason: "not_an_image" };
  let source: ImageBitmap | HTMLImageElement;
  try {
    source = await decode(file);
  } catch {
    return { ok: false, reason: "unreadable" };
  }
  try {
    const natural = sizeOf(source);
    if (natural.width === 0 || natural.height === 0) return { ok: false, reason: "unreadable" };
    // Try the full target size at falling qualities, then a smaller size, until it fits.
    for (const maxEdge of [PHOTO_MAX_EDGE_PX, 1280, 1024]) {
      const size = fitWithin(natural.width, natural.height, maxEdge);
      for (const quality of PHOTO_JPEG_QUALITIES) {
        const blob = await encode(source, size.widthPx, size.heightPx, quality);
        if (
          blob.size <= PHOTO_TARGET_MAX_BYTES ||
          (maxEdge === 1024 && quality === PHOTO_JPEG_QUALITIES.at(-1))
        ) {
          const bytes = new Uint8Array(await blob.arrayBuffer());
          return {
            ok: true,
            photo: {
              blob: new Blob([bytes], { type: "image/jpeg" }),
              sha256: await sha256Hex(bytes),
              widthPx: size.widthPx,
              heightPx: size.heightPx,
            },
          };
        }
      }
    }
    return { ok: false, reason: "unreadable" };
  } catch {
    return { ok: false, reason: "unreadable" };
  } finally {
    if ("close" in source) source.close();
  }
}
