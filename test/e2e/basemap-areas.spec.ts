import { mkdir } from "node:fs/promises";
import { expect, type Page, test } from "@playwright/test";
import {
  addHere,
  collectConsoleErrors,
  countColours,
  createProjectAndWalk,
  grantGps,
  installedForOffline,
  setNight,
  storedRecords,
} from "./helpers";
import { startTileServer, TILE_COLOURS, type TileServer } from "./tile-server";

/**
 * The area saved: the 2 by 2 block of zoom-14 tiles x 8942-8943, y 4792-4793 by Västerås,
 * by hand from the slippy-map formulas: longitude x / 2^14 * 360 - 180 and latitude
 * atan(sinh(pi (1 - 2 y / 2^14))). It is exactly one zoom-13 tile (4471/2396).
 */
const BLOCK = {
  west: "16.4794921875",
  south: "59.60109549032134",
  east: "16.5234375",
  north: "59.62332522313024",
};
/** Its tiles at zooms 14-16: 4 + 16 + 64. */
const BLOCK_TILES = [14, 15, 16].flatMap((z) => {
  const scale = 2 ** (z - 14);
  const tiles: string[] = [];
  for (let x = 8942 * scale; x < 8944 * scale; x += 1) {
    for (let y = 4792 * scale; y < 4794 * scale; y += 1) tiles.push(`${z}/${x}/${y}`);
  }
  return tiles;
});

const hex = (colour: string): [number, number, number] => [
  Number.parseInt(colour.slice(1, 3), 16),
  Number.parseInt(colour.slice(3, 5), 16),
  Number.parseInt(colour.slice(5, 7), 16),
];
/** The map's own background (src/map/map-view.ts, lykta-background), by day and night. */
const DAY_BACKGROUND = hex("#eef1ec");
const NIGHT_BACKGROUND = hex("#141a22");

async function mapIdle(page: Page) {
  await expect(page.getByTestId("map")).toHaveAttribute("data-basemap", "rendered");
  await page.evaluate(
    () =>
      new Promise((resolve) =>
        requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 500))),
      ),
  );
}

/** Pixels of the tile colours and of a background in a region of the map. */
async function regionColours(
  page: Page,
  region: { x: number; y: number; width: number; height: number },
  background: [number, number, number],
) {
  const png = await page.screenshot({ clip: region });
  const counts = await countColours(page, png, [...TILE_COLOURS, background]);
  const total = region.width * region.height;
  const tiles = counts.slice(0, 4).reduce((sum, count) => sum + count, 0);
  return { tiles: tiles / total, background: counts[4]! / total };
}

/** Add the test server's WMTS service through Settings, from its GetCapabilities address. */
async function addWmtsSource(page: Page, server: TileServer) {
  await page.goto("./#/settings");
  await page.getByRole("button", { name: "Lägg till kartkälla" }).click();
  await page.getByLabel("WMTS (GetCapabilities-adress eller tile-mall)").check();
  // A tile template in SWEREF 99 TM is refused with the reason.
  await page
    .getByLabel("Adress", { exact: true })
    .fill(`${server.base}/wmts/testkarta/default/3006/{TileMatrix}/{TileRow}/{TileCol}.png`);
  await page.getByLabel("Namn", { exact: true }).fill("Sweref");
  await page.getByRole("button", { name: "Lägg till", exact: true }).click();
  await expect(page.locator(".field-error[role=alert]")).toContainText(
    "SWEREF 99 TM (EPSG:3006) går inte att visa",
  );
  // The capabilities: the layer offered in 3857 is chosen, the 3006-only one refused.
  await page
    .getByLabel("Adress", { exact: true })
    .fill(`${server.base}/wmts?request=GetCapabilities`);
  await page.getByLabel("Namn", { exact: true }).fill("");
  await page.getByRole("button", { name: "Hämta tjänstens lager" }).click();
  await expect(page.getByLabel("Lager")).toContainText("Testkarta (3857, zoomnivå 0–18)");
  await expect(page.getByText("Lagret Sweref-karta kan inte visas")).toBeVisible();
  await expect(page.getByLabel("Namn", { exact: true })).toHaveValue("Testkarta");
  await expect(page.getByLabel("Upphovsrätt (visas på kartan)")).toHaveValue("© Testkommunen");
  await page.getByLabel(/Källans villkor tillåter att kartrutor sparas/).check();
  await page.getByRole("button", { name: "Lägg till", exact: true }).click();
  await expect(
    page.getByText("Kartkällan Testkarta är tillagd och vald som bakgrundskarta."),
  ).toBeVisible();
}

/** The tiles saved areas hold ("z/x/y"), from the basemaps' database. */
function storedAreaTiles(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open("lykta-basemaps");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction("areaTiles").objectStore("areaTiles").getAll();
          request.onsuccess = () => {
            resolve(
              request.result.map(
                (entry: { z: number; x: number; y: number }) => `${entry.z}/${entry.x}/${entry.y}`,
              ),
            );
            open.result.close();
          };
        };
      }),
  );
}

async function markBlock(page: Page, minZoom: string, maxZoom: string) {
  await page.getByLabel("Rektangel (rita eller skriv in)").check();
  await page.getByLabel("Väst (longitud)").fill(BLOCK.west);
  await page.getByLabel("Syd (latitud)").fill(BLOCK.south);
  await page.getByLabel("Öst (longitud)").fill(BLOCK.east);
  await page.getByLabel("Nord (latitud)").fill(BLOCK.north);
  await page.getByLabel("Från zoomnivå").selectOption(minZoom);
  await page.getByLabel("Till zoomnivå").selectOption(maxZoom);
}

test("an area of an online source is saved with progress, cancel and resume, and drawn offline, only there", async ({
  page,
  context,
}) => {
  const errors = collectConsoleErrors(page);
  await mkdir(".cache/screenshots", { recursive: true });
  const server = await startTileServer();
  try {
    await createProjectAndWalk(page, "Kvällsvandring Vallby");
    const walkUrl = page.url();
    await installedForOffline(page);
    // Day until the night screenshots, whatever time the test runs.
    await setNight(page, false);
    await addWmtsSource(page, server);

    await page.getByRole("link", { name: "Spara ett område för offline" }).click();
    await expect(page.getByRole("heading", { name: "Spara kartområde för offline" })).toBeVisible();
    // OpenStreetMap cannot be chosen, and says why.
    await expect(page.getByRole("radio", { name: "OpenStreetMap (kräver nät)" })).toBeDisabled();
    await expect(page.getByText(/OSM:s användningsvillkor förbjuder nedladdning/)).toBeVisible();
    await expect(page.getByRole("radio", { name: "Testkarta" })).toBeChecked();
    await markBlock(page, "14", "16");
    // 84 tiles (above); nothing of the source stored yet: the assumed 20,000 B a tile.
    await expect(page.getByTestId("area-estimate")).toHaveText(
      "84 kartrutor, uppskattningsvis 1,6 MB (antaget 19,5 KB per kartruta).",
    );
    await page.getByLabel("Namn på området").fill("Vallby centrum");
    await page.screenshot({
      path: ".cache/screenshots/basemap-area-screen-day.png",
      fullPage: true,
    });

    // The server answers 10 of the block's tiles, then holds the rest (the map beside the
    // form asks for tiles of its own, far from the block): cancel while they are on their way.
    server.holdAfter(10, (tile) => BLOCK_TILES.includes(tile));
    await page.getByRole("button", { name: "Spara området (84 kartrutor)" }).click();
    const status = page.getByTestId("saved-area-status");
    await expect(status).toContainText("Laddar ned: 10 av 84 kartrutor · ");
    await expect(
      page.getByRole("progressbar", { name: "Nedladdning av Vallby centrum" }),
    ).toHaveAttribute("value", "10");
    await page.getByRole("button", { name: "Avbryt nedladdningen" }).click();
    await expect(status).toHaveText(
      "Pausad: 10 av 84 kartrutor sparade. Tryck Fortsätt för att hämta resten.",
    );
    const storedBeforeResume = await storedAreaTiles(page);
    expect(storedBeforeResume).toHaveLength(10);
    expect(storedBeforeResume.every((tile) => BLOCK_TILES.includes(tile))).toBe(true);
    server.release();

    // Resume: the 10 stored tiles are not asked for again (the map reads them from the
    // device too), and in the end every tile of the block is stored.
    const requestsBefore = server.requests.length;
    await page.getByRole("button", { name: "Fortsätt" }).click();
    await expect(status).toContainText("Klart: 84 kartrutor", { timeout: 60_000 });
    const resumed = server.requests.slice(requestsBefore);
    expect(resumed.filter((tile) => storedBeforeResume.includes(tile))).toEqual([]);
    expect((await storedAreaTiles(page)).sort()).toEqual([...BLOCK_TILES].sort());
    const rate = await page.evaluate(() => {
      const entries = performance.getEntriesByName("lykta:area-download") as PerformanceMeasure[];
      const last = entries.at(-1)!;
      const detail = last.detail as { tiles: number; bytes: number };
      return { durationMs: last.duration, ...detail };
    });
    const tilesPerSecond = rate.tiles / (rate.durationMs / 1000);
    const kilobytesPerSecond = rate.bytes / 1024 / (rate.durationMs / 1000);
    console.log(
      `download from the local tile server: ${rate.tiles} tiles, ${(rate.bytes / 1024).toFixed(0)} KB in ${rate.durationMs.toFixed(0)} ms: ${tilesPerSecond.toFixed(1)} tiles/s, ${kilobytesPerSecond.toFixed(0)} KB/s`,
    );
    test
      .info()
      .annotations.push(
        { type: "tiles-per-second", description: tilesPerSecond.toFixed(1) },
        { type: "kilobytes-per-second", description: kilobytesPerSecond.toFixed(0) },
      );
    // The saved area on the map beside the form, from the device, by day and by night.
    await page.getByRole("button", { name: "Visa området på kartan" }).click();
    await page.evaluate(() => window.scrollTo(0, 0));
    await expect(page.getByTestId("area-map")).toHaveAttribute("data-basemap", "rendered");
    await page.screenshot({ path: ".cache/screenshots/basemap-area-done-day.png", fullPage: true });
    await setNight(page, true);
    await page.screenshot({
      path: ".cache/screenshots/basemap-area-done-night.png",
      fullPage: true,
    });
    await setNight(page, false);

    // Listed in Settings with its tile count and size, and counted in the storage card.
    await page.goto("./#/settings");
    const list = page.getByRole("list", { name: "Sparade kartområden för offline" });
    await expect(list.getByText("Vallby centrum")).toBeVisible();
    await expect(
      list.getByText(/^84 kartrutor · [\d,]+ (KB|MB) · zoomnivå 14–16 · Testkarta$/),
    ).toBeVisible();
    await expect(page.getByTestId("storage-saved-areas")).toContainText(
      "Varav sparade kartområden",
    );
    await page.screenshot({ path: ".cache/screenshots/basemap-settings-day.png", fullPage: true });
    await setNight(page, true);
    await page.screenshot({
      path: ".cache/screenshots/basemap-settings-night.png",
      fullPage: true,
    });
    await setNight(page, false);
    await list.getByRole("button", { name: "Visa på kartan" }).click();

    // No server, no network: the map draws the saved tiles from the device.
    await server.close();
    await context.setOffline(true);
    await page.goto(walkUrl);
    await expect(page.getByTestId("map")).toHaveAttribute("data-ready", "true");
    await setNight(page, false);
    await mapIdle(page);
    await expect(page.locator(".maplibregl-ctrl-attrib")).toContainText("© Testkommunen");
    const box = (await page.getByTestId("map").boundingBox())!;
    await page.screenshot({ path: ".cache/screenshots/basemap-area-offline-day.png" });
    // The map opens on the block's centre at zoom 14: the block is the 512 px square in the
    // middle. Inside it the saved tiles; left and right of it nothing was saved.
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    const inside = { x: cx - 200, y: cy - 200, width: 400, height: 400 };
    const band = { y: cy - 150, height: 300 };
    const left = { x: box.x + 10, width: box.width / 2 - 256 - 40, ...band };
    const right = { x: cx + 256 + 30, width: box.width / 2 - 256 - 100, ...band };
    // Drawn once the tiles are read from the device (a frame or more after the first).
    await expect
      .poll(async () => (await regionColours(page, inside, DAY_BACKGROUND)).tiles)
      .toBeGreaterThan(0.9);
    const day = {
      inside: await regionColours(page, inside, DAY_BACKGROUND),
      left: await regionColours(page, left, DAY_BACKGROUND),
      right: await regionColours(page, right, DAY_BACKGROUND),
    };
    console.log(`offline by day (share of pixels): ${JSON.stringify(day)}`);
    expect(day.inside.tiles).toBeGreaterThan(0.9);
    expect(day.left.background).toBeGreaterThan(0.9);
    expect(day.right.background).toBeGreaterThan(0.9);
    expect(day.left.tiles + day.right.tiles).toBeLessThan(0.01);

    // At night the saved raster tiles are dimmed too.
    await setNight(page, true);
    await mapIdle(page);
    // The dimmed paint reaches the screen a frame or more after the switch.
    await expect
      .poll(async () => (await regionColours(page, inside, NIGHT_BACKGROUND)).tiles)
      .toBeLessThan(0.02);
    await page.screenshot({ path: ".cache/screenshots/basemap-area-offline-night.png" });
    const night = {
      inside: await regionColours(page, inside, NIGHT_BACKGROUND),
      left: await regionColours(page, left, NIGHT_BACKGROUND),
    };
    console.log(`offline by night (share of pixels): ${JSON.stringify(night)}`);
    expect(night.inside.tiles).toBeLessThan(0.02);
    expect(night.inside.background).toBeLessThan(0.1);
    expect(night.left.background).toBeGreaterThan(0.9);
    await context.setOffline(false);
    expect(errors).toEqual([]);
  } finally {
    await server.close().catch(() => undefined);
  }
});

test("a full disk mid-download stops cleanly, says so, and leaves walks and earlier areas intact", async ({
  page,
  context,
}) => {
  const errors = collectConsoleErrors(page);
  const server = await startTileServer();
  try {
    await grantGps(context);
    await createProjectAndWalk(page, "Kvällsvandring Vallby");
    const walkUrl = page.url();
    await addHere(page, "Trasig belysning");
    // An own XYZ source whose terms allow offline use.
    await page.goto("./#/settings");
    await page.getByRole("button", { name: "Lägg till kartkälla" }).click();
    await page.getByLabel("Adress", { exact: true }).fill(`${server.base}/tiles/{z}/{x}/{y}.png`);
    await page.getByLabel("Namn", { exact: true }).fill("Kommunkartan");
    await page.getByLabel("Upphovsrätt (visas på kartan)").fill("© Testkommunen");
    await page.getByLabel(/Källans villkor tillåter att kartrutor sparas/).check();
    await page.getByRole("button", { name: "Lägg till", exact: true }).click();

    // An earlier area: the block at zoom 14 only, 4 tiles.
    await page.goto("./#/offline-area");
    await markBlock(page, "14", "14");
    await page.getByLabel("Namn på området").fill("Först");
    await page.getByRole("button", { name: "Spara området (4 kartrutor)" }).click();
    await expect(page.getByTestId("saved-area-status")).toContainText("Klart: 4 kartrutor");

    // From now on the device has room for 5 more tiles.
    await page.evaluate(() => {
      const realPut = IDBObjectStore.prototype.put;
      let puts = 0;
      IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args) {
        if (this.name === "tiles" && ++puts > 5) {
          throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
        }
        return realPut.apply(this, args as Parameters<IDBObjectStore["put"]>);
      };
    });
    await page.goto("./#/offline-area");
    await markBlock(page, "15", "16");
    await page.getByLabel("Namn på området").fill("Sedan");
    // 16 + 64 tiles; 4 of the source's tiles are stored, so the estimate uses their size.
    await expect(page.getByTestId("area-estimate")).toContainText("80 kartrutor");
    await expect(page.getByTestId("area-estimate")).toContainText("som de som redan är sparade");
    await page.getByRole("button", { name: "Spara området (80 kartrutor)" }).click();
    const alert = page.getByRole("alert").filter({ hasText: "Lagringen på enheten är full" });
    await expect(alert).toHaveText(
      "Lagringen på enheten är full. Nedladdningen stoppades efter 5 av 80 kartrutor. Det som hann sparas finns kvar och visas på kartan, och vandringarnas data påverkas inte. Frigör utrymme, t.ex. genom att ta bort ett sparat område eller en kartfil, och tryck Fortsätt.",
    );
    await page.screenshot({
      path: ".cache/screenshots/basemap-area-quota-day.png",
      fullPage: true,
    });

    // The earlier area, the tiles saved before the disk was full, and the walk are all there.
    await page.goto("./#/settings");
    const list = page.getByRole("list", { name: "Sparade kartområden för offline" });
    const rows = list.getByTestId("saved-area");
    await expect(rows.filter({ hasText: "Först" })).toContainText("Klart: 4 kartrutor");
    await expect(rows.filter({ hasText: "Sedan" })).toContainText("5 kartrutor · ");
    const tiles = await page.evaluate(
      () =>
        new Promise<number>((resolve, reject) => {
          const open = indexedDB.open("lykta-basemaps");
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const count = open.result.transaction("tiles").objectStore("tiles").count();
            count.onsuccess = () => {
              resolve(count.result);
              open.result.close();
            };
          };
        }),
    );
    expect(tiles).toBe(4 + 5);
    const observations = (await storedRecords(page, "observation")).filter((r) => !r.deleted);
    expect(observations).toHaveLength(1);
    await page.goto(walkUrl);
    await expect(page.getByTestId("map")).toHaveAttribute("data-ready", "true");
    await page.getByRole("link", { name: "Lista" }).click();
    await expect(page.getByText("Trasig belysning").first()).toBeVisible();
    expect(errors).toEqual([]);
  } finally {
    await server.close();
  }
});
