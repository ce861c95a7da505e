import { readFile } from "node:fs/promises";
/** Shared steps for end-to-end tests: a tablet with touch, a walk, console error capture. */
import { type BrowserContext, expect, type Page } from "@playwright/test";

/** Västerås, Vallby: a plausible place for a walk. */
export const WALK_PLACE = { latitude: 59.6262, longitude: 16.5146 };

export function collectConsoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  return errors;
}

export async function grantGps(context: BrowserContext, accuracy = 6) {
  await context.grantPermissions(["geolocation"]);
  await context.setGeolocation({ ...WALK_PLACE, accuracy });
}

/**
 * From a fresh start: dismiss onboarding, create a project and a walk; ends on the map.
 * `appUrl` is for browsers without the test's baseURL (one attached over CDP).
 */
export async function createProjectAndWalk(
  page: Page,
  walkName = "Kvällsvandring Vallby",
  appUrl = "./",
) {
  await page.goto(appUrl);
  await page.getByRole("button", { name: "Kom igång" }).click();
  await page.getByLabel("Projektets namn").fill("Västerås 2027");
  await page.getByRole("button", { name: "Skapa projekt" }).click();
  await expect(page.getByRole("heading", { name: "Västerås 2027" })).toBeVisible();
  await page.getByLabel("Namn på vandringen").fill(walkName);
  await page.getByLabel("Område", { exact: true }).fill("Vallby centrum");
  await page.getByRole("button", { name: "Skapa vandring" }).click();
  await expect(page.getByRole("heading", { name: walkName })).toBeVisible();
  await expect(page.getByTestId("map")).toHaveAttribute("data-ready", "true");
}

/** The three-tap flow: Add here, a category, Save. */
export async function addHere(page: Page, category: string) {
  await page.getByRole("button", { name: "Lägg till här" }).tap();
  await page.getByText(category, { exact: true }).tap();
  await page.getByRole("button", { name: "Spara", exact: true }).tap();
  await expect(page.getByRole("heading", { name: "Ny observation" })).toBeHidden();
}

/** A small real JPEG, drawn by the browser itself. */
export async function smallJpeg(page: Page): Promise<Buffer> {
  const base64 = await page.evaluate(async () => {
    const canvas = new OffscreenCanvas(640, 480);
    const context = canvas.getContext("2d")!;
    context.fillStyle = "#203040";
    context.fillRect(0, 0, 640, 480);
    context.fillStyle = "#f6c744";
    context.fillRect(200, 120, 240, 240);
    const blob = await canvas.convertToBlob({ type: "image/jpeg", quality: 0.9 });
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let binary = "";
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return btoa(binary);
  });
  return Buffer.from(base64, "base64");
}

export interface StoredRecord {
  id: string;
  kind: string;
  walkId?: string;
  deleted: boolean;
  fields: Record<string, unknown>;
}

/** Records as IndexedDB holds them (tombstones included): of one kind, or all. */
export async function storedRecords(page: Page, kind?: string): Promise<StoredRecord[]> {
  return page.evaluate(
    (wanted) =>
      new Promise<StoredRecord[]>((resolve, reject) => {
        const open = indexedDB.open("lykta");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction("records").objectStore("records").getAll();
          request.onsuccess = () => {
            resolve(
              request.result.filter(
                (record: StoredRecord) => wanted === null || record.kind === wanted,
              ),
            );
            open.result.close();
          };
        };
      }),
    kind ?? null,
  );
}

/** Open the form at my position, choose a category, attach a small photo, save. */
export async function addHereWithPhoto(page: Page, category: string, fileName: string) {
  await page.getByRole("button", { name: "Lägg till här" }).tap();
  await page.getByText(category, { exact: true }).tap();
  await page.getByTestId("photo-input").setInputFiles({
    name: fileName,
    mimeType: "image/jpeg",
    buffer: await smallJpeg(page),
  });
  await expect(page.getByRole("button", { name: "Visa foto 1 i full storlek" })).toBeVisible();
  await page.getByRole("button", { name: "Spara", exact: true }).tap();
  await expect(page.getByRole("heading", { name: "Ny observation" })).toBeHidden();
}

/** Night mode follows the sun unless set: set it, whatever time the test runs. */
export async function setNight(page: Page, on: boolean) {
  const toggle = page.getByRole("button", { name: /^Slå (på|av) nattläge$/ });
  if ((await toggle.getAttribute("aria-pressed")) !== String(on)) await toggle.click();
  await expect(toggle).toHaveAttribute("aria-pressed", String(on));
  await expect(page.locator("html")).toHaveClass(on ? /night/ : /^(?!.*night)/);
}

/** The service worker controls the page: everything the app loads later is precached. */
export async function installedForOffline(page: Page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  await expect
    .poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null))
    .toBe(true);
}

/** Pixels within ±40 (sum over R, G, B) of each colour in a PNG screenshot, in that order. */
export async function countColours(
  page: Page,
  png: Buffer,
  colours: readonly [number, number, number][],
): Promise<number[]> {
  return page.evaluate(
    async ({ data, colours }) => {
      const image = new Image();
      image.src = `data:image/png;base64,${data}`;
      await image.decode();
      const canvas = new OffscreenCanvas(image.width, image.height);
      const context = canvas.getContext("2d")!;
      context.drawImage(image, 0, 0);
      const pixels = context.getImageData(0, 0, image.width, image.height).data;
      const counts = colours.map(() => 0);
      for (let i = 0; i < pixels.length; i += 4) {
        colours.forEach(([r, g, b], k) => {
          const distance =
            Math.abs(pixels[i]! - r) + Math.abs(pixels[i + 1]! - g) + Math.abs(pixels[i + 2]! - b);
          if (distance < 40) counts[k]! += 1;
        });
      }
      return counts;
    },
    { data: png.toString("base64"), colours },
  );
}

/** Helsinki's centre from the shared data: 2,417 highway ways, 75 areas, 2,006 points. */
export const HELSINKI = new URL(
  "../../../shared/data/osm/helsinki_centre_highways_lamps.geojson",
  import.meta.url,
);

/** From a fresh start: a project with Helsinki's paths and 586 street lamps as layers. */
export async function projectWithHelsinki(page: Page, projectName: string) {
  await page.goto("./");
  await page.getByRole("button", { name: "Kom igång" }).click();
  await page.getByLabel("Projektets namn").fill(projectName);
  await page.getByRole("button", { name: "Skapa projekt" }).click();
  await page.getByTestId("layer-input").setInputFiles({
    name: "helsinki_centre_highways_lamps.geojson",
    mimeType: "application/geo+json",
    buffer: await readFile(HELSINKI),
  });
  await page.getByRole("button", { name: "Importera 4498 objekt" }).click();
  const layerList = page.getByRole("region", { name: "Underlag (lager)" });
  await expect(layerList.getByText(/Gatubelysning \(lampor\) · 586 objekt/)).toBeVisible();
}
