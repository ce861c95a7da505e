/**
 * Issue 8 end to end: two browser profiles as two tablets sync through a local `lykta serve`
 * (the embedded PGlite database). The planner's tablet connects its project with a join code
 * from the server and hands a team a code through the app (its QR code is on screen); the
 * team's tablet joins from the home screen and gets the project and its walk. The team goes
 * offline and records, the planner records meanwhile; the team comes back online and both
 * end with the same records, also as IndexedDB holds them.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, expect, type Page, test } from "@playwright/test";
import {
  ADMIN_TOKEN,
  api,
  buildServer,
  type RunningServer,
  SERVER_BUILD_DIR,
  startServer,
} from "../../src/server/test-harness";
import { seriousViolations, smallTargets } from "./axe-helpers";
import {
  addHere,
  collectConsoleErrors,
  createProjectAndWalk,
  grantGps,
  projectWithHelsinki,
  type StoredRecord,
  setNight,
  storedRecords,
} from "./helpers";

/** The built server, rebuilt when a source under src/ is newer than it. */
function serverProgram(): string {
  const program = join(SERVER_BUILD_DIR, "lykta.js");
  if (existsSync(program)) {
    const built = statSync(program).mtimeMs;
    const newest = ["src/server/app.ts", "src/server/store.ts", "src/domain/sync/protocol.ts"]
      .map((file) => statSync(file).mtimeMs)
      .reduce((a, b) => Math.max(a, b));
    if (newest <= built) return program;
  }
  return buildServer();
}

async function newTablet(browser: import("@playwright/test").Browser): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: { width: 1180, height: 820 },
    hasTouch: true,
    locale: "sv-SE",
    timezoneId: "Europe/Stockholm",
  });
  await grantGps(context);
  return context;
}

async function openProject(page: Page, name: RegExp = /Västerås 2027/) {
  await page.goto(`${page.url().replace(/#.*$/, "")}#/`);
  await page.getByRole("link", { name }).click();
  await expect(page.getByTestId("sync-card")).toBeVisible();
}

async function syncAndWait(page: Page) {
  const card = page.getByTestId("sync-card");
  await card.getByRole("button", { name: "Synka nu" }).click();
  await expect(card.getByTestId("sync-pending")).toHaveText("Allt är synkat", { timeout: 30_000 });
  await expect(card.getByTestId("sync-last")).not.toHaveText(/Synkar nu|Aldrig/);
  await expect(card.getByTestId("sync-error")).toHaveCount(0);
}

/** Live observations as IndexedDB holds them, by id, comparable across tablets. */
async function observationsById(page: Page): Promise<Map<string, StoredRecord>> {
  const records = await storedRecords(page, "observation");
  return new Map(records.filter((record) => !record.deleted).map((record) => [record.id, record]));
}

let server: RunningServer | undefined;
let dataDir: string | undefined;

test.afterEach(async () => {
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test("two tablets sync through a local server; one goes offline, records, comes back, and both converge", async ({
  browser,
}) => {
  test.setTimeout(240_000);
  dataDir = mkdtempSync(join(tmpdir(), "lykta-e2e-sync-"));
  server = await startServer({ program: serverProgram(), driver: "pglite", dataDir });

  // ---- the planner's tablet: a project with a walk, connected with the server's code ----
  const plannerContext = await newTablet(browser);
  const planner = await plannerContext.newPage();
  const plannerErrors = collectConsoleErrors(planner);
  await createProjectAndWalk(planner, "Kvällsvandring Vallby");
  await addHere(planner, "Trasig belysning");
  await openProject(planner);
  const projectId = decodeURIComponent(/#\/project\/([^/]+)/.exec(planner.url())![1]!);
  // The server's operator makes the project's space for the tablet's project id.
  const created = await api<{ plannerCode: { code: string } }>(
    server,
    "POST",
    "/api/v1/admin/projects",
    ADMIN_TOKEN,
    { name: "Västerås 2027", projectId },
  );
  expect(created.status).toBe(200);
  const card = planner.getByTestId("sync-card");
  await card.getByLabel("Serverns adress").fill(server.url);
  await card.getByLabel("Kod").fill(created.body.plannerCode.code.toLowerCase());
  await card.getByRole("button", { name: "Anslut" }).click();
  await expect(card).toContainText("som planerare");
  await syncAndWait(planner);

  // The planner invites a team to the walk: a code, and its QR code for the team to scan.
  await card.getByLabel("Behörighet").selectOption("team");
  await card.getByLabel("Vandring").selectOption({ label: "Kvällsvandring Vallby" });
  await card.getByRole("button", { name: "Skapa kod" }).click();
  const teamCode = (await card.getByTestId("invite-code").textContent())!.trim();
  expect(teamCode).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}$/);
  await expect(card.getByRole("img", { name: /QR-kod för att gå med/ })).toBeVisible();
  await expect(card.getByRole("table", { name: "Utdelade koder och behörigheter" })).toContainText(
    "vandringslag",
  );
  await setNight(planner, false);
  await card.screenshot({ path: ".cache/screenshots/sync-planner-day.png" });
  expect(await seriousViolations(planner, "sync card, planner, day")).toEqual([]);
  expect(await smallTargets(card)).toEqual([]);

  // ---- the team's tablet joins from the home screen and gets the project and its walk ----
  const teamContext = await newTablet(browser);
  const team = await teamContext.newPage();
  const teamErrors = collectConsoleErrors(team);
  await team.goto("./");
  await team.getByRole("button", { name: "Kom igång" }).click();
  const joinCard = team.getByRole("region", { name: "Gå med i ett projekt på en server" });
  await joinCard.getByLabel("Serverns adress").fill(server.url);
  await joinCard.getByLabel("Kod").fill(teamCode);
  await joinCard.getByRole("button", { name: "Anslut" }).click();
  await expect(team.getByRole("heading", { name: "Västerås 2027", level: 1 })).toBeVisible({
    timeout: 30_000,
  });
  await expect(team.getByTestId("sync-card")).toContainText("som vandringslag");
  await expect(team.getByRole("link", { name: /Kvällsvandring Vallby/ })).toContainText("1");

  // ---- the team goes offline and records; the planner records meanwhile ----
  // The app is installed (its service worker controls the page) before the network goes.
  await expect
    .poll(() => team.evaluate(() => navigator.serviceWorker.controller !== null), {
      timeout: 30_000,
    })
    .toBe(true);
  await teamContext.setOffline(true);
  await team.getByRole("link", { name: /Kvällsvandring Vallby/ }).click();
  await addHere(team, "Gömställe");
  await openProject(team);
  await team.getByTestId("sync-card").getByRole("button", { name: "Synka nu" }).click();
  await expect(team.getByTestId("sync-error")).toContainText("Servern svarar inte");
  await expect(team.getByTestId("sync-pending")).toContainText("1 ändringar");

  await planner.getByRole("link", { name: /Kvällsvandring Vallby/ }).click();
  await addHere(planner, "Klotter");
  await openProject(planner);
  await syncAndWait(planner);

  // ---- back online: the team's record goes up, the planner's comes down ----
  await teamContext.setOffline(false);
  await syncAndWait(team);
  await syncAndWait(planner);

  const onPlanner = await observationsById(planner);
  const onTeam = await observationsById(team);
  expect(onPlanner.size).toBe(3);
  expect([...onTeam.keys()].sort()).toEqual([...onPlanner.keys()].sort());
  // The same content; clocks are packed per device on disk (src/storage/codec.ts), so they are
  // compared where they are plain: the sync-store and server tests.
  const content = (record: StoredRecord | undefined) =>
    record && {
      kind: record.kind,
      walkId: record.walkId,
      deleted: record.deleted,
      fields: record.fields,
    };
  for (const [id, record] of onPlanner) expect(content(onTeam.get(id))).toEqual(content(record));
  const categories = [...onTeam.values()].map((record) => record.fields.categoryId).sort();
  expect(categories).toEqual([
    "lighting.broken",
    "maintenance.graffiti",
    "sightlines.hiding_place",
  ]);
  await expect(team.getByRole("link", { name: /Kvällsvandring Vallby/ })).toContainText("3");
  await setNight(team, true);
  await team
    .getByTestId("sync-card")
    .screenshot({ path: ".cache/screenshots/sync-team-night.png" });

  // The server holds the same three, as its OGC API shows a GIS.
  const items = await api<{ numberMatched: number }>(
    server,
    "GET",
    `/ogc/projects/${projectId}/collections/observations/items`,
    await plannerToken(planner),
  );
  expect(items.status).toBe(200);
  expect(items.body.numberMatched).toBe(3);

  expect(
    plannerErrors.filter((text) => !/Failed to fetch|ERR_INTERNET_DISCONNECTED/.test(text)),
  ).toEqual([]);
  expect(
    teamErrors.filter((text) => !/Failed to fetch|ERR_INTERNET_DISCONNECTED/.test(text)),
  ).toEqual([]);
  await plannerContext.close();
  await teamContext.close();
});

test("a planner publishes the lighting analysis; the server's OGC API serves it to a GIS, with a working bbox", async ({
  browser,
}) => {
  test.setTimeout(240_000);
  dataDir = mkdtempSync(join(tmpdir(), "lykta-e2e-publish-"));
  server = await startServer({ program: serverProgram(), driver: "pglite", dataDir });
  const context = await newTablet(browser);
  const page = await context.newPage();
  const errors = collectConsoleErrors(page);
  // A blob the server does not hold yet answers 404 to HEAD (docs/sync.md), which Chromium
  // logs as a console error; any other 404 is a real one.
  const notFound: string[] = [];
  page.on("response", (response) => {
    if (response.status() === 404)
      notFound.push(`${response.request().method()} ${response.url()}`);
  });
  await projectWithHelsinki(page, "Helsingfors belysning");
  const projectId = decodeURIComponent(/#\/project\/([^/]+)/.exec(page.url())![1]!);
  const created = await api<{ plannerCode: { code: string } }>(
    server,
    "POST",
    "/api/v1/admin/projects",
    ADMIN_TOKEN,
    { name: "Helsingfors belysning", projectId },
  );
  const card = page.getByTestId("sync-card");
  await card.getByLabel("Serverns adress").fill(server.url);
  await card.getByLabel("Kod").fill(created.body.plannerCode.code);
  await card.getByRole("button", { name: "Anslut" }).click();
  await syncAndWait(page);

  await page.getByRole("link", { name: "Analysera belysningen" }).click();
  await page.getByLabel("Räckvidd per lampa (meter)").fill("20");
  await page.getByRole("button", { name: "Analysera", exact: true }).click();
  await expect(page.getByTestId("lighting-summary")).toContainText("586 lampor");
  await page.getByTestId("publish-lighting").click();
  await expect(page.getByText(/objekt i belysningsanalysen är publicerade/)).toBeVisible();
  const published = Number(
    /([\d\s\u00a0]+) objekt i belysningsanalysen/
      .exec(
        (await page.getByText(/objekt i belysningsanalysen är publicerade/).textContent())!,
      )![1]!
      .replace(/[\s\u00a0]/g, ""),
  );
  expect(published).toBeGreaterThan(1000);
  await openProject(page, /Helsingfors belysning/);
  await syncAndWait(page);

  // A GIS reads it with a read token: every piece, and a bbox that holds a part of them.
  const read = await api<{ code: string }>(
    server,
    "POST",
    `/api/v1/projects/${projectId}/join-codes`,
    await plannerToken(page),
    { role: "read", expiresInHours: 1 },
  );
  const gis = await api<{ token: string }>(server, "POST", "/api/v1/join", undefined, {
    code: read.body.code,
    deviceId: "qgis",
  });
  const items = (query: string) =>
    api<{ numberMatched: number; features: { properties: Record<string, unknown> }[] }>(
      server!,
      "GET",
      `/ogc/projects/${projectId}/collections/lighting/items?${query}`,
      gis.body.token,
    );
  const all = await items("limit=5");
  expect(all.status).toBe(200);
  expect(all.body.numberMatched).toBe(published);
  expect(all.body.features[0]!.properties).toHaveProperty("state");
  // Helsinki's centre around the railway station: some pieces, not all.
  const part = await items("limit=1&bbox=24.935,60.166,24.945,60.172");
  expect(part.body.numberMatched).toBeGreaterThan(0);
  expect(part.body.numberMatched).toBeLessThan(published);
  expect(notFound.filter((line) => !/^HEAD .*\/blobs\/[0-9a-f]{64}$/.test(line))).toEqual([]);
  expect(errors.filter((text) => !text.includes("status of 404"))).toEqual([]);
  await context.close();
});

/** The planner's token, as the app keeps it (meta `syncConnections`). */
async function plannerToken(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const open = indexedDB.open("lykta");
    const db = await new Promise<IDBDatabase>((resolve) => {
      open.onsuccess = () => resolve(open.result);
    });
    const request = db.transaction("meta").objectStore("meta").get("syncConnections");
    return new Promise<string>((resolve) => {
      request.onsuccess = () => resolve(request.result[0].token);
    });
  });
}
