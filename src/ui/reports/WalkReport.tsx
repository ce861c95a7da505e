/**
 * Trygghetsvandringsprotokoll: the printable record of one walk (issue 6, "Outputs"). The walk
 * (name, date, area, participants counted by group and organisation, never names), an overview
 * map of its points, and each observation with its number on the map, category, severity, who
 * felt unsafe, note, photos, position, and who does what by when: from the plan's actions that
 * answer it and their follow-up records, or, before a plan is computed, the defaults the plan
 * would start from (src/domain/plan/follow-up.ts).
 */
import type { Position } from "geojson";
import { useEffect, useState } from "preact/hooks";
import { findCategory } from "../../domain/checklist";
import { crsDefinition, fromWgs84, SWEREF99_TM } from "../../domain/crs";
import { totalCount } from "../../domain/groups";
import type { ObservationRecord } from "../../domain/observation";
import { actionKindOf } from "../../domain/plan/candidates";
import {
  defaultDeadlineAt,
  defaultOwner,
  type EffectiveFollowUp,
  effectiveFollowUp,
} from "../../domain/plan/follow-up";
import type { PlanAction } from "../../domain/plan/types";
import { representativePoint } from "../../domain/sites";
import { followUps, ownerKey, statusKey } from "../../state/follow-up";
import { label, t } from "../../state/i18n";
import { planState } from "../../state/plan";
import { hrefFor } from "../../state/router";
import { db } from "../../state/session";
import { projectObservations, sitesProjectId } from "../../state/sites";
import {
  CHECKLIST,
  currentProject,
  GROUPS,
  ORGANISATIONS,
  projectLayers,
  walks,
} from "../../state/store";
import { LoadingScreen } from "../Header";
import { actionLabel, dateTime, formatNumber, maybe } from "../plan/format";
import { layerLines } from "./layer-lines";
import { calendarDate, ReportFrame } from "./ReportFrame";
import { type Bbox, boundsOf, SvgMap } from "./SvgMap";

/** What is done about an observation: an action of the plan, or the default before a plan. */
interface Answer {
  what: string;
  followUp: EffectiveFollowUp;
  /** From the computed plan (true) or the defaults before a plan (false). */
  planned: boolean;
}

function answersOf(
  record: ObservationRecord,
  actions: readonly PlanAction[] | null,
  now: number,
): Answer[] {
  if (actions !== null) {
    const found = actions.filter((action) => action.observationIds.includes(record.id));
    if (found.length > 0) {
      return found.map((action) => ({
        what: actionLabel(action),
        followUp: effectiveFollowUp(action, followUps.value.get(action.key), now),
        planned: true,
      }));
    }
  }
  const kind = actionKindOf(record.fields.categoryId);
  if (kind === null) return [];
  const defaults = {
    key: "",
    defaultOwner: defaultOwner(kind, [record.fields.categoryId]),
    defaultDeadlineAt: defaultDeadlineAt(kind, record.fields.observedAt),
  };
  return [
    {
      what: maybe(`report.kind.${kind}`, {}, kind),
      followUp: effectiveFollowUp(defaults, undefined, now),
      planned: false,
    },
  ];
}

function categoryLabel(categoryId: string): string {
  const found = findCategory(CHECKLIST, categoryId);
  return found ? label(found.category.label) : categoryId;
}

function groupLabel(id: string): string {
  const group = [GROUPS.everyone, ...GROUPS.groups].find((entry) => entry.id === id);
  return group ? label(group.label) : id;
}

function organisationLabel(id: string): string {
  const organisation = ORGANISATIONS.organisations.find((entry) => entry.id === id);
  return organisation ? label(organisation.label) : id;
}

const sweref = fromWgs84(SWEREF99_TM);
const swerefBounds = crsDefinition(SWEREF99_TM)?.bounds;

/** "59,62620° N, 16,51460° E" and, inside Sweden's grid, "SWEREF 99 TM N 6 614 123, E 585 432". */
function positionText(position: Position): string {
  const [lon, lat] = position as [number, number];
  const degrees = t("report.position", {
    lat: formatNumber(lat, 5),
    lon: formatNumber(lon, 5),
  });
  const [east, north] = sweref(lon, lat);
  const inSweden =
    swerefBounds !== undefined &&
    east >= swerefBounds.minEasting &&
    east <= swerefBounds.maxEasting &&
    north >= swerefBounds.minNorthing &&
    north <= swerefBounds.maxNorthing;
  return inSweden
    ? `${degrees}; ${t("report.positionSweref", { north: formatNumber(Math.round(north)), east: formatNumber(Math.round(east)) })}`
    : degrees;
}

/** Object URLs of the walk's photos by id (revoked when the report closes). */
function usePhotoUrls(ids: readonly string[]): Map<string, string> | null {
  const [urls, setUrls] = useState<Map<string, string> | null>(null);
  const joined = ids.join(",");
  useEffect(() => {
    let cancelled = false;
    const made = new Map<string, string>();
    void Promise.all(
      ids.map(async (id) => {
        const blob = await db()
          .getPhotoBlob(id)
          .catch(() => undefined);
        if (blob) made.set(id, URL.createObjectURL(blob));
      }),
    ).then(() => {
      if (!cancelled) setUrls(made);
    });
    return () => {
      cancelled = true;
      for (const url of made.values()) URL.revokeObjectURL(url);
    };
  }, [joined]);
  return urls;
}

/** The project's paths near the walk, for the overview map (null while reading). */
function usePathsNear(projectId: string, bbox: Bbox | null): Position[][] | null {
  const [lines, setLines] = useState<Position[][] | null>(null);
  const key = bbox?.join(",") ?? "";
  const layers = projectLayers.value.filter(
    (layer) => layer.projectId === projectId && layer.fields.role === "paths",
  );
  const layerKey = layers.map((layer) => layer.fields.dataId).join(",");
  useEffect(() => {
    if (bbox === null) {
      setLines([]);
      return;
    }
    let cancelled = false;
    void layerLines(layers, bbox).then((found) => {
      if (!cancelled) setLines(found);
    });
    return () => {
      cancelled = true;
    };
  }, [key, layerKey]);
  return lines;
}

export function WalkReport(props: { projectId: string; walkId: string }) {
  const { projectId, walkId } = props;
  const project = currentProject.value;
  const loaded = sitesProjectId.value === projectId;
  const walk = walks.value.find((entry) => entry.id === walkId && !entry.deleted) ?? null;
  const list = loaded
    ? projectObservations.value
        .filter((record) => record.walkId === walkId && !record.deleted && record.fields.geometry)
        .sort((a, b) => a.fields.observedAt - b.fields.observedAt || (a.id < b.id ? -1 : 1))
    : [];
  const positions = list.map((record) => representativePoint(record.fields.geometry!));
  const bbox = boundsOf(positions);
  const photos = usePhotoUrls(list.flatMap((record) => record.fields.photoIds));
  const paths = usePathsNear(projectId, loaded ? bbox : null);
  if (!project || !loaded) {
    return <LoadingScreen back={hrefFor({ screen: "plan", projectId })} />;
  }
  const back = hrefFor({ screen: "plan", projectId });
  if (!walk) {
    return (
      <ReportFrame
        project={project}
        title={t("report.walkTitle")}
        back={back}
        complete
        testId="walk-report"
      >
        <p role="alert">{t("report.walkMissing")}</p>
      </ReportFrame>
    );
  }
  const plan = planState.value;
  const actions =
    plan.state === "done" && plan.projectId === projectId ? plan.candidates.actions : null;
  const now = Date.now();
  const fields = walk.fields;
  const groups = Object.entries(fields.participantsByGroup).filter(([, count]) => count > 0);
  const organisations = Object.entries(fields.participantsByOrganisation).filter(
    ([, count]) => count > 0,
  );
  const times = [fields.startTime, fields.endTime].filter(Boolean).join("–");
  return (
    <ReportFrame
      project={project}
      title={t("report.walkTitle")}
      subtitle={fields.name}
      back={back}
      complete={photos !== null && paths !== null}
      testId="walk-report"
    >
      <section class="report-section" aria-labelledby="walk-facts">
        <h2 id="walk-facts">{t("report.walkFacts")}</h2>
        <dl class="report-facts">
          <dt>{t("report.walkName")}</dt>
          <dd>{fields.name}</dd>
          <dt>{t("report.walkDate")}</dt>
          <dd>
            {calendarDate(fields.date)}
            {times ? `, ${times}` : ""}
          </dd>
          <dt>{t("report.walkArea")}</dt>
          <dd>{fields.areaName || "–"}</dd>
          <dt>{t("participants")}</dt>
          <dd>
            {t("participantsTotal", {
              count: Math.max(
                totalCount(fields.participantsByGroup),
                totalCount(fields.participantsByOrganisation),
              ),
            })}
          </dd>
          {groups.length > 0 && (
            <>
              <dt>{t("participantsByGroup")}</dt>
              <dd>{groups.map(([id, count]) => `${groupLabel(id)} ${count}`).join(", ")}</dd>
            </>
          )}
          {organisations.length > 0 && (
            <>
              <dt>{t("participantsByOrganisation")}</dt>
              <dd>
                {organisations.map(([id, count]) => `${organisationLabel(id)} ${count}`).join(", ")}
              </dd>
            </>
          )}
          <dt>{t("observations")}</dt>
          <dd>{list.length}</dd>
        </dl>
        <p class="report-note">{t("report.walkPrivacy")}</p>
        {fields.note.trim() && <p class="report-note">{fields.note}</p>}
      </section>
      {bbox && (
        <figure class="report-section report-figure">
          <SvgMap
            bbox={bbox}
            testId="walk-report-map"
            label={t("report.walkMapLabel", { count: list.length })}
            aspect={1.5}
            maxHeightPx={700}
            lines={[{ key: "paths", lines: paths ?? [], stroke: "#9aa3ad", widthPx: 2 }]}
            points={list.map((record, i) => ({
              key: record.id,
              position: positions[i]!,
              label: String(i + 1),
              shape: "circle",
              fill: record.fields.severity >= 4 ? "#b3261e" : "#0b5cad",
              radiusPx: 16,
            }))}
          />
          <figcaption>{t("report.walkMapCaption")}</figcaption>
        </figure>
      )}
      <section class="report-section report-break" aria-labelledby="walk-observations">
        <h2 id="walk-observations">{t("report.walkObservations", { count: list.length })}</h2>
        {list.length === 0 && <p>{t("report.walkNone")}</p>}
        <ol class="report-observations">
          {list.map((record, i) => (
            <ObservationEntry
              key={record.id}
              number={i + 1}
              record={record}
              position={positions[i]!}
              photos={photos}
              answers={answersOf(record, actions, now)}
            />
          ))}
        </ol>
        {actions === null && <p class="report-note">{t("report.walkDefaults")}</p>}
      </section>
    </ReportFrame>
  );
}

function ObservationEntry(props: {
  number: number;
  record: ObservationRecord;
  position: Position;
  photos: Map<string, string> | null;
  answers: Answer[];
}) {
  const { record, number } = props;
  const fields = record.fields;
  const unsafe = fields.feltUnsafe.map(groupLabel).join(", ");
  return (
    <li class="report-observation" data-testid="report-observation">
      <h3>
        {number}. {categoryLabel(fields.categoryId)}
      </h3>
      <dl class="report-facts">
        <dt>{t("severity")}</dt>
        <dd>{t("severityLevel", { level: fields.severity })}</dd>
        <dt>{t("report.feltUnsafe")}</dt>
        <dd>{unsafe || "–"}</dd>
        <dt>{t("report.observedAt")}</dt>
        <dd>{dateTime(fields.observedAt)}</dd>
        <dt>{t("report.positionLabel")}</dt>
        <dd>{positionText(props.position)}</dd>
        {fields.illuminanceLux !== null && (
          <>
            <dt>{t("report.measured")}</dt>
            <dd>{formatNumber(fields.illuminanceLux, 1)} lux</dd>
          </>
        )}
        <dt>{t("note")}</dt>
        <dd>{fields.note.trim() || "–"}</dd>
      </dl>
      {props.answers.length > 0 && (
        <table class="report-table report-answers">
          <thead>
            <tr>
              <th scope="col">{t("report.action")}</th>
              <th scope="col">{t("followUp.owner")}</th>
              <th scope="col">{t("report.deadline")}</th>
              <th scope="col">{t("followUp.status")}</th>
            </tr>
          </thead>
          <tbody>
            {props.answers.map((answer) => (
              <tr key={answer.what}>
                <td>{answer.what}</td>
                <td>{t(ownerKey(answer.followUp.owner))}</td>
                <td>
                  {answer.followUp.deadlineAt === null ? "–" : dateTime(answer.followUp.deadlineAt)}
                  {answer.followUp.overdue ? ` ${t("plan.overdue")}` : ""}
                </td>
                <td>{t(statusKey(answer.followUp.status))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {fields.photoIds.length > 0 && (
        <div class="report-photos">
          {fields.photoIds.map((id, i) => {
            const url = props.photos?.get(id);
            return url ? (
              <img key={id} src={url} alt={t("report.photoAlt", { number, index: i + 1 })} />
            ) : (
              <p key={id} class="report-note">
                {t("report.photoMissing", { index: i + 1 })}
              </p>
            );
          })}
        </div>
      )}
    </li>
  );
}
