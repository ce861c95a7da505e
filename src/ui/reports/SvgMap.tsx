/**
 * A plain SVG map for the printed reports: lines and numbered points over white paper, with
 * a scale bar and a north arrow. No tiles and no WebGL, so it prints sharp (vector), is never
 * blank for want of a network or a GPU, and needs no canvas capture before printing.
 *
 * Projection: equirectangular with longitude scaled by cos(latitude) at the map's middle, so
 * over a neighbourhood or a city centre angles and distances are true to well under a
 * percent (the same local approximation as src/domain/sites.ts).
 */
import type { Position } from "geojson";
import { t } from "../../state/i18n";
import { formatNumber } from "../plan/format";

/** Metres per degree of latitude (mean; good to 0.5 % anywhere). */
const METRES_PER_DEGREE = 111_320;

export type Bbox = [number, number, number, number];

export interface MapLineLayer {
  key: string;
  lines: readonly Position[][];
  stroke: string;
  widthPx: number;
  dash?: string;
}

export interface MapPoint {
  key: string;
  position: Position;
  /** Drawn inside the marker (a number). */
  label?: string;
  shape: "circle" | "ring" | "square";
  fill: string;
  /** Marker radius in px. */
  radiusPx?: number;
}

/** The bounding box of positions, widened to at least `minSpanM` metres each way and padded. */
export function boundsOf(
  positions: readonly Position[],
  minSpanM = 300,
  padShare = 0.08,
): Bbox | null {
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  for (const [lon, lat] of positions) {
    if (lon === undefined || lat === undefined || !Number.isFinite(lon) || !Number.isFinite(lat))
      continue;
    west = Math.min(west, lon);
    east = Math.max(east, lon);
    south = Math.min(south, lat);
    north = Math.max(north, lat);
  }
  if (!Number.isFinite(west)) return null;
  const kx = Math.cos((((south + north) / 2) * Math.PI) / 180);
  const minLat = minSpanM / METRES_PER_DEGREE;
  const minLon = minLat / Math.max(kx, 0.01);
  const grow = (low: number, high: number, least: number): [number, number] => {
    const span = Math.max(high - low, least);
    const middle = (low + high) / 2;
    const half = (span / 2) * (1 + padShare);
    return [middle - half, middle + half];
  };
  [west, east] = grow(west, east, minLon);
  [south, north] = grow(south, north, minLat);
  return [west, south, east, north];
}

/** The box widened (never narrowed) about its middle to `aspect` = width / height on the ground. */
export function fitAspect(bbox: Bbox, aspect: number): Bbox {
  const [west, south, east, north] = bbox;
  const kx = Math.cos((((south + north) / 2) * Math.PI) / 180);
  const spanX = (east - west) * kx;
  const spanY = north - south;
  if (spanX / spanY < aspect) {
    const half = (spanY * aspect) / kx / 2;
    const middle = (west + east) / 2;
    return [middle - half, south, middle + half, north];
  }
  const half = spanX / aspect / 2;
  const middle = (south + north) / 2;
  return [west, middle - half, east, middle + half];
}

interface Projection {
  x(lon: number): number;
  y(lat: number): number;
  metresPerPx: number;
  width: number;
  height: number;
}

function projection(bbox: Bbox, widthPx: number, maxHeightPx: number): Projection {
  const [west, south, east, north] = bbox;
  const kx = Math.cos((((south + north) / 2) * Math.PI) / 180);
  const spanX = (east - west) * kx;
  const spanY = north - south;
  const scale = Math.min(widthPx / spanX, maxHeightPx / spanY);
  const width = Math.round(spanX * scale);
  const height = Math.round(spanY * scale);
  return {
    x: (lon) => (lon - west) * kx * scale,
    y: (lat) => (north - lat) * scale,
    metresPerPx: METRES_PER_DEGREE / scale,
    width,
    height,
  };
}

/** A round length for the scale bar: 1, 2 or 5 × 10^n metres, about a fifth of the map. */
function scaleBarM(metresPerPx: number, widthPx: number): number {
  const target = (metresPerPx * widthPx) / 5;
  const power = 10 ** Math.floor(Math.log10(target));
  for (const step of [5, 2, 1]) if (step * power <= target) return step * power;
  return power;
}

function pathData(lines: readonly Position[][], project: Projection): string {
  const parts: string[] = [];
  for (const line of lines) {
    if (line.length < 2) continue;
    let part = "";
    line.forEach((position, i) => {
      part += `${i === 0 ? "M" : "L"}${project.x(position[0]!).toFixed(1)} ${project.y(position[1]!).toFixed(1)}`;
    });
    parts.push(part);
  }
  return parts.join("");
}

export function SvgMap(props: {
  bbox: Bbox;
  lines: readonly MapLineLayer[];
  points: readonly MapPoint[];
  /** Text alternative: what the map shows (the tables hold the same facts). */
  label: string;
  widthPx?: number;
  maxHeightPx?: number;
  /** Fill a frame of this width / height by showing more ground around the box. */
  aspect?: number;
  testId?: string;
}) {
  const bbox = props.aspect ? fitAspect(props.bbox, props.aspect) : props.bbox;
  const project = projection(bbox, props.widthPx ?? 1000, props.maxHeightPx ?? 1000);
  const { width, height } = project;
  const barM = scaleBarM(project.metresPerPx, width);
  const barPx = barM / project.metresPerPx;
  return (
    <svg
      class="report-map"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={props.label}
      data-testid={props.testId}
    >
      <rect x={0} y={0} width={width} height={height} fill="#ffffff" stroke="#000000" />
      {props.lines.map((layer) => (
        <path
          key={layer.key}
          d={pathData(layer.lines, project)}
          fill="none"
          stroke={layer.stroke}
          stroke-width={layer.widthPx}
          stroke-linecap="round"
          stroke-linejoin="round"
          stroke-dasharray={layer.dash}
        />
      ))}
      {props.points.map((point) => {
        const cx = project.x(point.position[0]!);
        const cy = project.y(point.position[1]!);
        const r = point.radiusPx ?? 9;
        return (
          <g key={point.key}>
            {point.shape === "square" ? (
              <rect
                x={cx - r * 0.8}
                y={cy - r * 0.8}
                width={r * 1.6}
                height={r * 1.6}
                fill={point.fill}
                stroke="#ffffff"
                stroke-width={1.5}
              />
            ) : (
              <circle
                cx={cx}
                cy={cy}
                r={r}
                fill={point.shape === "ring" ? "#ffffff" : point.fill}
                stroke={point.shape === "ring" ? point.fill : "#ffffff"}
                stroke-width={point.shape === "ring" ? 2.5 : 1.5}
              />
            )}
            {point.label && (
              <text
                x={cx}
                y={cy + r * 0.42}
                text-anchor="middle"
                font-size={r * 1.15}
                font-weight="bold"
                fill={point.shape === "ring" ? point.fill : "#ffffff"}
              >
                {point.label}
              </text>
            )}
          </g>
        );
      })}
      <g class="report-map-scale" transform={`translate(16 ${height - 18})`}>
        <rect x={-6} y={-22} width={barPx + 70} height={34} fill="#ffffff" opacity={0.85} />
        <line x1={0} x2={barPx} y1={0} y2={0} stroke="#000000" stroke-width={4} />
        <line x1={0} x2={0} y1={-6} y2={6} stroke="#000000" stroke-width={2} />
        <line x1={barPx} x2={barPx} y1={-6} y2={6} stroke="#000000" stroke-width={2} />
        <text x={barPx + 8} y={5} font-size={15} fill="#000000">
          {barM >= 1000 ? `${formatNumber(barM / 1000)} km` : `${formatNumber(barM)} m`}
        </text>
      </g>
      <g transform={`translate(${width - 30} 34)`}>
        <path d="M0 -22 L9 4 L0 -2 L-9 4 Z" fill="#000000" />
        <text x={0} y={20} text-anchor="middle" font-size={15} font-weight="bold" fill="#000000">
          {t("report.north")}
        </text>
      </g>
    </svg>
  );
}
