/**
 * The plan's two editable tables: the cost catalogue (data/costs.json) and the benefit
 * weights (data/benefit-weights.json). A value is checked by the catalogue's validation when
 * the field is left; a refused value stays in its field with the reason (where and why) and
 * the plan keeps the last good table.
 */
import { useState } from "preact/hooks";
import { POI_KINDS } from "../../domain/layers";
import {
  COST_ITEM_IDS,
  type CostAssumptions,
  type TableProblem,
  tableProblemLines,
} from "../../domain/plan/catalogue";
import { label, t } from "../../state/i18n";
import {
  planCosts,
  planWeights,
  resetPlanTables,
  setPlanCosts,
  setPlanWeights,
} from "../../state/plan";
import { GROUPS, settings } from "../../state/store";
import { maybe, unitName } from "./format";

/** A number as typed; text that is no number goes to validation as text (it says why). */
function typed(text: string): unknown {
  const trimmed = text.trim().replace(/\s/g, "").replace(",", ".");
  const value = Number(trimmed);
  return trimmed === "" || !Number.isFinite(value) ? text : value;
}

/** A number as the language writes it ("0,25" in Swedish), without grouping. */
function decimalText(value: number): string {
  const text = String(value);
  return settings.value.language === "sv" ? text.replace(".", ",") : text;
}

/** A copy of `value` with `path` set (plain JSON objects). */
function withValue<T>(value: T, path: readonly string[], next: unknown): T {
  const copy = structuredClone(value) as Record<string, unknown>;
  let at = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string, unknown>;
  at[path[path.length - 1]!] = next;
  return copy as T;
}

function NumberField(props: {
  id: string;
  label: string;
  hint?: string;
  value: number;
  error: string | undefined;
  onCommit(text: string): void;
}) {
  const describedBy = [props.hint ? `${props.id}-hint` : "", props.error ? `${props.id}-error` : ""]
    .filter(Boolean)
    .join(" ");
  return (
    <div
      class={`plan-number-field${props.hint ? " plan-number-field-hint" : ""}${props.error ? " field-invalid" : ""}`}
    >
      <label for={props.id}>{props.label}</label>
      {props.hint && (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      )}
      <input
        // A new value from outside (reset) replaces what was typed.
        key={String(props.value)}
        id={props.id}
        type="text"
        inputMode="decimal"
        defaultValue={decimalText(props.value)}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy || undefined}
        onChange={(event) => props.onCommit(event.currentTarget.value)}
      />
      {props.error && (
        <p class="field-error" id={`${props.id}-error`} role="alert">
          {props.error}
        </p>
      )}
    </div>
  );
}

/** Problems by field id; a field's entry goes when it is accepted. */
function useProblems() {
  const [problems, setProblems] = useState<Record<string, string>>({});
  const report = (id: string, found: TableProblem[]) =>
    setProblems((current) => {
      const next = { ...current };
      if (found.length === 0) delete next[id];
      else next[id] = t("plan.refused", { detail: tableProblemLines(found).join("; ") });
      return next;
    });
  return { problems, report, clear: () => setProblems({}) };
}

function ResetButton(props: { onReset(): void }) {
  return (
    <button
      type="button"
      class="button"
      onClick={() => {
        resetPlanTables();
        props.onReset();
      }}
    >
      {t("plan.reset")}
    </button>
  );
}

const ASSUMPTION_NUMBERS = [
  "newLampSpacingM",
  "brushLineWidthM",
  "brushPointAreaM2",
  "brushMaxAreaM2",
] as const satisfies readonly (keyof CostAssumptions)[];

export function CostEditor() {
  const catalogue = planCosts.value;
  const { problems, report, clear } = useProblems();
  const commit = (id: string, path: string[], next: unknown) =>
    report(id, setPlanCosts(withValue(catalogue, path, next)));
  return (
    <section class="card plan-editor" aria-labelledby="plan-costs-heading" data-testid="plan-costs">
      <h2 id="plan-costs-heading">{t("plan.costsHeading")}</h2>
      <p class="hint">{t("plan.costsIntro", { year: catalogue.priceYear })}</p>
      <div class="plan-number-list">
        {COST_ITEM_IDS.map((itemId) => {
          const item = catalogue.items[itemId];
          const id = `plan-cost-${itemId.replace(".", "-")}`;
          return (
            <NumberField
              key={itemId}
              id={id}
              label={`${maybe(`plan.item.${itemId}`, {}, itemId)} (${t("plan.costUnit", { unit: unitName(item.unit) })})`}
              hint={item.includes ? t("plan.includes", { text: item.includes }) : undefined}
              value={item.unitCostSek}
              error={problems[id]}
              onCommit={(text) => commit(id, ["items", itemId, "unitCostSek"], typed(text))}
            />
          );
        })}
      </div>
      <h3>{t("plan.assumptionsHeading")}</h3>
      <div class="plan-number-list">
        {ASSUMPTION_NUMBERS.map((key) => {
          const id = `plan-assumption-${key}`;
          return (
            <NumberField
              key={key}
              id={id}
              label={maybe(`plan.assumption.${key}`, {}, key)}
              value={catalogue.assumptions[key]}
              error={problems[id]}
              onCommit={(text) => commit(id, ["assumptions", key], typed(text))}
            />
          );
        })}
      </div>
      <label class="tile tile-wide">
        <input
          type="checkbox"
          checked={catalogue.assumptions.cablePerGapM}
          onChange={(event) =>
            commit(
              "plan-assumption-cable",
              ["assumptions", "cablePerGapM"],
              event.currentTarget.checked,
            )
          }
        />
        <span>{t("plan.assumption.cablePerGapM")}</span>
      </label>
      <div class="button-row">
        <ResetButton onReset={clear} />
      </div>
    </section>
  );
}

export function WeightsEditor() {
  const weights = planWeights.value;
  const { problems, report, clear } = useProblems();
  const field = (path: string[], text: string, value: number) => {
    const id = `plan-weight-${path.join("-")}`;
    return (
      <NumberField
        key={id}
        id={id}
        label={text}
        value={value}
        error={problems[id]}
        onCommit={(typedText) =>
          report(id, setPlanWeights(withValue(weights, path, typed(typedText))))
        }
      />
    );
  };
  const needKeys = [
    "pointsPerSeverityStep",
    "pointsPerExtraReport",
    "maxExtraReports",
    "pointsPerExtraWalk",
    "pointsPer100MNewlyLit",
    "pointsPer100MNewlyCompliant",
  ] as const;
  const groupName = (id: string) => {
    const group = [GROUPS.everyone, ...GROUPS.groups].find((candidate) => candidate.id === id);
    return group ? label(group.label).toLowerCase() : id;
  };
  const poiName = (kind: string) => maybe(`poiKind_${kind}`, {}, kind);
  return (
    <section
      class="card plan-editor"
      aria-labelledby="plan-weights-heading"
      data-testid="plan-weights"
    >
      <h2 id="plan-weights-heading">{t("plan.weightsHeading")}</h2>
      <p class="hint">{t("plan.weightsIntro")}</p>
      <div class="plan-number-list">
        {needKeys.map((key) =>
          field(["need", key], maybe(`plan.weight.need.${key}`, {}, key), weights.need[key]),
        )}
        {Object.entries(weights.need.feltUnsafePointsPerGroup).map(([group, value]) =>
          field(
            ["need", "feltUnsafePointsPerGroup", group],
            t("plan.weight.feltUnsafe", { group: groupName(group) }),
            value,
          ),
        )}
        {(["pathClassFactorPerImportance", "pathClassSearchM", "priorityAreaFactor"] as const).map(
          (key) =>
            field(
              ["exposure", key],
              maybe(`plan.weight.exposure.${key}`, {}, key),
              weights.exposure[key],
            ),
        )}
        {POI_KINDS.flatMap((kind) => [
          field(
            ["exposure", "poi", kind, "radiusM"],
            t("plan.weight.poiRadius", { kind: poiName(kind) }),
            weights.exposure.poi[kind].radiusM,
          ),
          field(
            ["exposure", "poi", kind, "factor"],
            t("plan.weight.poiFactor", { kind: poiName(kind) }),
            weights.exposure.poi[kind].factor,
          ),
        ])}
      </div>
      <div class="button-row">
        <ResetButton onReset={clear} />
      </div>
    </section>
  );
}
