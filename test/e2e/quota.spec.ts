/**
 * A full disk mid-walk: the save is refused with a clear message, the form keeps what was
 * typed, nothing saved before is touched, and once there is room again the same form saves.
 */
import { expect, test } from "@playwright/test";
import { liveObservations, readRecords, startObservation } from "./field-helpers";
import { addHere, createProjectAndWalk } from "./helpers";

const NOTE = "Lampan vid busshållplatsen har varit trasig sedan i våras; mörkt mot tunneln.";
const QUOTA_MESSAGE = "Det finns inte plats att spara på enheten.";

test("a full disk keeps the form and what was typed; nothing saved is lost", async ({ page }) => {
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await createProjectAndWalk(page);
  await addHere(page, "Trasig belysning");
  await addHere(page, "Klotter");
  const before = await liveObservations(page);
  expect(before).toHaveLength(2);
  const recordCountBefore = (await readRecords(page)).length;

  // The disk is full: every IndexedDB put is refused the way a browser refuses it.
  await page.evaluate(() => {
    const prototype = IDBObjectStore.prototype as IDBObjectStore & { lyktaRealPut?: unknown };
    prototype.lyktaRealPut = prototype.put;
    prototype.put = function put() {
      throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
    };
  });

  await startObservation(page, "Nedskräpning");
  await page.getByRole("radio", { name: "Allvarlighet 4 av 5" }).check({ force: true });
  await page.getByLabel("Anteckning").fill(NOTE);
  await page.getByRole("button", { name: "Spara", exact: true }).tap();

  await expect(page.getByRole("alert").filter({ hasText: QUOTA_MESSAGE })).toBeVisible();
  // The form is still open with everything typed and chosen.
  await expect(page.getByRole("heading", { name: "Ny observation" })).toBeVisible();
  await expect(page.getByLabel("Anteckning")).toHaveValue(NOTE);
  await expect(page.getByRole("radio", { name: "Nedskräpning" })).toBeChecked();
  await expect(page.getByRole("radio", { name: "Allvarlighet 4 av 5" })).toBeChecked();
  await expect(page.getByRole("button", { name: "Spara", exact: true })).toBeEnabled();
  // Nothing was written, and nothing that was saved changed.
  expect(await readRecords(page)).toHaveLength(recordCountBefore);
  expect(await liveObservations(page)).toEqual(before);

  // Room again: the same form saves.
  await page.evaluate(() => {
    const prototype = IDBObjectStore.prototype as IDBObjectStore & { lyktaRealPut?: unknown };
    prototype.put = prototype.lyktaRealPut as IDBObjectStore["put"];
    delete prototype.lyktaRealPut;
  });
  await page.getByRole("button", { name: "Spara", exact: true }).tap();
  await expect(page.getByRole("heading", { name: "Ny observation" })).toBeHidden();
  await expect(
    page.getByRole("status").filter({ hasText: "Observationen är sparad" }),
  ).toBeVisible();

  await page.getByRole("link", { name: "Lista" }).click();
  await page.reload();
  await expect(page.getByRole("heading", { name: "Observationer (3)" })).toBeVisible();
  await expect(page.getByRole("button", { name: /Nedskräpning/ })).toContainText(NOTE);
  await expect(page.getByRole("button", { name: /Trasig belysning/ })).toBeVisible();
  await expect(page.getByRole("button", { name: /Klotter/ })).toBeVisible();

  const after = await liveObservations(page);
  expect(after).toHaveLength(3);
  for (const record of before) {
    expect(after.find((candidate) => candidate.id === record.id)).toEqual(record);
  }
  const third = after.find((record) => !before.some((old) => old.id === record.id));
  expect(third?.fields).toMatchObject({ note: NOTE, severity: 4 });
  expect(pageErrors).toEqual([]);
});
