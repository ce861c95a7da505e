/**
 * The lighting analysis in words, the same on the lighting screen and in the printed
 * strategy report: path class names and why a dark gap is dark.
 */
import pathClassesData from "../../data/path-classes.json";
import type { PathClassesFile } from "../domain/layers";
import type { DarkGap } from "../domain/lighting/types";
import { isStringKey } from "../i18n/strings";
import { label, t } from "../state/i18n";
import { formatNumber } from "./plan/format";

const PATH_CLASSES = pathClassesData as PathClassesFile;

/** "Lokalgata" for `residential`; "Utan vägklass" for a class the table does not know. */
export function pathClassLabel(id: string): string {
  const found = PATH_CLASSES.classes.find((entry) => entry.id === id);
  return found ? label(found.label) : t("lightingUnclassified");
}

/** Why a gap is dark, one sentence per reason: nearest lamp, lamps off, the tag, reports. */
export function gapReasonTexts(gap: DarkGap): string[] {
  const litKey = `lightingLit_${gap.reasons.lit}`;
  return [
    gap.reasons.nearestWorkingLampM === null
      ? t("lightingReasonNoLamp")
      : t("lightingReasonNearest", { distance: formatNumber(gap.reasons.nearestWorkingLampM) }),
    gap.reasons.offLampIds.length > 0
      ? t("lightingReasonOff", {
          count: gap.reasons.offLampIds.length,
          reported: gap.reasons.reportedBrokenLampIds.length,
        })
      : "",
    isStringKey(litKey) ? t(litKey) : gap.reasons.lit,
    gap.reasons.darkReportIds.length > 0
      ? t("lightingReasonDarkReports", { count: gap.reasons.darkReportIds.length })
      : "",
  ].filter(Boolean);
}
