/**
 * The photo pipeline as a walk team uses it: a 12 MP camera photo with EXIF orientation, GPS
 * and a camera serial goes in; a 1600 px upright JPEG of at most 400 KB with no metadata is
 * stored, shown as a thumbnail and still there after a reload. Bad files are refused.
 */
import { createHash } from "node:crypto";
import { readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import {
  CAMERA,
  exifTags,
  imageSize,
  jpegMarkers,
  makeCameraPhoto,
  makeOversizeJpeg,
  makeTempDir,
  makeTextAsJpeg,
  meanColour,
  nearestColour,
  ORIGINAL,
} from "../fixtures/make-photo";
import { liveObservations, readPhotoBlobs, startObservation } from "./field-helpers";
import { collectConsoleErrors, createProjectAndWalk } from "./helpers";

let dir: string;
let cameraPhoto: string;

test.beforeAll(() => {
  test.setTimeout(120_000);
  dir = makeTempDir();
  cameraPhoto = makeCameraPhoto(dir);
  // The input really is what the test claims: 12 MP, rotated by EXIF, full of metadata.
  expect(imageSize(cameraPhoto)).toEqual(ORIGINAL);
  const tags = exifTags(cameraPhoto);
  expect(tags["EXIF:Orientation"]).toBe(6);
  expect(tags["EXIF:SerialNumber"]).toBe(CAMERA.serial);
  expect(tags["EXIF:GPSLatitude"]).toBeCloseTo(59.6262, 3);
  expect(nearestColour(meanColour(cameraPhoto, 1000, 1500))).toBe("red");
  expect(nearestColour(meanColour(cameraPhoto, 3000, 1500))).toBe("blue");
  expect(nearestColour(meanColour(cameraPhoto, 100, 100))).toBe("green");
  const size = statSync(cameraPhoto).size;
  expect(size).toBeGreaterThan(2 * 1024 * 1024);
  console.log(`input photo: ${ORIGINAL.widthPx}x${ORIGINAL.heightPx}, ${size} bytes`);
});

test.afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("a camera photo is stored upright, 1600 px, at most 400 KB and without metadata", async ({
  page,
}) => {
  const errors = collectConsoleErrors(page);
  await createProjectAndWalk(page);
  await startObservation(page, "Trasig belysning");
  await page.getByTestId("photo-input").setInputFiles(cameraPhoto);

  const thumbnail = page
    .getByRole("button", { name: "Visa foto 1 i full storlek" })
    .getByRole("img");
  await expect(thumbnail).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole("status").filter({ hasText: "Fotot är sparat" })).toBeVisible();
  // The thumbnail shows real, decoded pixels.
  expect(await thumbnail.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1200);
  await page.getByRole("button", { name: "Spara", exact: true }).tap();
  await expect(page.getByRole("heading", { name: "Ny observation" })).toBeHidden();

  // The bytes as stored in IndexedDB.
  const blobs = await readPhotoBlobs(page);
  expect(blobs).toHaveLength(1);
  const blob = blobs[0]!;
  const bytes = Buffer.from(blob.base64, "base64");
  const stored = join(dir, "stored.jpg");
  writeFileSync(stored, bytes);
  // Keyed by the SHA-256 of its bytes, and the observation points at it.
  expect(blob.key).toBe(createHash("sha256").update(bytes).digest("hex"));
  expect(blob.type).toBe("image/jpeg");
  const observations = await liveObservations(page);
  expect(observations).toHaveLength(1);
  expect(observations[0]?.fields.photoIds).toEqual([blob.key]);

  const size = imageSize(stored);
  console.log(`stored photo: ${size.widthPx}x${size.heightPx}, ${bytes.length} bytes`);
  expect(bytes.length).toBeLessThanOrEqual(400 * 1024);
  expect(Math.max(size.widthPx, size.heightPx)).toBe(1600);
  // Orientation 6 applied to the pixels: portrait now, the original's left (red) on top, its
  // right (blue) at the bottom, its top-left green corner at the top right.
  expect(size).toEqual({ widthPx: 1200, heightPx: 1600 });
  expect(nearestColour(meanColour(stored, 590, 300))).toBe("red");
  expect(nearestColour(meanColour(stored, 590, 1300))).toBe("blue");
  expect(nearestColour(meanColour(stored, 1140, 40))).toBe("green");
  expect(nearestColour(meanColour(stored, 40, 40))).toBe("red");

  // No metadata at all: no EXIF (APP1) segment, so no GPS, serial, make/model or orientation.
  const markers = jpegMarkers(bytes);
  expect(markers).not.toContain(0xe1);
  const tags = exifTags(stored);
  const names = Object.keys(tags);
  console.log(
    `stored photo metadata groups: ${[...new Set(names.map((n) => n.split(":")[0]))].join(", ")}`,
  );
  expect(names.filter((name) => name.startsWith("EXIF:"))).toEqual([]);
  expect(names.filter((name) => name.startsWith("GPS:"))).toEqual([]);
  expect(names.filter((name) => name.startsWith("XMP:"))).toEqual([]);
  expect(names.filter((name) => name.startsWith("MakerNotes:"))).toEqual([]);
  // (An sRGB colour profile from the encoder, ICC_Profile:*, describes colours, not the camera.)
  const cameraish = names.filter(
    (name) => !name.startsWith("ICC_Profile:") && /Orientation|Serial|Make|Model|GPS/i.test(name),
  );
  expect(cameraish).toEqual([]);
  const text = JSON.stringify(tags);
  expect(text).not.toContain(CAMERA.serial);
  expect(text).not.toContain(CAMERA.make);
  expect(text).not.toContain(CAMERA.model);
  expect(readFileSync(stored).includes(Buffer.from(CAMERA.serial))).toBe(false);
  expect(readFileSync(stored).includes(Buffer.from("Exif\0"))).toBe(false);

  // The photo survives a reload: in the list and in the edit form.
  await page.getByRole("link", { name: "Lista" }).click();
  await page.reload();
  const row = page.getByRole("button", { name: /Trasig belysning/ });
  await expect(row).toContainText("Foton: 1");
  await row.click();
  await expect(page.getByRole("heading", { name: "Ändra observation" })).toBeVisible();
  const again = page.getByRole("button", { name: "Visa foto 1 i full storlek" }).getByRole("img");
  await expect(again).toBeVisible();
  expect(await again.evaluate((img: HTMLImageElement) => img.naturalHeight)).toBe(1600);
  expect(errors).toEqual([]);
});

test("a text file named .jpg and a file over 30 MB are refused, and no photo is added", async ({
  page,
}) => {
  const notAnImage = makeTextAsJpeg(dir);
  const oversize = makeOversizeJpeg(cameraPhoto, dir);
  expect(statSync(oversize).size).toBeGreaterThan(30 * 1024 * 1024);

  await createProjectAndWalk(page);
  await startObservation(page, "Klotter");
  const input = page.getByTestId("photo-input");
  const alert = (text: string) => page.getByRole("alert").filter({ hasText: text });

  await input.setInputFiles(notAnImage);
  await expect(alert("Filen ”anteckning.jpg” är ingen bild.")).toBeVisible();
  await input.setInputFiles(oversize);
  await expect(alert("Bilden ”jättestor.jpg” är större än 30 MB.")).toBeVisible();
  // The input is ready again (processing finished) and no thumbnail appeared.
  await expect(input).toBeEnabled();
  await expect(page.getByRole("button", { name: /Visa foto/ })).toHaveCount(0);
  await expect(page.getByText(/Fotot är sparat/)).toHaveCount(0);

  await page.getByRole("button", { name: "Spara", exact: true }).tap();
  await expect(page.getByRole("heading", { name: "Ny observation" })).toBeHidden();
  expect(await readPhotoBlobs(page)).toEqual([]);
  const observations = await liveObservations(page);
  expect(observations).toHaveLength(1);
  expect(observations[0]?.fields.photoIds).toEqual([]);
  await page.getByRole("link", { name: "Lista" }).click();
  const row = page.getByRole("button", { name: /Klotter/ });
  await expect(row).toBeVisible();
  await expect(row).not.toContainText("Foton");
});
