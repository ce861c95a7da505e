/**
 * Benefit against budget: an inline SVG line (no chart library), axes labelled, a marker at
 * the current budget; the same values as a table for those who do not see the chart.
 */
import { t } from "../../state/i18n";
import { formatNumber, kr, points } from "./format";

const WIDTH = 640;
const HEIGHT = 260;
const LEFT = 64;
const RIGHT = 16;
const TOP = 16;
const BOTTOM = 48;
/** Rows of the text alternative: enough to read the shape of the curve. */
const TABLE_ROWS = 11;

/** "1,2 mn kr" is ambiguous across languages: axis ticks in thousands of kronor ("500 tkr"). */
function tick(sek: number): string {
  return sek >= 1_000_000
    ? `${formatNumber(sek / 1_000_000, 1)} M`
    : sek === 0
      ? "0"
      : `${formatNumber(sek / 1000)} k`;
}

export function PlanChart(props: {
  curve: readonly { budgetSek: number; benefit: number }[];
  maxBudgetSek: number;
  budgetSek: number;
  benefit: number;
}) {
  const { curve, maxBudgetSek, budgetSek, benefit } = props;
  const maxBenefit = Math.max(1, ...curve.map((point) => point.benefit), benefit);
  const x = (sek: number) =>
    LEFT + (Math.min(sek, maxBudgetSek) / maxBudgetSek) * (WIDTH - LEFT - RIGHT);
  const y = (value: number) => TOP + (1 - value / maxBenefit) * (HEIGHT - TOP - BOTTOM);
  const path = curve
    .map(
      (point, i) =>
        `${i === 0 ? "M" : "L"}${x(point.budgetSek).toFixed(1)},${y(point.benefit).toFixed(1)}`,
    )
    .join(" ");
  const xTicks = [0, 0.25, 0.5, 0.75, 1].map((share) => Math.round(maxBudgetSek * share));
  const yTicks = [0, 0.5, 1].map((share) => maxBenefit * share);
  const every = Math.max(1, Math.ceil(curve.length / (TABLE_ROWS - 1)));
  const rows = curve.filter((_, i) => i % every === 0 || i === curve.length - 1);
  const description = t("plan.chartDesc", {
    max: formatNumber(maxBudgetSek),
    budget: formatNumber(budgetSek),
    benefit: points(benefit),
  });
  return (
    <figure class="plan-chart" data-testid="plan-curve">
      <figcaption id="plan-chart-title">{t("plan.chartTitle")}</figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby="plan-chart-svg-title plan-chart-desc"
        class="plan-chart-svg"
      >
        <title id="plan-chart-svg-title">{t("plan.chartTitle")}</title>
        <desc id="plan-chart-desc">{description}</desc>
        {yTicks.map((value) => (
          <g key={`y${value}`}>
            <line
              class="plan-chart-grid"
              x1={LEFT}
              x2={WIDTH - RIGHT}
              y1={y(value)}
              y2={y(value)}
            />
            <text class="plan-chart-tick" x={LEFT - 6} y={y(value) + 4} text-anchor="end">
              {formatNumber(value)}
            </text>
          </g>
        ))}
        {xTicks.map((sek) => (
          <text
            key={`x${sek}`}
            class="plan-chart-tick"
            x={x(sek)}
            y={HEIGHT - BOTTOM + 18}
            text-anchor="middle"
          >
            {tick(sek)}
          </text>
        ))}
        <line
          class="plan-chart-axis"
          x1={LEFT}
          x2={WIDTH - RIGHT}
          y1={HEIGHT - BOTTOM}
          y2={HEIGHT - BOTTOM}
        />
        <line class="plan-chart-axis" x1={LEFT} x2={LEFT} y1={TOP} y2={HEIGHT - BOTTOM} />
        <text
          class="plan-chart-label"
          x={(LEFT + WIDTH - RIGHT) / 2}
          y={HEIGHT - 6}
          text-anchor="middle"
        >
          {t("plan.budget")}
        </text>
        <text
          class="plan-chart-label"
          x={14}
          y={(TOP + HEIGHT - BOTTOM) / 2}
          text-anchor="middle"
          transform={`rotate(-90 14 ${(TOP + HEIGHT - BOTTOM) / 2})`}
        >
          {t("plan.pointsCol")}
        </text>
        <path class="plan-chart-line" d={path} />
        <line
          class="plan-chart-marker"
          x1={x(budgetSek)}
          x2={x(budgetSek)}
          y1={TOP}
          y2={HEIGHT - BOTTOM}
        />
        <circle class="plan-chart-dot" cx={x(budgetSek)} cy={y(benefit)} r={6} />
      </svg>
      <details class="plan-chart-table">
        <summary>{t("plan.chartTable")}</summary>
        <table class="data-table">
          <caption class="visually-hidden">{t("plan.chartTitle")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("plan.budget")}</th>
              <th scope="col">{t("plan.pointsCol")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((point) => (
              <tr key={point.budgetSek}>
                <td>{kr(point.budgetSek)}</td>
                <td>{points(point.benefit)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
