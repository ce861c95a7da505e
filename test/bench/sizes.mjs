/**
 * Benchmark 3: JavaScript shipped, raw and gzipped (level 9), per file and per part: the
 * app code loaded at start, the map chunk (MapLibre, loaded on the walk screen), MapLibre's
 * worker, the chunks loaded on first use (terra-draw for drawing, fflate for backup files),
 * and the service worker.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { kb, printTable } from "./lib.mjs";

function partOf(file) {
  const name = file.split("/").at(-1);
  if (/^maplibre-gl-worker-.*\.mjs$/.test(name)) return "MapLibre worker";
  if (/^map-view-.*\.js$/.test(name)) return "MapLibre (map chunk)";
  if (/^draw-tools-.*\.js$/.test(name)) return "terra-draw (on first drawing)";
  if (/^package-.*\.js$/.test(name)) return "backup files, fflate (on first use)";
  if (name === "sw.js" || /^workbox-[0-9a-f]+\.js$/.test(name)) return "service worker";
  return "app code";
}

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

export function benchSizes(distDir) {
  const files = walk(distDir)
    .filter((path) => /\.(m?js)$/.test(path))
    .map((path) => {
      const bytes = readFileSync(path);
      const file = relative(distDir, path);
      return {
        file,
        part: partOf(file),
        raw: bytes.length,
        gzip: gzipSync(bytes, { level: 9 }).length,
      };
    })
    .sort((a, b) => a.part.localeCompare(b.part) || b.gzip - a.gzip);
  printTable(
    "3. JavaScript in the build, per file (gzip level 9 vs raw)",
    ["file", "part", "raw", "gzip"],
    files.map((entry) => [entry.file, entry.part, kb(entry.raw), kb(entry.gzip)]),
  );
  const parts = new Map();
  for (const entry of files) {
    const part = parts.get(entry.part) ?? { raw: 0, gzip: 0, files: 0 };
    part.raw += entry.raw;
    part.gzip += entry.gzip;
    part.files += 1;
    parts.set(entry.part, part);
  }
  const total = files.reduce(
    (sum, entry) => ({ raw: sum.raw + entry.raw, gzip: sum.gzip + entry.gzip }),
    { raw: 0, gzip: 0 },
  );
  printTable(
    "3b. JavaScript per part",
    ["part", "files", "raw", "gzip", "gzip/raw"],
    [
      ...[...parts].map(([name, part]) => [
        name,
        part.files,
        kb(part.raw),
        kb(part.gzip),
        `${((100 * part.gzip) / part.raw).toFixed(0)}%`,
      ]),
      [
        "total",
        files.length,
        kb(total.raw),
        kb(total.gzip),
        `${((100 * total.gzip) / total.raw).toFixed(0)}%`,
      ],
    ],
  );
  return { parts: Object.fromEntries(parts), total };
}
