/**
 * Switch the basemap from the map itself: a button under the zoom buttons opens the list of
 * basemaps (none, map files, OpenStreetMap, own sources). The same choice is in Settings.
 */
import { useEffect, useState } from "preact/hooks";
import { basemapFiles, refreshBasemapFiles } from "../state/basemap-files";
import { t } from "../state/i18n";
import { hrefFor } from "../state/router";
import { storeSettings } from "../state/settings";
import { settings } from "../state/store";
import { basemapChoices, basemapKey } from "./basemap-choices";

export function BasemapSwitch() {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (basemapFiles.value === null) void refreshBasemapFiles();
  }, []);
  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") setOpen(false);
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [open]);
  const current = basemapKey(settings.value.basemap);
  return (
    <div class="basemap-switch">
      <button
        type="button"
        class="button button-icon basemap-switch-button"
        aria-expanded={open}
        aria-controls="basemap-switch-panel"
        aria-label={t("basemapSwitchTitle")}
        title={t("basemapSwitchTitle")}
        onClick={() => setOpen(!open)}
      >
        <svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true">
          <path d="M12 3 2 8l10 5 10-5-10-5Z" fill="none" stroke="currentColor" stroke-width="2" />
          <path d="m2 13 10 5 10-5" fill="none" stroke="currentColor" stroke-width="2" />
        </svg>
      </button>
      {open && (
        <div class="basemap-switch-panel card" id="basemap-switch-panel">
          <fieldset class="field">
            <legend>{t("basemapSwitchTitle")}</legend>
            {basemapChoices().map((choice) => (
              <label key={choice.key} class="tile tile-wide">
                <input
                  type="radio"
                  name="basemap-switch"
                  checked={choice.key === current}
                  onChange={() => {
                    const next = { ...settings.value, basemap: choice.setting };
                    settings.value = next;
                    storeSettings(next);
                    setOpen(false);
                  }}
                />
                <span>{choice.label}</span>
              </label>
            ))}
          </fieldset>
          <a class="button" href={hrefFor({ screen: "settings" })}>
            {t("basemapSwitchSettings")}
          </a>
        </div>
      )}
    </div>
  );
}
