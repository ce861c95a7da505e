/**
 * Messages for import problems, in Swedish and English: part of the one translation table
 * (strings.ts holds the UI; these hold what the importers can say about a file). Each
 * importer's codes live beside the others in import-messages-*.ts.
 */
import type { ImportIssue } from "../domain/import/types";
import { settings } from "../state/store";
import { IMPORT_MESSAGES_CORE } from "./import-messages-core";
import { IMPORT_MESSAGES_FORMATS } from "./import-messages-formats";

const GENERAL: Record<string, { sv: string; en: string }> = {
  empty_file: { sv: "Filen är tom.", en: "The file is empty." },
  not_geodata: {
    sv: "Filen är inget format som Lykta läser (GeoJSON, OSM XML eller PBF, CSV, GPX, KML, zippad Shapefile).",
    en: "The file is no format Lykta reads (GeoJSON, OSM XML or PBF, CSV, GPX, KML, zipped Shapefile).",
  },
  import_crashed: {
    sv: "Importen stannade oväntat: {detail}. Inget har sparats.",
    en: "The import stopped unexpectedly: {detail}. Nothing was stored.",
  },
};

export const IMPORT_MESSAGES: Record<string, { sv: string; en: string }> = {
  ...GENERAL,
  ...IMPORT_MESSAGES_CORE,
  ...IMPORT_MESSAGES_FORMATS,
};

/** "features[17]: Polygonens ring är inte sluten." in the current language; text only. */
export function importIssueText(issue: ImportIssue): string {
  const template = IMPORT_MESSAGES[issue.code]?.[settings.value.language];
  const params: Record<string, string | number> = { where: issue.where, ...(issue.params ?? {}) };
  const text = template
    ? template.replace(/\{(\w+)\}/g, (match, name: string) =>
        name in params ? String(params[name]) : match,
      )
    : issue.message;
  return issue.where && issue.where !== "file" && !template?.includes("{where}")
    ? `${issue.where}: ${text}`
    : text;
}
