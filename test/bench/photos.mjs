/**
 * Test photos for benchmark 4: 12-megapixel (4000x3000) noisy JPEGs at quality 92, several
 * MB each, with EXIF as a tablet camera writes it (orientation, GPS, camera serial). Made
 * with Debian's ImageMagick and exiftool; kept in .cache so later runs skip the work.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCommand } from "./lib.mjs";

const CONVERT = process.env.CONVERT_PATH ?? "/usr/bin/convert";
const EXIFTOOL = process.env.EXIFTOOL_PATH ?? "/usr/bin/exiftool";

/** Fixed recipe: seed and EXIF orientation per photo. Change it and the cache is rebuilt. */
const PHOTOS = [
  { seed: 42, orientation: 1 },
  { seed: 43, orientation: 6 },
  { seed: 44, orientation: 1 },
];
const RECIPE = JSON.stringify({
  version: 1,
  size: "4000x3000",
  plasma: "1000x750 resized",
  noise: 0.3,
  quality: 92,
  PHOTOS,
});

export async function makePhotos(root) {
  const dir = join(root, ".cache", "bench-photos");
  mkdirSync(dir, { recursive: true });
  const stamp = join(dir, "recipe.json");
  const paths = PHOTOS.map((_, index) => join(dir, `photo-${index + 1}.jpg`));
  const cached =
    existsSync(stamp) && readFileSync(stamp, "utf8") === RECIPE && paths.every(existsSync);
  const started = Date.now();
  if (!cached) {
    // Two cores: make two at a time.
    const make = async (photo, path) => {
      const partial = `${path}.partial.jpg`;
      // A plasma fractal (smooth colour fields, like a dim street scene) plus sensor noise.
      await runCommand(CONVERT, [
        "-size",
        "1000x750",
        "-seed",
        String(photo.seed),
        "plasma:fractal",
        "-resize",
        "4000x3000!",
        "-attenuate",
        "0.3",
        "+noise",
        "Gaussian",
        "-quality",
        "92",
        "-sampling-factor",
        "4:2:0",
        partial,
      ]);
      await runCommand(EXIFTOOL, [
        "-q",
        "-overwrite_original",
        "-n",
        "-Make=Samsung",
        "-Model=Galaxy Tab Active5",
        "-SerialNumber=R52W1234567",
        "-BodySerialNumber=R52W1234567",
        `-Orientation=${photo.orientation}`,
        "-DateTimeOriginal=2027:10:14 19:12:03",
        `-GPSLatitude=59.6262`,
        "-GPSLatitudeRef=N",
        `-GPSLongitude=16.5146`,
        "-GPSLongitudeRef=E",
        partial,
      ]);
      renameSync(partial, path);
    };
    for (let i = 0; i < PHOTOS.length; i += 2) {
      await Promise.all(PHOTOS.slice(i, i + 2).map((photo, k) => make(photo, paths[i + k])));
    }
    writeFileSync(stamp, RECIPE);
  }
  return {
    madeMs: cached ? 0 : Date.now() - started,
    photos: PHOTOS.map((photo, index) => ({
      path: paths[index],
      orientation: photo.orientation,
      originalSize: statSync(paths[index]).size,
    })),
  };
}
