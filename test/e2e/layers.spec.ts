import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { strFromU8, unzipSync } from "fflate";
import { collectConsoleErrors, countColours, HELSINKI, projectWithHelsinki } from "./helpers";

test("import Helsinki's paths and lamps through the UI; they show on the map with attribution", async ({
  page,
}) => {
  const errors = collectConsoleErrors(page);
  await page.goto("./");
  await page.getByRole("button", { name: "Kom igång" }).click();
  await page.getByLabel("Projektets namn").fill("Helsingfors test");
  await page.getByRole("button", { name: "Skapa projekt" }).click();
  await expect(page.getByRole("heading", { name: "Helsingfors test" })).toBeVisible();

  await page.getByTestId("layer-input").setInputFiles({
    name: "helsinki_centre_highways_lamps.geojson",
    mimeType: "application/geo+json",
    buffer: await readFile(HELSINKI),
  });
  // 2,417 lines + 75 areas + 2,006 points in the file (data README).
  await expect(page.getByText(/4498 giltiga objekt, 0 avvisade, av 4498 i filen/)).toBeVisible();
  await expect(page.getByLabel("Dela upp i två lager: vägnätet och gatubelysningen")).toBeChecked();
  await page.getByRole("button", { name: "Importera 4498 objekt" }).click();
  const layerList = page.getByRole("region", { name: "Underlag (lager)" });
  await expect(layerList.getByText(/Gatubelysning \(lampor\) · 586 objekt/)).toBeVisible();
  await expect(layerList.getByText(/Gångvägar och gator · 2417 objekt/)).toBeVisible();
  await expect(layerList.getByText("© OpenStreetMap contributors").first()).toBeVisible();

  // Export for the municipal GIS: a download with one file per kind.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "GeoJSON (SWEREF 99 TM)" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^Lykta Helsingfors test \d{4}-\d{2}-\d{2}\.zip$/);
  const files = unzipSync(new Uint8Array(await readFile((await download.path())!)));
  expect(Object.keys(files).sort()).toEqual(
    expect.arrayContaining([
      "ATTRIBUTION.txt",
      "lamps-sweref99tm.geojson",
      "paths-sweref99tm.geojson",
    ]),
  );
  const lamps = JSON.parse(strFromU8(files["lamps-sweref99tm.geojson"]!));
  expect(lamps.features).toHaveLength(586);
  expect(lamps.crs.properties.name).toBe("urn:ogc:def:crs:EPSG::3006");
  // Helsinki lies east of SWEREF 99 TM's zone: eastings near 1.0-1.1 million metres.
  const [east, north] = lamps.features[0].geometry.coordinates;
  expect(east).toBeGreaterThan(900_000);
  expect(north).toBeGreaterThan(6_600_000);
  expect(strFromU8(files["ATTRIBUTION.txt"]!)).toContain("© OpenStreetMap contributors");

  // A walk with nothing of its own opens on the layers.
  await page.getByLabel("Namn på vandringen").fill("Centrum");
  await page.getByRole("button", { name: "Skapa vandring" }).click();
  await expect(page.getByTestId("map")).toHaveAttribute("data-ready", "true");
  await expect(page.locator(".maplibregl-ctrl-attrib")).toContainText(
    "© OpenStreetMap contributors",
  );
  await page.waitForTimeout(1500);
  const shot = await page.getByTestId("map").screenshot();
  await page.screenshot({ path: ".cache/screenshots/layers-helsinki.png" });
  const [lampPixels, litPaths] = await countColours(page, shot, [
    [0xff, 0xd5, 0x4a],
    [0xd9, 0xa4, 0x00],
  ]);
  expect(lampPixels).toBeGreaterThan(200);
  expect(litPaths).toBeGreaterThan(2000);
  expect(errors).toEqual([]);
});

test("a file in SWEREF 99 TM without a crs member is explained, and reads when the CRS is named", async ({
  page,
}) => {
  await page.goto("./");
  await page.getByRole("button", { name: "Kom igång" }).click();
  await page.getByLabel("Projektets namn").fill("Stockholm");
  await page.getByRole("button", { name: "Skapa projekt" }).click();
  // Lamps at Sergels torg, in SWEREF 99 TM metres, as a municipal GIS often writes them.
  const collection = {
    type: "FeatureCollection",
    features: [
      {
        type: "Feature",
        geometry: { type: "Point", coordinates: [674571.9, 6580743.0] },
        properties: { höjd: "6,5", nr: "A1" },
      },
      {
        type: "Feature",
        geometry: { type: "Point", coordinates: [674590.2, 6580760.4] },
        properties: { höjd: "8", nr: "A2" },
      },
    ],
  };
  await page.getByTestId("layer-input").setInputFiles({
    name: "belysning.geojson",
    mimeType: "application/geo+json",
    buffer: Buffer.from(JSON.stringify(collection)),
  });
  await expect(page.locator(".callout[role=alert]")).toContainText("SWEREF 99 TM");
  await page.getByRole("button", { name: "Läs filen som EPSG:3006" }).click();
  await expect(page.getByText(/2 giltiga objekt, 0 avvisade, av 2 i filen/)).toBeVisible();
  await expect(page.getByText(/koordinatsystem EPSG:3006/)).toBeVisible();
  await page.getByLabel("Gatubelysning (lampor)").check();
  // Pole height and pole number were recognised from the Swedish field names.
  await expect(page.getByLabel("Stolphöjd (m)")).toHaveValue("höjd");
  await expect(page.getByLabel("Stolpnummer")).toHaveValue("nr");
  await page.getByRole("button", { name: "Importera 2 objekt" }).click();
  await expect(
    page.getByText(/Gatubelysning \(lampor\) · 2 objekt · belysning.geojson · EPSG:3006/),
  ).toBeVisible();
});

test("a project exported as GeoPackage in the browser reads back through the import", async ({
  page,
}) => {
  const errors = collectConsoleErrors(page);
  await projectWithHelsinki(page, "Paketet");

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "GeoPackage (SWEREF 99 TM)" }).click(),
  ]);
  const files = unzipSync(new Uint8Array(await readFile((await download.path())!)));
  const gpkgName = Object.keys(files).find((name) => name.endsWith(".gpkg"));
  expect(gpkgName).toMatch(/^Lykta Paketet \d{4}-\d{2}-\d{2}-sweref99tm\.gpkg$/);
  const gpkg = files[gpkgName!]!;
  // An SQLite file with GeoPackage's application id "GPKG" (OGC 12-128r18, 1.1.1.1.1).
  expect(strFromU8(gpkg.subarray(0, 15))).toBe("SQLite format 3");
  expect(strFromU8(gpkg.subarray(68, 72))).toBe("GPKG");

  // The same file, imported into the project again: both tables, back in WGS 84.
  await page.getByTestId("layer-input").setInputFiles({
    name: "export.gpkg",
    mimeType: "application/geopackage+sqlite3",
    buffer: Buffer.from(gpkg),
  });
  await expect(page.getByText(/3003 giltiga objekt, 0 avvisade/)).toBeVisible();
  expect(errors).toEqual([]);
});
