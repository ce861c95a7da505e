import { expect, type Page, test } from "@playwright/test";
import {
  addHere,
  collectConsoleErrors,
  createProjectAndWalk,
  grantGps,
  smallJpeg,
  storedRecords,
} from "./helpers";

/** Tap a point on the map, as offsets in px from the map's centre. */
async function tapMap(page: Page, dx: number, dy: number) {
  const box = (await page.getByTestId("map").boundingBox())!;
  await page.touchscreen.tap(box.x + box.width / 2 + dx, box.y + box.height / 2 + dy);
  // terra-draw tells a tap from a double tap by time; leave a human gap between taps.
  await page.waitForTimeout(350);
}

async function chooseCategoryAndSave(page: Page, category: string, note?: string) {
  await expect(page.getByRole("heading", { name: "Ny observation" })).toBeVisible();
  await page.getByText(category, { exact: true }).tap();
  if (note) await page.getByLabel("Anteckning", { exact: true }).fill(note);
  await page.getByRole("button", { name: "Spara", exact: true }).tap();
  await expect(page.getByRole("heading", { name: "Ny observation" })).toBeHidden();
}

test.describe("recording a walk", () => {
  test("points, lines and polygons by touch, one with a photo, all there after a reload", async ({
    page,
    context,
  }) => {
    const errors = collectConsoleErrors(page);
    await grantGps(context);
    await createProjectAndWalk(page);

    // A point drawn on the map, with a photo.
    await page.getByRole("button", { name: "Punkt", exact: true }).tap();
    await expect(page.getByText("Tryck på kartan där platsen är.")).toBeVisible();
    await tapMap(page, -200, -120);
    await expect(page.getByRole("heading", { name: "Ny observation" })).toBeVisible();
    await page.getByText("Gömställe", { exact: true }).tap();
    await page.getByTestId("photo-input").setInputFiles({
      name: "gomstalle.jpg",
      mimeType: "image/jpeg",
      buffer: await smallJpeg(page),
    });
    await expect(page.getByRole("button", { name: "Visa foto 1 i full storlek" })).toBeVisible();
    await page.getByRole("button", { name: "Spara", exact: true }).tap();
    await expect(page.getByRole("heading", { name: "Ny observation" })).toBeHidden();

    // A line: three taps, then Done.
    await page.getByRole("button", { name: "Linje", exact: true }).tap();
    await tapMap(page, -150, 100);
    await tapMap(page, 0, 60);
    await tapMap(page, 150, 110);
    await page.getByRole("button", { name: "Klar" }).tap();
    await chooseCategoryAndSave(page, "Mörk sträcka", "Gångvägen mot skolan är helt mörk");

    // A polygon: four corners, then close on the first.
    await page.getByRole("button", { name: "Yta", exact: true }).tap();
    await tapMap(page, 100, -150);
    await tapMap(page, 260, -150);
    await tapMap(page, 260, -30);
    await tapMap(page, 100, -30);
    await page.getByRole("button", { name: "Klar" }).tap();
    await chooseCategoryAndSave(page, "Buskage skymmer sikten");

    // The map draws them (pixels, not only events): the point is severity orange (#e8682a).
    const mapShot = await page.getByTestId("map").screenshot();
    expect(mapShot.byteLength).toBeGreaterThan(1000);

    await page.reload();
    await page.getByRole("link", { name: "Lista" }).click();
    const rows = page.locator(".observation-list li");
    await expect(rows).toHaveCount(3);
    await expect(page.getByRole("button", { name: /Gömställe.*Punkt.*Foton: 1/ })).toBeVisible();
    await expect(page.getByRole("button", { name: /Mörk sträcka.*Linje/ })).toBeVisible();
    await expect(page.getByRole("button", { name: /Buskage skymmer sikten.*Yta/ })).toBeVisible();
    await expect(page.getByText("Gångvägen mot skolan är helt mörk")).toBeVisible();

    // The photo opens from the form after the reload.
    await page.getByRole("button", { name: /Gömställe/ }).click();
    await expect(page.getByRole("img", { name: "Foto 1 av observationen" }).first()).toBeVisible();
    expect(errors).toEqual([]);
  });

  test("edit, undo, redo and delete", async ({ page, context }) => {
    const errors = collectConsoleErrors(page);
    await grantGps(context);
    await createProjectAndWalk(page);
    await addHere(page, "Klotter");
    await page.getByRole("link", { name: "Lista" }).click();
    await page.getByRole("button", { name: /Klotter/ }).click();
    await expect(page.getByRole("heading", { name: "Ändra observation" })).toBeVisible();
    await page.getByRole("radio", { name: "Allvarlighet 5 av 5" }).check();
    await page.getByLabel("Anteckning", { exact: true }).fill("Klotter på tunnelväggen");
    await page.getByRole("button", { name: "Spara", exact: true }).click();
    await expect(page.getByRole("button", { name: /Klotter.*Allvarlighet 5 av 5/ })).toBeVisible();

    await page.locator(".topbar").getByRole("button", { name: "Ångra" }).click();
    await expect(page.getByRole("button", { name: /Klotter.*Allvarlighet 3 av 5/ })).toBeVisible();
    await expect(page.getByText("Klotter på tunnelväggen")).toBeHidden();
    await page.getByRole("button", { name: "Gör om" }).click();
    await expect(page.getByRole("button", { name: /Klotter.*Allvarlighet 5 av 5/ })).toBeVisible();

    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByRole("button", { name: /Klotter/ }).click();
    await page.getByRole("button", { name: "Ta bort observationen" }).click();
    await expect(page.locator(".observation-list li")).toHaveCount(0);
    // The deletion notice offers Undo right there.
    await page.locator(".notices").getByRole("button", { name: "Ångra" }).click();
    await expect(page.getByRole("button", { name: /Klotter.*Allvarlighet 5 av 5/ })).toBeVisible();

    // The tombstone keeps no content: delete again and look at what is stored.
    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByRole("button", { name: /Klotter/ }).click();
    await page.getByRole("button", { name: "Ta bort observationen" }).click();
    await expect(page.locator(".observation-list li")).toHaveCount(0);
    const stored = await storedRecords(page, "observation");
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      deleted: true,
      fields: { note: "", categoryId: "", geometry: null },
    });
    expect(JSON.stringify(stored)).not.toContain("tunnelväggen");
    expect(errors).toEqual([]);
  });

  test("bad form values get a message next to the field", async ({ page, context }) => {
    await grantGps(context);
    await createProjectAndWalk(page);
    await page.getByRole("button", { name: "Lägg till här" }).tap();
    await page.getByLabel("Uppmätt ljus (lux)").fill("-3");
    await page.getByRole("button", { name: "Spara", exact: true }).tap();
    await expect(page.getByText("Rätta fälten som är markerade.")).toBeVisible();
    await expect(page.locator("#observation-lux-error")).toHaveText(
      "Värdet kan inte vara negativt.",
    );
    await expect(page.getByLabel("Uppmätt ljus (lux)")).toHaveAttribute("aria-invalid", "true");
    await expect(page.locator("#category-error")).toHaveText("Måste fyllas i.");
    await page.getByLabel("Uppmätt ljus (lux)").fill("mörkt");
    await page.getByText("Mörk tunnel eller viadukt", { exact: true }).tap();
    await page.getByRole("button", { name: "Spara", exact: true }).tap();
    await expect(page.locator("#observation-lux-error")).toHaveText("Ange ett tal, t.ex. 2,5.");
    await expect(page.locator("#category-error")).toHaveCount(0);
    await page.getByLabel("Uppmätt ljus (lux)").fill("0,4");
    await page.getByRole("button", { name: "Spara", exact: true }).tap();
    await page.getByRole("link", { name: "Lista" }).click();
    await expect(
      page.getByRole("button", { name: /Mörk tunnel eller viadukt.*0\.4 lux/ }),
    ).toBeVisible();
  });

  test("with location denied, the app explains and manual placement still works", async ({
    page,
  }) => {
    const errors = collectConsoleErrors(page);
    await page.context().clearPermissions();
    await createProjectAndWalk(page);
    await expect(page.getByText(/Platstjänster är avstängda för Lykta/)).toBeVisible();
    await page.getByRole("button", { name: "Lägg till här" }).tap();
    await expect(page.getByText(/Ingen GPS-position/)).toBeVisible();
    await page.getByText("Belysning saknas", { exact: true }).tap();
    await page.getByRole("button", { name: "Spara", exact: true }).tap();
    await page.getByRole("link", { name: "Lista" }).click();
    await expect(page.getByRole("button", { name: /Belysning saknas/ })).toBeVisible();
    // Drawing by hand works without GPS too.
    await page.getByRole("link", { name: "Karta" }).click();
    await page.getByRole("button", { name: "Punkt", exact: true }).tap();
    await tapMap(page, 80, 40);
    await chooseCategoryAndSave(page, "Trasig belysning");
    await page.getByRole("link", { name: "Lista" }).click();
    await expect(
      page.getByRole("button", { name: /Trasig belysning.*Placerad på kartan|Trasig belysning/ }),
    ).toBeVisible();
    expect(errors).toEqual([]);
  });

  test("the walk's details: rename, participants as counts, sunset", async ({ page, context }) => {
    await grantGps(context);
    await createProjectAndWalk(page);
    await page.getByRole("link", { name: "Om vandringen" }).click();
    await page.getByLabel("Datum").fill("2026-12-10");
    await page.getByLabel("Starttid").fill("18:30");
    await page.getByLabel("Sluttid").fill("20:30");
    await page.getByLabel("Namn på vandringen").fill("Vallby i december");
    await page.getByRole("button", { name: "Spara", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Vallby i december", level: 1 })).toBeVisible();
    // Västerås, 10 December: the sun sets about 14:50 (NOAA), and 18:30 is dark.
    await expect(page.getByTestId("sunset")).toHaveText(/^14:[45]\d$/);
    await expect(page.getByText("Vid start: mörkt")).toBeVisible();
    await page.getByRole("button", { name: "Öka Polisen" }).click();
    await page.getByRole("button", { name: "Öka Polisen" }).click();
    await page.getByRole("button", { name: "Öka Boende" }).click();
    await page.getByRole("button", { name: "Öka Kvinnor" }).click();
    await expect(page.getByText("Totalt 3 deltagare")).toBeVisible();
    await page.reload();
    await expect(page.getByText("Totalt 3 deltagare")).toBeVisible();
  });

  test("delete a walk from the project", async ({ page, context }) => {
    await grantGps(context);
    await createProjectAndWalk(page, "Vandring att ta bort");
    await addHere(page, "Nedskräpning");
    await page.getByRole("link", { name: "Tillbaka" }).click();
    await expect(page.getByText("1 observationer")).toBeVisible();
    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByRole("button", { name: "Ta bort: Vandring att ta bort" }).click();
    await expect(page.getByText("Inga vandringar i projektet ännu.")).toBeVisible();
    await page.reload();
    await expect(page.getByText("Inga vandringar i projektet ännu.")).toBeVisible();
  });
});

test("move a point on the map, and undo the move", async ({ page, context }) => {
  const errors = collectConsoleErrors(page);
  await grantGps(context);
  await createProjectAndWalk(page);
  await page.getByRole("button", { name: "Punkt", exact: true }).tap();
  await tapMap(page, -100, 0);
  await chooseCategoryAndSave(page, "Gömställe");
  const before = await observationGeometry(page);

  await page.getByRole("link", { name: "Lista" }).click();
  await page.getByRole("button", { name: /Gömställe/ }).click();
  await page.getByRole("link", { name: "Karta" }).click();
  await page.getByRole("button", { name: "Flytta eller ändra form" }).click();
  await expect(page.getByText("Dra punkterna. Tryck Klar när du är nöjd.")).toBeVisible();
  // Drag the point 120 px to the right (a mouse drag; terra-draw handles touch the same way).
  const box = (await page.getByTestId("map").boundingBox())!;
  const from = { x: box.x + box.width / 2 - 100, y: box.y + box.height / 2 };
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  for (let step = 1; step <= 10; step++) await page.mouse.move(from.x + step * 12, from.y);
  await page.mouse.up();
  await page.getByRole("button", { name: "Klar" }).click();
  await expect(page.getByRole("heading", { name: "Ändra observation" })).toBeVisible();
  await expect(page.getByText("Observationen är sparad").last()).toBeVisible();
  const after = await observationGeometry(page);
  expect(after.type).toBe("Point");
  // Moved east, not north or south.
  expect((after.coordinates as number[])[0]!).toBeGreaterThan((before.coordinates as number[])[0]!);
  expect(
    Math.abs((after.coordinates as number[])[1]! - (before.coordinates as number[])[1]!),
  ).toBeLessThan(0.0002);
  // Undo puts it back.
  await page.getByRole("button", { name: "Avbryt" }).click();
  await page.locator(".topbar").getByRole("button", { name: "Ångra" }).click();
  expect(await observationGeometry(page)).toEqual(before);
  expect(errors).toEqual([]);
});

async function observationGeometry(page: Page): Promise<{ type: string; coordinates: unknown }> {
  const live = (await storedRecords(page, "observation")).find((record) => !record.deleted);
  return live!.fields.geometry as { type: string; coordinates: unknown };
}
