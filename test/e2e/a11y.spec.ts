import { expect, test } from "@playwright/test";
import { seriousViolations } from "./axe-helpers";
import { addHere, collectConsoleErrors, createProjectAndWalk, grantGps, setNight } from "./helpers";

for (const night of [false, true]) {
  test(`no serious axe findings on any screen, ${night ? "night" : "day"} mode`, async ({
    page,
    context,
  }) => {
    const errors = collectConsoleErrors(page);
    await grantGps(context);
    await page.goto("./");
    await setNight(page, night);
    const found = [...(await seriousViolations(page, "home, first start"))];
    await createProjectAndWalk(page);
    await addHere(page, "Trasig belysning");
    found.push(...(await seriousViolations(page, "walk map")));
    await page.getByRole("button", { name: "Välj bakgrundskarta" }).click();
    found.push(...(await seriousViolations(page, "basemap switch on the map")));
    await page.getByRole("button", { name: "Välj bakgrundskarta" }).click();
    await page.getByRole("button", { name: "Lägg till här" }).tap();
    await page.getByRole("button", { name: "Spara", exact: true }).tap();
    found.push(...(await seriousViolations(page, "observation form with errors")));
    await page.getByRole("button", { name: "Avbryt" }).tap();
    await page.getByRole("link", { name: "Lista" }).click();
    found.push(...(await seriousViolations(page, "list")));
    await page.getByRole("link", { name: "Om vandringen" }).click();
    found.push(...(await seriousViolations(page, "walk details")));
    await page.getByRole("link", { name: "Tillbaka" }).click();
    found.push(...(await seriousViolations(page, "project")));
    await page.getByRole("link", { name: "Visa platser" }).click();
    await page.getByRole("button", { name: "Visa rapporterna" }).click();
    found.push(...(await seriousViolations(page, "sites")));
    await page.getByRole("link", { name: "Tillbaka" }).click();
    await page.getByRole("link", { name: "Inställningar" }).click();
    found.push(...(await seriousViolations(page, "settings")));
    await page.getByRole("button", { name: "Lägg till kartkälla" }).click();
    await page.getByLabel("WMTS (GetCapabilities-adress eller tile-mall)").check();
    found.push(...(await seriousViolations(page, "settings, adding a map source")));
    await page.getByRole("link", { name: "Spara ett område för offline" }).click();
    await page.getByLabel("Rektangel (rita eller skriv in)").check();
    found.push(...(await seriousViolations(page, "save map area")));
    await page.goto("./#/accessibility");
    found.push(...(await seriousViolations(page, "accessibility statement")));
    expect(found).toEqual([]);
    expect(errors).toEqual([]);
  });
}

test("every button and link is at least 48 by 48 px", async ({ page, context }) => {
  await grantGps(context);
  await createProjectAndWalk(page);
  await addHere(page, "Klotter");
  const screens = [
    "map",
    "basemap-switch",
    "form",
    "list",
    "about",
    "project",
    "sites",
    "settings",
    "save-area",
  ];
  const small: string[] = [];
  for (const screen of screens) {
    if (screen === "basemap-switch") {
      await page.getByRole("button", { name: "Välj bakgrundskarta" }).click();
    }
    if (screen === "form") {
      await page.getByRole("button", { name: "Välj bakgrundskarta" }).click();
      await page.getByRole("button", { name: "Lägg till här" }).tap();
    }
    if (screen === "list") {
      await page.getByRole("button", { name: "Avbryt" }).tap();
      await page.getByRole("link", { name: "Lista" }).click();
    }
    if (screen === "about") await page.getByRole("link", { name: "Om vandringen" }).click();
    if (screen === "project") await page.getByRole("link", { name: "Tillbaka" }).click();
    if (screen === "sites") {
      await page.getByRole("link", { name: "Visa platser" }).click();
      await page.getByRole("button", { name: "Visa rapporterna" }).click();
    }
    if (screen === "settings") {
      await page.goto("./#/settings");
      await page.getByRole("button", { name: "Lägg till kartkälla" }).click();
    }
    if (screen === "save-area") {
      await page.getByRole("link", { name: "Spara ett område för offline" }).click();
      await page.getByLabel("Rektangel (rita eller skriv in)").check();
    }
    const sizes = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>("button, a[href], label.tile, label.file-button")]
        .filter(
          (element) => element.offsetParent !== null && !element.closest(".maplibregl-ctrl-attrib"),
        )
        .map((element) => {
          const rect = element.getBoundingClientRect();
          return {
            text: (element.textContent || element.getAttribute("aria-label") || "")
              .trim()
              .slice(0, 30),
            width: rect.width,
            height: rect.height,
          };
        }),
    );
    for (const size of sizes) {
      if (size.width < 47.5 || size.height < 47.5)
        small.push(`${screen}: "${size.text}" ${size.width}x${size.height}`);
    }
  }
  expect(small).toEqual([]);
});
