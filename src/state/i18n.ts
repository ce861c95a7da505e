/** Translate with the current language setting. */
import type { LocalizedText } from "../domain/labels";
import { type StringKey, translate } from "../i18n/strings";
import { settings } from "./store";

export function t(key: StringKey, params?: Record<string, string | number>): string {
  return translate(settings.value.language, key, params);
}

/** A label from data files (checklist, groups, organisations) in the current language. */
export function label(text: LocalizedText): string {
  return text[settings.value.language] ?? text.sv;
}

/** Bytes as "1,2 MB" in the current language. */
export function formatBytes(bytes: number): string {
  const locale = settings.value.language === "sv" ? "sv-SE" : "en-GB";
  const units = ["B", "KB", "MB", "GB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toLocaleString(locale, { maximumFractionDigits: unit === 0 ? 0 : 1 })} ${units[unit]}`;
}

/** A whole number with the language's digit grouping ("25 000", "25,000"). */
export function formatCount(count: number): string {
  return count.toLocaleString(settings.value.language === "sv" ? "sv-SE" : "en-GB");
}

export function formatDateTime(instantMs: number): string {
  const locale = settings.value.language === "sv" ? "sv-SE" : "en-GB";
  return new Intl.DateTimeFormat(locale, {
    timeZone: "Europe/Stockholm",
    dateStyle: "medium",
    timeStyle: "short",
  }).format(new Date(instantMs));
}
