import { useEffect, useState } from "preact/hooks";
import { type BasemapSetting, resolveBasemap } from "../domain/basemap";
import type { BasemapFileInfo } from "../domain/basemap-file";
import { basemapFiles, refreshBasemapFiles } from "../state/basemap-files";
import { formatBytes, t } from "../state/i18n";
import { hrefFor } from "../state/router";
import { refreshSavedAreas, savedAreas, savedAreasBytes } from "../state/saved-areas";
import { notify } from "../state/session";
import { type NightModeSetting, storeSettings } from "../state/settings";
import { refreshStorageInfo, requestPersistence } from "../state/storage-info";
import { settings, storageInfo } from "../state/store";
import { BasemapFilesCard } from "./BasemapFilesCard";
import { basemapChoices, basemapKey } from "./basemap-choices";
import { Header } from "./Header";
import { SavedAreasCard } from "./SavedAreasCard";
import { TileSourcesCard } from "./TileSourcesCard";

function update(patch: Partial<typeof settings.value>) {
  const next = { ...settings.value, ...patch };
  settings.value = next;
  storeSettings(next);
  if (patch.language) document.documentElement.lang = patch.language;
}

function fileSetting(file: BasemapFileInfo): BasemapSetting {
  return { kind: "pmtiles", fileId: file.id, schema: file.schema, attribution: file.attribution };
}

function BasemapSettings() {
  const [key, setKey] = useState(basemapKey(settings.value.basemap));
  const choices = basemapChoices();
  const chosen = choices.find((choice) => choice.key === key) ?? choices[0]!;
  const view = resolveBasemap(chosen.setting, settings.value.tileSources);

  function apply(event: Event) {
    event.preventDefault();
    update({ basemap: chosen.setting });
    notify(t("basemapChosen", { name: chosen.label }), "success");
  }

  return (
    <section class="card" aria-labelledby="basemap-heading">
      <h2 id="basemap-heading">{t("basemap")}</h2>
      <form onSubmit={apply} noValidate>
        <fieldset class="field">
          <legend class="visually-hidden">{t("basemap")}</legend>
          {choices.map((choice) => (
            <label key={choice.key} class="tile tile-wide">
              <input
                type="radio"
                name="basemap"
                checked={chosen.key === choice.key}
                onChange={() => setKey(choice.key)}
              />
              <span>{choice.label}</span>
            </label>
          ))}
        </fieldset>
        <p class="hint">{t("basemapPrivacy")}</p>
        {view.kind !== "none" && view.attribution && (
          <p class="hint">{t("basemapCredit", { credit: plainCredit(view.attribution) })}</p>
        )}
        <button type="submit" class="button button-primary">
          {t("save")}
        </button>
      </form>
    </section>
  );
}

/** A credit as text (map files' credits are HTML links). */
function plainCredit(html: string): string {
  return html.replace(/<[^>]*>/g, "").replace(/&amp;/g, "&");
}

function StorageSettings() {
  useEffect(() => {
    void refreshStorageInfo();
    void refreshBasemapFiles();
    if (savedAreas.value === null) void refreshSavedAreas();
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
      {savedAreasBytes.value > 0 && (
        <p data-testid="storage-saved-areas">
          {t("storageSavedAreas", { size: formatBytes(savedAreasBytes.value) })}
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
          key={JSON.stringify([
            settings.value.basemap,
            basemapFiles.value?.length,
            settings.value.tileSources.length,
          ])}
        />
        <TileSourcesCard />
        <SavedAreasCard />
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
            <a class="button" href={hrefFor({ screen: "accessibility" })}>
              {t("accessibility")}
            </a>
          </p>
        </section>
      </main>
    </>
  );
}
