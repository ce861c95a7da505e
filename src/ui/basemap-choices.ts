/**
 * The basemaps a person can choose, in one order for Settings and for the switch on the map:
 * none, stored map files, OpenStreetMap, own sources (with saved areas noted).
 */
import type { BasemapSetting } from "../domain/basemap";
import { basemapFiles } from "../state/basemap-files";
import { t } from "../state/i18n";
import { savedAreas } from "../state/saved-areas";
import { settings } from "../state/store";

export interface BasemapChoice {
  /** Stable key: "none", "osm", "file:<id>", "source:<id>". */
  key: string;
  setting: BasemapSetting;
  label: string;
}

export function basemapKey(setting: BasemapSetting): string {
  switch (setting.kind) {
    case "none":
    case "osm":
      return setting.kind;
    case "pmtiles":
      return `file:${setting.fileId}`;
    case "source":
      return `source:${setting.sourceId}`;
  }
}

export function basemapChoices(): BasemapChoice[] {
  const areas = savedAreas.value ?? [];
  const choices: BasemapChoice[] = [
    { key: "none", setting: { kind: "none" }, label: t("basemapNone") },
  ];
  for (const file of basemapFiles.value ?? []) {
    const setting: BasemapSetting = {
      kind: "pmtiles",
      fileId: file.id,
      schema: file.schema,
      attribution: file.attribution,
    };
    choices.push({
      key: basemapKey(setting),
      setting,
      label: t("basemapFileChoice", { name: file.name }),
    });
  }
  choices.push({ key: "osm", setting: { kind: "osm" }, label: t("basemapOsm") });
  for (const source of settings.value.tileSources) {
    const setting: BasemapSetting = { kind: "source", sourceId: source.id };
    const saved = areas.some((area) => area.source.id === source.id);
    choices.push({
      key: basemapKey(setting),
      setting,
      label: t(saved ? "basemapSourceChoiceSaved" : "basemapSourceChoice", { name: source.name }),
    });
  }
  return choices;
}
