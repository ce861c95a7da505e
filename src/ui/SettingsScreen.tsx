import { useEffect, useState } from "preact/hooks";
import { type BasemapSetting, basemapProblem, OSM_ATTRIBUTION } from "../domain/basemap";
import type { BasemapFileInfo } from "../domain/basemap-file";
import { basemapFiles, refreshBasemapFiles } from "../state/basemap-files";
import { formatBytes, t } from "../state/i18n";
import { hrefFor } from "../state/router";
import { type NightModeSetting, storeSettings } from "../state/settings";
import { refreshStorageInfo, requestPersistence } from "../state/storage-info";
import { settings, storageInfo } from "../state/store";
import { BasemapFilesCard } from "./BasemapFilesCard";
import { Header } from "./Header";

function update(patch: Partial<typeof settings.value>) {
  const next = { ...settings.value, ...patch };
  settings.value = next;
  storeSettings(next);
  if (patch.language) document.documentElement.lang = patch.language;
}

/** A radio choice: a kind of basemap, or `file:<id>` for a stored map file. */
type BasemapChoice = Exclude<BasemapSetting["kind"], "pmtiles"> | `file:${string}`;

function fileSetting(file: BasemapFileInfo): BasemapSetting {
  return { kind: "pmtiles", fileId: file.id, schema: file.schema, attribution: file.attribution };
}

function BasemapSettings() {
  const current = settings.value.basemap;
  const files = basemapFiles.value ?? [];
  const [kind, setKind] = useState<BasemapChoice>(
    current.kind === "pmtiles" ? `file:${current.fileId}` : current.kind,
  );
  const [url, setUrl] = useState(
    current.kind === "raster" || current.kind === "style" ? current.url : "",
  );
  const [attribution, setAttribution] = useState(
    current.kind === "raster" ? current.attribution : "",
  );
  const [problem, setProblem] = useState<string | null>(null);

  function apply(event: Event) {
    event.preventDefault();
    const file = files.find((candidate) => `file:${candidate.id}` === kind);
    const next: BasemapSetting =
      kind === "raster"
        ? { kind, url: url.trim(), attribution: attribution.trim() }
        : kind === "style"
          ? { kind, url: url.trim() }
          : file
            ? fileSetting(file)
            : kind === "osm"
              ? { kind }
              : { kind: "none" };
    const found = basemapProblem(next);
    if (found) {
      setProblem(
        found === "sweref_grid"
          ? t("basemapSwerefGrid")
          : kind === "raster"
            ? t("basemapUrlInvalid")
            : t("basemapStyleInvalid"),
      );
      return;
    }
    setProblem(null);
    update({ basemap: next });
  }

  const options: [BasemapChoice, string][] = [
    ["none", t("basemapNone")],
    ...files.map((file): [BasemapChoice, string] => [
      `file:${file.id}`,
      t("basemapFileChoice", { name: file.name }),
    ]),
    ["osm", t("basemapOsm")],
    ["raster", t("basemapCustomRaster")],
    ["style", t("basemapCustomStyle")],
  ];
  return (
    <section class="card" aria-labelledby="basemap-heading">
      <h2 id="basemap-heading">{t("basemap")}</h2>
      <form onSubmit={apply} noValidate>
        <fieldset class="field">
          <legend class="visually-hidden">{t("basemap")}</legend>
          {options.map(([value, text]) => (
            <label key={value} class="tile tile-wide">
              <input
                type="radio"
                name="basemap"
                checked={kind === value}
                onChange={() => setKind(value)}
              />
              <span>{text}</span>
            </label>
          ))}
        </fieldset>
        {(kind === "raster" || kind === "style") && (
          <div class="field">
            <label for="basemap-url">{t("basemapUrl")}</label>
            <input
              id="basemap-url"
              type="url"
              inputMode="url"
              value={url}
              aria-invalid={problem ? true : undefined}
              aria-describedby={problem ? "basemap-error" : undefined}
              placeholder={kind === "raster" ? "https://…/{z}/{x}/{y}.png" : "https://…/style.json"}
              onInput={(event) => setUrl(event.currentTarget.value)}
            />
          </div>
        )}
        {kind === "raster" && (
          <div class="field">
            <label for="basemap-attribution">{t("basemapAttribution")}</label>
            <input
              id="basemap-attribution"
              value={attribution}
              onInput={(event) => setAttribution(event.currentTarget.value)}
            />
          </div>
        )}
        {problem && (
          <p class="field-error" id="basemap-error" role="alert">
            {problem}
          </p>
        )}
        <p class="hint">{t("basemapPrivacy")}</p>
        {(kind === "osm" || kind.startsWith("file:")) && <p class="hint">{OSM_ATTRIBUTION}</p>}
        <button type="submit" class="button button-primary">
          {t("save")}
        </button>
      </form>
    </section>
  );
}

function StorageSettings() {
  useEffect(() => {
    void refreshStorageInfo();
    void refreshBasemapFiles();
  }, []);
  const mapFilesBytes = (basemapFiles.value ?? []).reduce((sum, file) => sum + file.sizeBytes, 0);
  const info = storageInfo.value;
  return (
    <section class="card" aria-labelledby="storage-heading">
      <h2 id="storage-heading">{t("storage")}</h2>
      {info?.usedBytes != null && info.quotaBytes != null ? (
        <p data-testid="storage-used">
          {t("storageUsed", {
            used: formatBytes(info.usedBytes),
            quota: formatBytes(info.quotaBytes),
          })}
          {" · "}
          {t("storageFree", { free: formatBytes(Math.max(0, info.quotaBytes - info.usedBytes)) })}
        </p>
      ) : (
        <p>{t("storageUnknown")}</p>
      )}
      {mapFilesBytes > 0 && (
        <p data-testid="storage-map-files">
          {t("storageMapFiles", { size: formatBytes(mapFilesBytes) })}
        </p>
      )}
      {info?.persisted ? (
        <p>{t("storagePersisted")}</p>
      ) : (
        <>
          <p>
            {info?.persistSupported === false
              ? t("storagePersistUnsupported")
              : t("storageNotPersisted")}
          </p>
          {info?.persistSupported !== false && (
            <button type="button" class="button" onClick={() => void requestPersistence()}>
              {t("storagePersist")}
            </button>
          )}
        </>
      )}
    </section>
  );
}

export function SettingsScreen() {
  const night: [NightModeSetting, string][] = [
    ["auto", t("nightModeAuto")],
    ["on", t("nightModeOn")],
    ["off", t("nightModeOff")],
  ];
  return (
    <>
      <Header title={t("settings")} back={hrefFor({ screen: "home" })} />
      <main id="main" class="page">
        <section class="card" aria-labelledby="language-heading">
          <h2 id="language-heading">{t("language")}</h2>
          <fieldset class="field">
            <legend class="visually-hidden">{t("language")}</legend>
            <label class="tile tile-wide" lang="sv">
              <input
                type="radio"
                name="language"
                checked={settings.value.language === "sv"}
                onChange={() => update({ language: "sv" })}
              />
              <span>{t("languageSwedish")}</span>
            </label>
            <label class="tile tile-wide" lang="en">
              <input
                type="radio"
                name="language"
                checked={settings.value.language === "en"}
                onChange={() => update({ language: "en" })}
              />
              <span>{t("languageEnglish")}</span>
            </label>
          </fieldset>
        </section>
        <section class="card" aria-labelledby="night-heading">
          <h2 id="night-heading">{t("nightMode")}</h2>
          <fieldset class="field">
            <legend class="visually-hidden">{t("nightMode")}</legend>
            {night.map(([value, text]) => (
              <label key={value} class="tile tile-wide">
                <input
                  type="radio"
                  name="night"
                  checked={settings.value.nightMode === value}
                  onChange={() => update({ nightMode: value })}
                />
                <span>{text}</span>
              </label>
            ))}
          </fieldset>
        </section>
        <BasemapSettings
          key={JSON.stringify([settings.value.basemap, basemapFiles.value?.length])}
        />
        <BasemapFilesCard
          onStored={(file) => {
            update({
              basemap: fileSetting(file),
              lastView: { center: file.center, zoom: file.centerZoom },
            });
          }}
          onShowArea={(file) =>
            update({ lastView: { center: file.center, zoom: file.centerZoom } })
          }
          onDeleted={(file) => {
            const basemap = settings.value.basemap;
            if (basemap.kind === "pmtiles" && basemap.fileId === file.id) {
              update({ basemap: { kind: "none" } });
            }
          }}
        />
        <StorageSettings />
        <section class="card" aria-labelledby="about-heading">
          <h2 id="about-heading">{t("about")}</h2>
          <p>{t("version", { version: __APP_VERSION__ })}</p>
          <h3>{t("privacy")}</h3>
          <p>{t("privacyText")}</p>
          <p>
            <a href={hrefFor({ screen: "accessibility" })}>{t("accessibility")}</a>
          </p>
        </section>
      </main>
    </>
  );
}
