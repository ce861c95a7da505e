import { mkdir } from "node:fs/promises";
import { expect, type Page, test } from "@playwright/test";
import {
  collectConsoleErrors,
  countColours,
  createProjectAndWalk,
  installedForOffline,
  setNight,
} from "./helpers";

/** Florence, PMTiles v3, Protomaps 2023 schema (../shared/data/README.md). */
const FIRENZE = new URL("../../../shared/data/tiles/firenze.pmtiles", import.meta.url);

/** Colours of Lykta's Protomaps style (src/map/protomaps-style.ts, BASEMAP_PALETTE). */
const hex = (colour: string): [number, number, number] => [
  Number.parseInt(colour.slice(1, 3), 16),
  Number.parseInt(colour.slice(3, 5), 16),
  Number.parseInt(colour.slice(5, 7), 16),
];
const DAY = {
  minorRoad: hex("#ffffff"),
  majorRoad: hex("#f6d27a"),
  building: hex("#d8d0c2"),
  /**
   * Names: dark neutral grey from the text colour (#2a2e34) towards its halo, as small
   * anti-aliased letters are drawn. Nothing else in the day style is dark and neutral.
   */
  text: [hex("#2a2e34"), hex("#50545a"), hex("#74787e")],
};
const NIGHT = {
  minorRoad: hex("#3b4554"),
  /** Names at night: light grey (#a9b3bf, places #c9d1da) towards the dark halo. */
  text: [hex("#c9d1da"), hex("#a9b3bf"), hex("#8c96a2")],
};

/** An observation of severity 5 (src/map/map-view.ts, SEVERITY_COLOURS). */
const SEVERITY_5 = hex("#8e1b2a");

/** The map's drawing without its controls (zoom buttons, attribution). */
async function mapShot(page: Page, path: string): Promise<Buffer> {
  const box = (await page.getByTestId("map").boundingBox())!;
  await page.screenshot({ path, fullPage: false });
  return page.screenshot({
    // Below the notice that location is off, left of the zoom buttons, above the credits.
    clip: { x: box.x, y: box.y + 120, width: box.width - 70, height: box.height - 150 },
  });
}

/** Wait until MapLibre has drawn everything it asked for (tiles, glyphs, labels). */
async function mapIdle(page: Page) {
  await expect(page.getByTestId("map")).toHaveAttribute("data-basemap", "rendered");
  // Two frames for the last label placement.
  await page.evaluate(
    () =>
      new Promise((resolve) =>
        requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 300))),
      ),
  );
}

test("a PMTiles map file of Florence shows streets and names offline, by day and by night", async ({
  page,
  context,
}) => {
  const errors = collectConsoleErrors(page);
  await mkdir(".cache/screenshots", { recursive: true });
  await createProjectAndWalk(page, "Kvällsvandring Firenze");
  const walkUrl = page.url();
  await installedForOffline(page);

  // Settings → Map files: load the file from the tablet's files.
  await page.goto("./#/settings");
  await page.getByTestId("basemap-file-input").setInputFiles(FIRENZE.pathname);
  await expect(
    page.getByText("Kartfilen firenze.pmtiles är sparad och vald som bakgrundskarta."),
  ).toBeVisible();
  const storeMs = await page.evaluate(
    () => performance.getEntriesByName("lykta:basemap-file-stored")[0]!.duration,
  );
  const files = page.getByRole("list", { name: "Kartfiler för offline" });
  await expect(files.getByText("firenze.pmtiles")).toBeVisible();
  await expect(files.getByText(/3,8 MB · zoomnivå 0–14/)).toBeVisible();
  await expect(
    page.getByRole("radio", { name: "Kartfil: firenze.pmtiles (fungerar utan nät)" }),
  ).toBeChecked();
  await expect(page.getByTestId("storage-map-files")).toHaveText("Varav kartfiler: 3,8 MB");
  await expect(page.getByText("© OpenStreetMap contributors").first()).toBeVisible();
  // Stored in the Origin Private File System, not beside the walks.
  const stored = await page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    const directory = await root.getDirectoryHandle("lykta-basemaps");
    const sizes: number[] = [];
    for await (const handle of (
      directory as unknown as { values(): AsyncIterable<FileSystemFileHandle> }
    ).values()) {
      sizes.push((await handle.getFile()).size);
    }
    return sizes;
  });
  expect(stored).toEqual([3959979]);
  // Open the map on the file's area, then come closer as a person would, to street level.
  await page.getByRole("button", { name: "Visa området" }).click();

  await page.goto(walkUrl);
  await expect(page.getByTestId("map")).toHaveAttribute("data-ready", "true");
  // The file's area opens at zoom 11.5; four steps in is street level (15.5).
  for (let step = 0; step < 4; step += 1) {
    await page.getByRole("button", { name: "Zooma in" }).click();
    await page.waitForTimeout(400);
  }
  await mapIdle(page);

  // Offline, from a reload: the basemap comes from the stored file, fonts from the precache.
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId("map")).toHaveAttribute("data-ready", "true");
  await setNight(page, false);
  await mapIdle(page);
  const firstRenderMs = await page.evaluate(
    () => performance.getEntriesByName("lykta:basemap-rendered")[0]!.startTime,
  );
  await expect(page.locator(".maplibregl-ctrl-attrib")).toContainText(
    "© OpenStreetMap contributors",
  );
  await expect(page.locator(".maplibregl-ctrl-attrib")).toContainText("Protomaps");

  const day = await mapShot(page, ".cache/screenshots/basemap-florence-day.png");
  const [minorRoad = 0, majorRoad = 0, building = 0, ...names] = await countColours(page, day, [
    DAY.minorRoad,
    DAY.majorRoad,
    DAY.building,
    ...DAY.text,
  ]);
  const namePixels = names.reduce((sum, count) => sum + count, 0);
  console.log(
    `basemap day pixels: minor roads ${minorRoad}, major roads ${majorRoad}, buildings ${building}, names ${namePixels}`,
  );
  expect(minorRoad).toBeGreaterThan(5_000);
  expect(majorRoad).toBeGreaterThan(1_000);
  expect(building).toBeGreaterThan(20_000);
  // About 1,000-1,400 with names drawn; without them none of these colours occurs (nothing
  // else in the style is dark and neutral).
  expect(namePixels).toBeGreaterThan(500);

  // Recording still works offline, and the team's own marks are drawn above the basemap.
  await page.getByRole("button", { name: "Punkt", exact: true }).tap();
  const box = (await page.getByTestId("map").boundingBox())!;
  await page.touchscreen.tap(box.x + box.width / 2 - 100, box.y + box.height / 2 + 60);
  await expect(page.getByRole("heading", { name: "Ny observation" })).toBeVisible();
  await page.getByText("Trasig belysning", { exact: true }).tap();
  await page.getByRole("radio", { name: "Allvarlighet 5 av 5" }).check();
  await page.getByRole("button", { name: "Spara", exact: true }).tap();
  await expect(page.getByRole("heading", { name: "Ny observation" })).toBeHidden();

  await setNight(page, true);
  await mapIdle(page);
  const night = await mapShot(page, ".cache/screenshots/basemap-florence-night.png");
  const [nightRoad = 0, dayRoadAtNight = 0, observation = 0, ...nightNames] = await countColours(
    page,
    night,
    [NIGHT.minorRoad, DAY.minorRoad, SEVERITY_5, ...NIGHT.text],
  );
  const nightNamePixels = nightNames.reduce((sum, count) => sum + count, 0);
  console.log(
    `basemap night pixels: minor roads ${nightRoad}, names ${nightNamePixels}, observation ${observation}`,
  );
  expect(observation).toBeGreaterThan(100);
  expect(nightRoad).toBeGreaterThan(5_000);
  expect(nightNamePixels).toBeGreaterThan(500);
  // Dimmed: no glaring white streets at night.
  expect(dayRoadAtNight).toBeLessThan(minorRoad / 20);

  console.log(
    `Florence (3.96 MB) stored in ${storeMs.toFixed(0)} ms; offline reload to first basemap render ${firstRenderMs.toFixed(0)} ms`,
  );
  test
    .info()
    .annotations.push(
      { type: "store-ms", description: storeMs.toFixed(0) },
      { type: "first-render-ms", description: firstRenderMs.toFixed(0) },
    );
  await context.setOffline(false);
  expect(errors).toEqual([]);
});
