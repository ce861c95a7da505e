/**
 * Builds the `lykta` command (src/cli/lykta.ts) for Node 20 into dist-cli/lykta.js: one
 * ES module with every dependency bundled, so it runs from a fresh clone after `npm ci`
 * (the `prepare` script builds it) and starts fast (no tsx, no module resolution at start).
 *
 *   npx vite build --config vite.cli.config.ts && node dist-cli/lykta.js --help
 */
import { chmodSync } from "node:fs";
import { join } from "node:path";
import { defineConfig } from "vite";
import packageJson from "./package.json" with { type: "json" };

const OUT_DIR = "dist-cli";
const ENTRY_FILE = "lykta.js";

export default defineConfig({
  define: {
    __APP_VERSION__: JSON.stringify(packageJson.version),
  },
  publicDir: false,
  logLevel: "warn",
  ssr: {
    // Bundle every dependency (proj4, papaparse, fflate, xmldom, ...): node builtins only
    // stay external.
    noExternal: true,
    target: "node",
  },
  build: {
    ssr: "src/cli/lykta.ts",
    outDir: OUT_DIR,
    emptyOutDir: true,
    target: "node20",
    minify: false,
    sourcemap: false,
    copyPublicDir: false,
    rolldownOptions: {
      output: {
        format: "es",
        entryFileNames: ENTRY_FILE,
        banner: "#!/usr/bin/env node",
        // One file: lazy imports of the importers are inlined rather than split into chunks.
        codeSplitting: false,
      },
    },
  },
  plugins: [
    {
      name: "lykta-cli-executable",
      apply: "build",
      writeBundle() {
        // npm links `bin` files as executables on install; this makes a local build one too.
        chmodSync(join(OUT_DIR, ENTRY_FILE), 0o755);
      },
    },
  ],
});
