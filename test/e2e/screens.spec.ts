import { mkdir } from "node:fs/promises";
import { expect, type Page, test } from "@playwright/test";
import { addHere, collectConsoleErrors, createProjectAndWalk, grantGps } from "./helpers";

const SHOTS = ".cache/screenshots";

/** Count screenshot pixels close to a colour, decoded in the page (no PNG library needed). */
async function countColour(page: Page, png: Buffer, hex: string, tolerance = 40): Promise<number> {
  return page.evaluate(
    async ({ data, hex, tolerance }) => {
      const image = new Image();
      image.src = `data:image/png;base64,${data}`;
      await image.decode();
      const canvas = new OffscreenCanvas(image.width, image.height);
      const context = canvas.getContext("2d")!;
      context.drawImage(image, 0, 0);
      const pixels = context.getImageData(0, 0, image.width, image.height).data;
      const [r, g, b] = [1, 3, 5].map((index) => Number.parseInt(hex.slice(index, index + 2), 16));
      let count = 0;
      for (let i = 0; i < pixels.length; i += 4) {
        if (
          Math.abs(pixels[i]! - r!) +
            Math.abs(pixels[i + 1]! - g!) +
            Math.abs(pixels[i + 2]! - b!) <=
          tolerance
        ) {
          count += 1;
        }
      }
      return count;
    },
    { data: png.toString("base64"), hex, tolerance },
  );
}

async function tapMap(page: Page, dx: number, dy: number) {
  const box = (await page.getByTestId("map").boundingBox())!;
  await page.touchscreen.tap(box.x + box.width / 2 + dx, box.y + box.height / 2 + dy);
  await page.waitForTimeout(350);
}

async function drawLine(page: Page) {
  await page.getByRole("button", { name: "Linje", exact: true }).tap();
  await tapMap(page, -260, 80);
  await tapMap(page, -100, 150);
  await tapMap(page, 80, 120);
  await page.getByRole("button", { name: "Klar" }).tap();
  await page.getByText("Mörk sträcka", { exact: true }).tap();
  await page.getByRole("radio", { name: "Allvarlighet 5 av 5" }).check();
  await page.getByRole("button", { name: "Spara", exact: true }).tap();
}

async function drawPolygon(page: Page) {
  await page.getByRole("button", { name: "Yta", exact: true }).tap();
  await tapMap(page, 120, -200);
  await tapMap(page, 320, -200);
  await tapMap(page, 320, -60);
  await tapMap(page, 120, -60);
  await page.getByRole("button", { name: "Klar" }).tap();
  await page.getByText("Buskage skymmer sikten", { exact: true }).tap();
  await page.getByRole("radio", { name: "Allvarlighet 2 av 5" }).check();
  await page.getByRole("button", { name: "Spara", exact: true }).tap();
}

test("the tablet view by day and by night draws the walk", async ({ page, context }) => {
  const errors = collectConsoleErrors(page);
  await mkdir(SHOTS, { recursive: true });
  await grantGps(context);
  await createProjectAndWalk(page);
  await addHere(page, "Mörk tunnel eller viadukt");
  await drawLine(page);
  await drawPolygon(page);
  for (const night of [false, true]) {
    const mode = night ? "night" : "day";
    const toggle = page.getByRole("button", {
      name: night ? "Slå på nattläge" : "Slå av nattläge",
    });
    if (await toggle.isVisible()) await toggle.click();
    await page.getByRole("link", { name: "Karta" }).click();
    await page.waitForTimeout(600);
    const map = await page.getByTestId("map").screenshot();
    await page.screenshot({ path: `${SHOTS}/${mode}-map.png` });
    // Severity 5 line (#8e1b2a), severity 3 point (#e8682a), severity 2 area outline (#f39c34).
    expect(await countColour(page, map, "#8e1b2a")).toBeGreaterThan(300);
    expect(await countColour(page, map, "#e8682a")).toBeGreaterThan(150);
    expect(await countColour(page, map, "#f39c34")).toBeGreaterThan(300);
    await page.getByRole("button", { name: "Lägg till här" }).tap();
    await page.getByText("Trasig belysning", { exact: true }).tap();
    await page.screenshot({ path: `${SHOTS}/${mode}-form.png` });
    await page.getByRole("button", { name: "Avbryt" }).tap();
    await page.getByRole("link", { name: "Lista" }).click();
    await page.screenshot({ path: `${SHOTS}/${mode}-list.png` });
    await page.getByRole("link", { name: "Om vandringen" }).click();
    await page.screenshot({ path: `${SHOTS}/${mode}-about.png`, fullPage: true });
  }
  // Portrait tablet: the form comes up from the bottom.
  await page.setViewportSize({ width: 820, height: 1180 });
  await page.getByRole("link", { name: "Karta" }).click();
  await page.getByRole("button", { name: "Lägg till här" }).tap();
  await page.screenshot({ path: `${SHOTS}/night-portrait-form.png` });
  const sheet = (await page.locator(".sheet").boundingBox())!;
  expect(sheet.width).toBe(820);
  expect(sheet.y + sheet.height).toBeLessThanOrEqual(1180);
  await expect(page.getByRole("button", { name: "Spara", exact: true })).toBeInViewport();
  expect(errors).toEqual([]);
});
