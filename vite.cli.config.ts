/**
 * Builds the `lykta` command for Node 20 into dist-cli/: lykta.js (src/cli/entry.ts) and the
 * chunks it imports, ES modules with every dependency bundled, so it runs from a fresh clone
 * after `npm ci` (the `prepare` script builds it) and starts fast (no tsx, no module
 * resolution of packages at start). The entry loads only the chunks a command needs: `lykta
 * lighting` on GeoJSON never loads the other importers, proj4 or the exporters. The plain
 * `lykta lighting` call is also built as one CommonJS file, lighting-fast.cjs, which entry.ts
 * runs through a V8 code cache (lighting-fast.v8cache, written beside it on first use).
 *
 *   npx vite build --config vite.cli.config.ts && node dist-cli/lykta.js --help
 */
import { chmodSync } from "node:fs";
import { join } from "node:path";
import { build, defineConfig } from "vite";
import packageJson from "./package.json" with { type: "json" };

const OUT_DIR = "dist-cli";
const ENTRY_FILE = "lykta.js";
const define = { __APP_VERSION__: JSON.stringify(packageJson.version) };
let fastOutDir = OUT_DIR;

export default defineConfig({
  define,
  publicDir: false,
  logLevel: "warn",
  ssr: {
    // Bundle every dependency (proj4, papaparse, fflate, xmldom, ...): node builtins only
    // stay external.
    noExternal: true,
    target: "node",
  },
  build: {
    ssr: "src/cli/entry.ts",
    outDir: OUT_DIR,
    emptyOutDir: true,
    target: "node20",
    minify: false,
    sourcemap: false,
    copyPublicDir: false,
    rolldownOptions: {
      // The database drivers load files next to their own modules at run time (PGlite's
      // WebAssembly and data, PostGIS's bundle; pg's optional native binding): they stay
      // packages in node_modules (runtime dependencies, installed by npm ci).
      external: [/^@electric-sql\//, "pg", "pg-native"],
      output: {
        format: "es",
        entryFileNames: ENTRY_FILE,
        chunkFileNames: "chunks/[name]-[hash].js",
        // The shebang only on the program: chunks are modules it imports.
        banner: (chunk) => (chunk.isEntry ? "#!/usr/bin/env node" : ""),
      },
    },
  },
  plugins: [
    {
      name: "lykta-cli-executable",
      apply: "build",
      writeBundle(options) {
        // npm links `bin` files as executables on install; this makes a local build one too.
        chmodSync(join(options.dir ?? OUT_DIR, ENTRY_FILE), 0o755);
      },
    },
    {
      // The plain `lykta lighting` call as one CommonJS file beside the program, which
      // entry.ts runs through a V8 code cache (src/cli/lighting-fast.ts).
      name: "lykta-lighting-fast",
      apply: "build",
      configResolved(config) {
        // Beside the program wherever it is built (`--outDir`: the server tests build their
        // own copy, and must not rewrite dist-cli while another test runs it).
        fastOutDir = config.build.outDir;
      },
      async closeBundle() {
        await build({
          configFile: false,
          define,
          publicDir: false,
          logLevel: "warn",
          ssr: { noExternal: true, target: "node" },
          build: {
            ssr: "src/cli/lighting-fast.ts",
            outDir: fastOutDir,
            emptyOutDir: false,
            target: "node20",
            minify: false,
            sourcemap: false,
            copyPublicDir: false,
            rolldownOptions: {
              output: { format: "cjs", entryFileNames: "lighting-fast.cjs", codeSplitting: false },
            },
          },
        });
      },
    },
  ],
});
