/**
 * Issue 4 end to end: two tablets (two browser profiles) walk one project offline, one
 * tablet's walk is merged into the other's, and the place both teams marked becomes one
 * site with two reports.
 */
import { readFile } from "node:fs/promises";
import { type BrowserContext, expect, type Page, test } from "@playwright/test";
import {
  collectConsoleErrors,
  createProjectAndWalk,
  grantGps,
  installedForOffline,
  setNight,
  WALK_PLACE,
} from "./helpers";

/** A small JPEG of one colour: each team's photo is different bytes. */
async function jpegOf(page: Page, colour: string): Promise<Buffer> {
  const base64 = await page.evaluate(async (fill) => {
    const canvas = new OffscreenCanvas(480, 360);
    const context = canvas.getContext("2d")!;
    context.fillStyle = fill;
    context.fillRect(0, 0, 480, 360);
    context.fillStyle = "#ffffff";
    context.fillRect(100, 100, 80, 80);
    const blob = await canvas.convertToBlob({ type: "image/jpeg", quality: 0.9 });
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let binary = "";
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return btoa(binary);
  }, colour);
  return Buffer.from(base64, "base64");
}

async function reportBrokenLampWithPhoto(page: Page, colour: string, note: string) {
  await page.getByRole("button", { name: "Lägg till här" }).tap();
  await page.getByText("Trasig belysning", { exact: true }).tap();
  await page.getByTestId("photo-input").setInputFiles({
    name: "lampa.jpg",
    mimeType: "image/jpeg",
    buffer: await jpegOf(page, colour),
  });
  await expect(page.getByRole("button", { name: "Visa foto 1 i full storlek" })).toBeVisible();
  await page.getByLabel("Anteckning").fill(note);
  await page.getByRole("button", { name: "Spara", exact: true }).tap();
  await expect(page.getByRole("heading", { name: "Ny observation" })).toBeHidden();
}

/** Open a walk's list from its project, open its only observation and change the note. */
async function editNote(page: Page, walkName: string, note: string) {
  await page.goto(`${page.url().replace(/#.*$/, "")}#/`);
  await page.getByRole("link", { name: /Västerås 2027/ }).click();
  await page.getByRole("link", { name: new RegExp(walkName) }).click();
  await page.getByRole("link", { name: "Lista" }).click();
  await page.getByRole("button", { name: /Trasig belysning/ }).click();
  await page.getByLabel("Anteckning").fill(note);
  await page.getByRole("button", { name: "Spara", exact: true }).tap();
  await expect(page.getByRole("heading", { name: "Ändra observation" })).toBeHidden();
}

/**
 * Team 1 saves its walk as a backup file, and the file reaches the second tablet (cable,
 * AirDrop, USB stick), which loads it on the project screen.
 */
async function sendWalk(from: Page, to: Page, fileName: string) {
  await from.getByRole("link", { name: "Om vandringen" }).click();
  const bytes = await download(from, () =>
    from
      .getByRole("region", { name: "Säkerhetskopia" })
      .getByRole("button", { name: "Spara säkerhetskopia" })
      .click(),
  );
  await to.goto(`${to.url().replace(/#.*$/, "")}#/`);
  await to.getByRole("link", { name: /Västerås 2027/ }).click();
  await to
    .getByTestId("project-merge-input")
    .setInputFiles([{ name: fileName, mimeType: "application/octet-stream", buffer: bytes }]);
}

async function download(page: Page, click: () => Promise<void>): Promise<Buffer> {
  const [file] = await Promise.all([page.waitForEvent("download"), click()]);
  return readFile((await file.path())!);
}

async function newTablet(browser: import("@playwright/test").Browser): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: { width: 1180, height: 820 },
    hasTouch: true,
    locale: "sv-SE",
    timezoneId: "Europe/Stockholm",
  });
  await context.grantPermissions(["geolocation"]);
  // Team 2 stands about 8 m east of team 1, at the same lamp post.
  await context.setGeolocation({
    latitude: WALK_PLACE.latitude,
    longitude: WALK_PLACE.longitude + 0.00014,
    accuracy: 5,
  });
  return context;
}

test("two tablets walk offline; one merges the other's walk and both reports of one lamp form one site", async ({
  page,
  context,
  browser,
  baseURL,
}) => {
  const errorsA = collectConsoleErrors(page);
  await grantGps(context);
  await createProjectAndWalk(page, "Grupp 1");
  const appUrl = page.url().replace(/#.*$/, "");

  // The coordinator hands the project to the second tablet before the walk.
  await page.goto(`${appUrl}#/`);
  await page.getByRole("link", { name: /Västerås 2027/ }).click();
  const projectFile = await download(page, () =>
    page.getByRole("button", { name: "Spara projektfil (.lykta)" }).click(),
  );
  const tablet = await newTablet(browser);
  const second = await tablet.newPage();
  const errorsB = collectConsoleErrors(second);
  await second.goto(baseURL!);
  await second.getByRole("button", { name: "Kom igång" }).click();
  await second.getByTestId("home-backup-input").setInputFiles({
    name: "Västerås 2027.lykta",
    mimeType: "application/octet-stream",
    buffer: projectFile,
  });
  await expect(second.getByText(/Inläst: \d+ nya, 0 uppdaterade/)).toBeVisible();
  await second.getByRole("link", { name: /Västerås 2027/ }).click();
  await second.getByLabel("Namn på vandringen").fill("Grupp 2");
  await second.getByRole("button", { name: "Skapa vandring" }).click();
  await expect(second.getByTestId("map")).toHaveAttribute("data-ready", "true");

  // Out on the walk: no network on either tablet (the app installed itself on both).
  await page.getByRole("link", { name: /Grupp 1/ }).click();
  for (const tablet of [page, second]) {
    await installedForOffline(tablet);
    await expect(tablet.getByTestId("map")).toHaveAttribute("data-ready", "true");
  }
  await context.setOffline(true);
  await tablet.setOffline(true);
  await reportBrokenLampWithPhoto(page, "#203040", "Lampan vid tunneln är släckt");
  await reportBrokenLampWithPhoto(second, "#604020", "Mörkt vid stolpen");

  // Team 1 saves its walk; the file reaches the second tablet (cable, AirDrop, USB stick).
  await sendWalk(page, second, "Grupp 1.lykta");
  // Project, walk, observation and photo: the observation and its photo are new here, the
  // project unchanged, the walk record updated (its backup time).
  await expect(second.getByTestId("merge-summary")).toHaveText(
    "Inläst: 2 nya, 1 uppdaterade, 1 oförändrade, 0 raderade, 0 konflikter sparade.",
  );

  // Both observations and both photos are on the second tablet.
  await expect(second.getByRole("link", { name: /Grupp 1.*1 observationer/ })).toBeVisible();
  await expect(second.getByRole("link", { name: /Grupp 2.*1 observationer/ })).toBeVisible();
  const photos = await second.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open("lykta");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction("photoBlobs").objectStore("photoBlobs").count();
          request.onsuccess = () => {
            resolve(request.result);
            open.result.close();
          };
        };
      }),
  );
  expect(photos).toBe(2);
  await second.getByRole("link", { name: /Grupp 1/ }).click();
  await second.getByRole("link", { name: "Lista" }).click();
  await second.getByRole("button", { name: /Trasig belysning.*Foton: 1/ }).click();
  await expect(second.getByRole("img", { name: "Foto 1 av observationen" }).first()).toBeVisible();

  // One site, two reports from two walks.
  await second.goto(`${appUrl}#/`);
  await second.getByRole("link", { name: /Västerås 2027/ }).click();
  await second.getByRole("link", { name: "Visa platser" }).click();
  await expect(second.getByTestId("sites-summary")).toHaveText(
    "1 platser från 2 rapporter. 1 platser har rapporterats mer än en gång.",
  );
  const site = second.locator(".site-row");
  await expect(site).toHaveCount(1);
  await expect(site).toContainText("2 rapporter · 2 vandringar");
  await expect(second.getByTestId("sites-map")).toHaveAttribute("data-ready", "true");

  // A planner splits the site: two sites of one report each, and the decision is stored.
  await site.getByRole("button", { name: "Visa rapporterna" }).click();
  await site.getByRole("checkbox", { name: /Lampan vid tunneln är släckt/ }).check();
  await site.getByRole("button", { name: "Flytta valda till en egen plats" }).click();
  await expect(second.getByTestId("sites-summary")).toHaveText(
    "2 platser från 2 rapporter. 0 platser har rapporterats mer än en gång.",
  );
  // ... and joins them again.
  for (const row of await second.locator(".site-row").all()) {
    await row.getByRole("checkbox", { name: "Välj" }).check();
  }
  await second.getByRole("button", { name: "Slå ihop valda platser" }).click();
  await expect(second.getByTestId("sites-summary")).toHaveText(
    "1 platser från 2 rapporter. 1 platser har rapporterats mer än en gång.",
  );
  // Pictures of the sites screen by night and by day, once the notices have faded.
  await expect(second.locator(".notice")).toHaveCount(0, { timeout: 10_000 });
  await setNight(second, true);
  await second.screenshot({ path: ".cache/screenshots/sites-night.png", fullPage: true });
  await setNight(second, false);
  await second.screenshot({ path: ".cache/screenshots/sites-day.png", fullPage: true });

  // Recording at the same lamp again: the form points to the earlier reports.
  await second.goto(`${appUrl}#/`);
  await second.getByRole("link", { name: /Västerås 2027/ }).click();
  await second.getByRole("link", { name: /Grupp 2/ }).click();
  await expect(second.getByTestId("map")).toHaveAttribute("data-ready", "true");
  await second.getByRole("button", { name: "Lägg till här" }).tap();
  await second.getByText("Trasig belysning", { exact: true }).tap();
  const nearby = second.getByTestId("nearby-reports");
  await expect(nearby.getByRole("heading")).toHaveText("Redan rapporterat i närheten (2)");
  await expect(nearby).toContainText("Grupp 1");
  await second.getByRole("button", { name: "Avbryt" }).tap();

  // Both teams change the note of one observation before the next exchange: one value wins
  // on both tablets, the other goes to the conflict log, and a person can choose it instead.
  await editNote(second, "Grupp 1", "Lampan byttes i går");
  await editNote(page, "Grupp 1", "Fortfarande släckt");
  await sendWalk(page, second, "Grupp 1 igen.lykta");
  await expect(second.getByTestId("merge-summary")).toContainText("1 konflikter sparade.");
  const log = second.getByTestId("conflicts");
  await expect(log.getByRole("heading", { level: 2 })).toHaveText("Konflikter (1)");
  await expect(second.locator(".notice")).toHaveCount(0, { timeout: 10_000 });
  await log.scrollIntoViewIfNeeded();
  await second.screenshot({ path: ".cache/screenshots/conflicts.png" });
  const lost = (await log.locator(".conflict-lost").textContent())!;
  expect(["Lampan byttes i går", "Fortfarande släckt"]).toContain(lost);
  await log.getByRole("button", { name: "Använd detta värde" }).click();
  await expect(log.getByRole("heading", { level: 2 })).toHaveText("Konflikter (0)");
  await second.getByRole("link", { name: /Grupp 1/ }).click();
  await second.getByRole("link", { name: "Lista" }).click();
  await expect(second.locator(".observation-list")).toContainText(lost);

  await tablet.close();
  expect(errorsA).toEqual([]);
  expect(errorsB).toEqual([]);
});
