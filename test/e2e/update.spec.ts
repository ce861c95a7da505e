import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, resolve } from "node:path";
import { expect, test } from "@playwright/test";
import { collectConsoleErrors } from "./helpers";

const DIST = resolve(process.env.LYKTA_DIST ?? "dist");
const TYPES: Record<string, string> = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".map": "application/json",
};

/** A static server for the built app whose service worker can be "released" anew. */
function serveDist(): { server: Server; release(): void; url(): string } {
  let version = 1;
  const server = createServer(async (request, response) => {
    const path = new URL(request.url ?? "/", "http://x").pathname;
    const file = normalize(join(DIST, path === "/" ? "index.html" : path));
    if (!file.startsWith(DIST)) {
      response.writeHead(403).end();
      return;
    }
    try {
      let body: Buffer | string = await readFile(file);
      // A new release changes the service worker script; browsers compare it byte by byte.
      if (path === "/sw.js" && version > 1) body = `${body}\n// release ${version}\n`;
      response.writeHead(200, {
        "content-type": TYPES[extname(file)] ?? "application/octet-stream",
        "cache-control": "no-cache",
      });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  server.listen(0, "127.0.0.1");
  return {
    server,
    release: () => {
      version += 1;
    },
    url: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
  };
}

test("a new version waits for the user and never reloads the page by itself", async ({ page }) => {
  const errors = collectConsoleErrors(page);
  const site = serveDist();
  await new Promise((ready) => site.server.once("listening", ready));
  try {
    await page.goto(site.url());
    await page.getByRole("button", { name: "Kom igång" }).click();
    await page.getByLabel("Projektets namn").fill("Uppdateringstest");
    await page.getByRole("button", { name: "Skapa projekt" }).click();
    await page.getByLabel("Namn på vandringen").fill("Pågående vandring");
    await page.getByRole("button", { name: "Skapa vandring" }).click();
    await expect(page.getByTestId("map")).toHaveAttribute("data-ready", "true");
    await page.evaluate(() => navigator.serviceWorker.ready);
    // The first visit is not controlled (no clients.claim); the next load is.
    await page.reload();
    await expect(page.getByTestId("map")).toHaveAttribute("data-ready", "true");
    await expect
      .poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null))
      .toBe(true);

    // Something typed in the form, mid-walk, that a reload would lose.
    await page.getByRole("button", { name: "Lägg till här" }).tap();
    await page.getByLabel("Anteckning", { exact: true }).fill("Halvskriven anteckning");
    await page.evaluate(() => {
      (window as unknown as { notReloaded: boolean }).notReloaded = true;
    });

    site.release();
    await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      await registration?.update();
    });
    await expect(page.getByText(/En ny version av Lykta finns/)).toBeVisible();
    // Give a reload every chance to happen; it must not.
    await page.waitForTimeout(1500);
    expect(
      await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded),
    ).toBe(true);
    await expect(page.getByLabel("Anteckning", { exact: true })).toHaveValue(
      "Halvskriven anteckning",
    );

    // The user chooses when: after the walk, tap Update now.
    await page.getByRole("button", { name: "Avbryt" }).tap();
    await Promise.all([
      page.waitForEvent("load"),
      page.getByRole("button", { name: "Uppdatera nu" }).click(),
    ]);
    expect(
      await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded),
    ).toBeUndefined();
    await expect(page.getByRole("heading", { name: "Pågående vandring" })).toBeVisible();
    expect(errors).toEqual([]);
  } finally {
    site.server.close();
  }
});
