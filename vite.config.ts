/// <reference types="vitest/config" />
import { availableParallelism } from "node:os";
import preact from "@preact/preset-vite";
import { VitePWA } from "vite-plugin-pwa";
import { defineConfig } from "vitest/config";
import packageJson from "./package.json" with { type: "json" };

export default defineConfig({
  define: {
    __APP_VERSION__: JSON.stringify(packageJson.version),
  },
  plugins: [
    preact(),
    VitePWA({
      // "prompt": a new version waits until the user accepts it; never reload mid-walk.
      registerType: "prompt",
      injectRegister: false,
      includeAssets: ["icons/*.png", "icons/*.svg"],
      manifest: {
        name: "Lykta – trygghetsvandring",
        short_name: "Lykta",
        description:
          "Offline-first map for trygghetsvandringar (community safety walks) and lighting audits.",
        lang: "sv",
        start_url: ".",
        scope: ".",
        display: "standalone",
        orientation: "any",
        background_color: "#10141a",
        theme_color: "#10141a",
        icons: [
          { src: "icons/icon-192.png", sizes: "192x192", type: "image/png" },
          { src: "icons/icon-512.png", sizes: "512x512", type: "image/png" },
          {
            src: "icons/icon-maskable-512.png",
            sizes: "512x512",
            type: "image/png",
            purpose: "maskable",
          },
        ],
      },
      workbox: {
        // MapLibre's worker is an .mjs file: precache it or the map fails offline.
        // The basemap's label fonts (woff2, src/map/protomaps-style.ts) too: labels offline.
        globPatterns: ["**/*.{js,mjs,css,html,json,png,svg,webmanifest,woff2}"],
        maximumFileSizeToCacheInBytes: 5 * 1024 * 1024,
        navigateFallback: "index.html",
        cleanupOutdatedCaches: true,
        // The first version installed takes control of the page that installed it, so a
        // tablet that goes offline right after its first visit still loads the map's chunks
        // from the precache. A later version still waits for "Uppdatera nu" (prompt mode:
        // no skipWaiting), and claims only after the user accepted it.
        clientsClaim: true,
      },
    }),
  ],
  build: {
    target: "es2022",
    sourcemap: true,
    chunkSizeWarningLimit: 1200,
  },
  worker: { format: "es" },
  test: {
    environment: "node",
    include: ["src/**/*.test.ts", "test/unit/**/*.test.ts"],
    reporters: ["default"],
    // Vitest leaves one of two cores idle by default; the suite is CPU-bound (fuzz, GDAL and
    // SpatiaLite child processes), so both cores roughly halve it on a 2-core CI machine.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
