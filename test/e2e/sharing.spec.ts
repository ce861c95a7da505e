import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import {
  addHere,
  addHereWithPhoto,
  collectConsoleErrors,
  createProjectAndWalk,
  grantGps,
} from "./helpers";

test("two tabs of the app stay consistent", async ({ page, context }) => {
  await grantGps(context);
  await createProjectAndWalk(page);
  const other = await context.newPage();
  await other.goto(`${page.url()}/list`);
  await expect(other.getByText("Inga observationer ännu.", { exact: false })).toBeVisible();
  await addHere(page, "Gömställe");
  await expect(other.getByRole("button", { name: /Gömställe/ })).toBeVisible();
  // And back: an edit in the second tab shows in the first.
  await other.getByRole("button", { name: /Gömställe/ }).click();
  await other.getByRole("radio", { name: "Allvarlighet 1 av 5" }).check();
  await other.getByRole("button", { name: "Spara", exact: true }).click();
  await page.getByRole("link", { name: "Lista" }).click();
  await expect(page.getByRole("button", { name: /Gömställe.*Allvarlighet 1 av 5/ })).toBeVisible();
});

test("a walk saved as a backup file loads on another tablet with its photo", async ({
  page,
  context,
  browser,
}) => {
  const errors = collectConsoleErrors(page);
  await grantGps(context);
  await createProjectAndWalk(page, "Vandring med backup");
  await addHere(page, "Trasig belysning");
  await addHereWithPhoto(page, "Klotter", "klotter.jpg");
  await page.getByRole("link", { name: "Om vandringen" }).click();
  await expect(page.getByText("Ingen säkerhetskopia sparad av den här vandringen.")).toBeVisible();
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page
      .getByRole("region", { name: "Säkerhetskopia" })
      .getByRole("button", { name: "Spara säkerhetskopia" })
      .click(),
  ]);
  expect(download.suggestedFilename()).toMatch(
    /^Lykta Vandring med backup \d{4}-\d{2}-\d{2}\.lykta$/,
  );
  const bytes = await readFile((await download.path())!);
  expect(bytes.subarray(0, 2).toString("latin1")).toBe("PK");
  await expect(page.getByText(/Senaste säkerhetskopia:/)).toBeVisible();

  // Another tablet: a fresh browser profile.
  const tablet = await browser.newContext({
    viewport: { width: 1180, height: 820 },
    hasTouch: true,
    locale: "sv-SE",
  });
  const second = await tablet.newPage();
  await second.goto(page.url().replace(/#.*$/, ""));
  await second.getByTestId("home-backup-input").setInputFiles({
    name: download.suggestedFilename(),
    mimeType: "application/octet-stream",
    buffer: bytes,
  });
  await expect(
    second.getByText(/Inläst: \d+ nya, 0 uppdaterade, 0 oförändrade, 0 raderade, 0 konflikter/),
  ).toBeVisible();
  await second.getByRole("link", { name: /Västerås 2027/ }).click();
  await expect(second.getByText("2 observationer")).toBeVisible();
  await second.getByRole("link", { name: /Vandring med backup/ }).click();
  await second.getByRole("link", { name: "Lista" }).click();
  await expect(second.locator(".observation-list li")).toHaveCount(2);
  await second.getByRole("button", { name: /Klotter.*Foton: 1/ }).click();
  await expect(second.getByRole("img", { name: "Foto 1 av observationen" }).first()).toBeVisible();

  // Loading the same file again changes nothing.
  await second.goto(page.url().replace(/#.*$/, ""));
  await second.getByTestId("home-backup-input").setInputFiles({
    name: "again.lykta",
    mimeType: "application/octet-stream",
    buffer: bytes,
  });
  await expect(
    second.getByText(/Inläst: 0 nya, 0 uppdaterade, \d+ oförändrade, 0 raderade, 0 konflikter/),
  ).toBeVisible();

  // A file that is not a Lykta package is refused, and says so.
  await second.getByTestId("home-backup-input").setInputFiles({
    name: "anteckningar.lykta",
    mimeType: "application/octet-stream",
    buffer: Buffer.from("inte en zip"),
  });
  await expect(second.getByText(/Filen är ingen Lykta-fil/)).toBeVisible();
  await tablet.close();
  expect(errors).toEqual([]);
});
