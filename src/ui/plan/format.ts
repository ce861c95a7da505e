/**
 * Texts of the plan screen: numbers in the language's format (sv-SE: "1 940 000"), action
 * labels, cost lines and benefit terms through the one translation table.
 */
import { actionLabel as exportActionLabel, termText } from "../../domain/export/plan";
import type { BenefitTerm, CostCalculation, CostLine, PlanAction } from "../../domain/plan/types";
import { isStringKey } from "../../i18n/strings";
import { t } from "../../state/i18n";
import { GROUPS, settings } from "../../state/store";

export function locale(): string {
  return settings.value.language === "sv" ? "sv-SE" : "en-GB";
}

export function formatNumber(value: number, digits = 0): string {
  return new Intl.NumberFormat(locale(), {
    maximumFractionDigits: digits,
    minimumFractionDigits: 0,
  }).format(value);
}

/** "1 940 000 kr" / "1,940,000 SEK". */
export function kr(amount: number): string {
  return t("plan.kr", { amount: formatNumber(Math.round(amount)) });
}

/** Points with at most one decimal. */
export function points(value: number): string {
  return formatNumber(value, 1);
}

/** A key of the table, or the fallback when the key is not there. */
export function maybe(key: string, values: Record<string, string | number>, fallback: string) {
  return isStringKey(key) ? t(key, values) : fallback;
}

export function actionLabel(action: PlanAction): string {
  return exportActionLabel(action, settings.value.language);
}

export function termDescription(term: BenefitTerm): string {
  return termText(term, settings.value.language, GROUPS);
}

export function termName(term: BenefitTerm): string {
  return maybe(`plan.termName.${term.term}`, {}, term.term);
}

export function unitName(unit: string): string {
  return maybe(`plan.unit.${unit}`, {}, unit);
}

export function costLineText(line: CostLine): string {
  return t("plan.costLine", {
    quantity: formatNumber(line.quantity, 1),
    unit: unitName(line.unit),
    unitCost: formatNumber(line.unitCostSek),
    cost: formatNumber(Math.round(line.costSek)),
  });
}

/** How the quantity was derived: "Mörk sträcka 142 m med 30 m mellan stolparna ger 5 stolpar." */
export function costBasisText(cost: CostCalculation): string {
  const values = Object.fromEntries(
    Object.entries(cost.basis.values).map(([key, value]) => [
      key,
      typeof value === "number" ? formatNumber(value, 1) : value,
    ]),
  );
  const basis = maybe(cost.basis.key, values, "");
  const how = String(cost.basis.values.how ?? "")
    .split("+")
    .filter((part) => part !== "")
    .map((part) => maybe(`plan.brushHow.${part}`, values, ""))
    .filter((text) => text !== "");
  return [basis, ...new Set(how)].filter(Boolean).join(" ");
}

/** Epoch ms as a date and time in Stockholm ("12 mars 2027 18:30"). */
export function dateTime(epochMs: number): string {
  return new Intl.DateTimeFormat(locale(), {
    timeZone: "Europe/Stockholm",
    dateStyle: "medium",
    timeStyle: "short",
  }).format(new Date(epochMs));
}

/** The date of an instant in the device's time zone, as a date input wants it (YYYY-MM-DD). */
export function dateInputValue(epochMs: number | null): string {
  if (epochMs === null) return "";
  const date = new Date(epochMs);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/**
 * A date input's value as a deadline: that day at the time of day of the previous deadline
 * (a 24-hour deadline keeps its hour), or at the end of the working day (16:00) when none.
 */
export function deadlineFromDateInput(value: string, previous: number | null): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return null;
  const before = previous === null ? null : new Date(previous);
  const date = new Date(
    Number(match[1]),
    Number(match[2]) - 1,
    Number(match[3]),
    before ? before.getHours() : 16,
    before ? before.getMinutes() : 0,
  );
  return Number.isFinite(date.getTime()) ? date.getTime() : null;
}
