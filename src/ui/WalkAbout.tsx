import { useEffect, useState } from "preact/hooks";
import { representativePosition } from "../domain/geometry";
import { totalCount } from "../domain/groups";
import { type LightCondition, walkDarkness } from "../domain/sun";
import { formatLocalTime } from "../domain/time";
import { trackPoints } from "../domain/track";
import type { WalkFields, WalkRecord } from "../domain/walk";
import { deleteWalk, patchWalk, saveBackup, saveWalk } from "../state/actions";
import { deleteTrack } from "../state/gps";
import { formatDateTime, label, t } from "../state/i18n";
import { hrefFor, navigate } from "../state/router";
import {
  changedSinceBackup,
  GROUPS,
  gps,
  mapCenter,
  ORGANISATIONS,
  observations,
  trackChunks,
  tracks,
} from "../state/store";
import { BackupFileInput, reasonText } from "./Field";
import { WalkFieldsForm } from "./ProjectScreen";
import { drawWalkArea } from "./walk-actions";

/** Where to compute the sun for: area outline, observations, my position, or the map. */
function sunPlace(
  walk: WalkRecord,
): { lat: number; lon: number; source: Parameters<typeof t>[0] } | null {
  if (walk.fields.areaPolygon) {
    const [lon, lat] = representativePosition(walk.fields.areaPolygon);
    return { lon: lon!, lat: lat!, source: "sunPlaceArea" };
  }
  const list = observations.value;
  if (list.length > 0) {
    let lon = 0;
    let lat = 0;
    for (const observation of list) {
      const [x, y] = representativePosition(observation.fields.geometry!);
      lon += x!;
      lat += y!;
    }
    return { lon: lon / list.length, lat: lat / list.length, source: "sunPlaceObservations" };
  }
  const fix = gps.value.fix;
  if (fix) return { lon: fix.lon, lat: fix.lat, source: "sunPlaceGps" };
  const center = mapCenter.value;
  if (center) return { lon: center[0], lat: center[1], source: "sunPlaceMap" };
  return null;
}

function SunInfo(props: { walk: WalkRecord }) {
  const place = sunPlace(props.walk);
  const { date, startTime, endTime } = props.walk.fields;
  if (!place) return null;
  const info = walkDarkness(date, startTime, endTime, place.lat, place.lon);
  const time = (ms: number | null) => (ms === null ? "–" : formatLocalTime(ms));
  const condition = (value: LightCondition | null) => (value ? t(`condition_${value}`) : "–");
  return (
    <section class="card" aria-labelledby="sun-heading">
      <h2 id="sun-heading">{t("sunTitle")}</h2>
      {info.day.polar === "midnight_sun" && <p class="callout">{t("midnightSun")}</p>}
      {info.day.polar === "polar_night" && <p class="callout">{t("polarNight")}</p>}
      {info.day.neverDark && <p class="callout">{t("neverDark")}</p>}
      <dl class="facts">
        {info.day.polar === null && (
          <>
            <div>
              <dt>{t("sunset")}</dt>
              <dd data-testid="sunset">{time(info.day.sunsetMs)}</dd>
            </div>
            <div>
              <dt>{t("civilDusk")}</dt>
              <dd>{time(info.day.civilDuskMs)}</dd>
            </div>
            <div>
              <dt>{t("sunrise")}</dt>
              <dd>{time(info.day.sunriseMs)}</dd>
            </div>
          </>
        )}
        <div>
          <dt>{t("walkStart")}</dt>
          <dd>{t("lightAtStart", { condition: condition(info.atStart) })}</dd>
        </div>
        <div>
          <dt>{t("walkEnd")}</dt>
          <dd>{t("lightAtEnd", { condition: condition(info.atEnd) })}</dd>
        </div>
      </dl>
      {info.atStart === "daylight" && <p class="callout">{t("walkInDaylightWarning")}</p>}
      <p class="hint">{t("sunPlace", { place: t(place.source) })}</p>
    </section>
  );
}

function Counter(props: {
  id: string;
  label: string;
  value: number;
  onChange(value: number): void;
}) {
  return (
    <div class="counter">
      <span id={`${props.id}-label`} class="counter-label">
        {props.label}
      </span>
      <button
        type="button"
        class="button button-icon"
        aria-label={t("decrease", { label: props.label })}
        disabled={props.value <= 0}
        onClick={() => props.onChange(Math.max(0, props.value - 1))}
      >
        −
      </button>
      <output class="counter-value" aria-labelledby={`${props.id}-label`} aria-live="polite">
        {props.value}
      </output>
      <button
        type="button"
        class="button button-icon"
        aria-label={t("increase", { label: props.label })}
        onClick={() => props.onChange(props.value + 1)}
      >
        +
      </button>
    </div>
  );
}

function Participants(props: { walk: WalkRecord }) {
  const { participantsByOrganisation: byOrganisation, participantsByGroup: byGroup } =
    props.walk.fields;
  const set = (
    key: "participantsByOrganisation" | "participantsByGroup",
    id: string,
    value: number,
  ) => patchWalk(props.walk.id, { [key]: { ...props.walk.fields[key], [id]: value } });
  return (
    <section class="card" aria-labelledby="participants-heading">
      <h2 id="participants-heading">{t("participants")}</h2>
      <p class="hint">{t("participantsIntro")}</p>
      <div class="counter-columns">
        <fieldset>
          <legend>{t("participantsByOrganisation")}</legend>
          {ORGANISATIONS.organisations.map((organisation) => (
            <Counter
              key={organisation.id}
              id={`org-${organisation.id}`}
              label={label(organisation.label)}
              value={byOrganisation[organisation.id] ?? 0}
              onChange={(value) => set("participantsByOrganisation", organisation.id, value)}
            />
          ))}
          <p>{t("participantsTotal", { count: totalCount(byOrganisation) })}</p>
        </fieldset>
        <fieldset>
          <legend>{t("participantsByGroup")}</legend>
          {GROUPS.groups.map((group) => (
            <Counter
              key={group.id}
              id={`group-${group.id}`}
              label={label(group.label)}
              value={byGroup[group.id] ?? 0}
              onChange={(value) => set("participantsByGroup", group.id, value)}
            />
          ))}
        </fieldset>
      </div>
    </section>
  );
}

function Tracks() {
  const list = tracks.value;
  const chunks = trackChunks.value;
  return (
    <section class="card" aria-labelledby="tracks-heading">
      <h2 id="tracks-heading">{t("tracks")}</h2>
      {list.length === 0 ? (
        <p>{t("noTracks")}</p>
      ) : (
        <ul class="link-list">
          {list.map((track) => {
            const points = trackPoints(chunks, track.id);
            return (
              <li key={track.id} class="walk-row">
                <span>
                  {t("trackItem", {
                    start: formatLocalTime(track.fields.startedAt),
                    end: track.fields.endedAt ? formatLocalTime(track.fields.endedAt) : "…",
                    count: points.length,
                  })}
                </span>
                <button
                  type="button"
                  class="button button-danger"
                  onClick={async () => {
                    if (confirm(t("trackDeleteConfirm"))) await deleteTrack(track.id);
                  }}
                >
                  {t("trackDelete")}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function Backup(props: { walk: WalkRecord }) {
  const last = props.walk.fields.lastBackupAt;
  return (
    <section class="card" aria-labelledby="backup-heading">
      <h2 id="backup-heading">{t("backup")}</h2>
      <p>{last === null ? t("backupNever") : t("backupLast", { when: formatDateTime(last) })}</p>
      {changedSinceBackup.value && <p class="callout">{t("backupStale")}</p>}
      <div class="button-row">
        <button
          type="button"
          class="button button-primary"
          onClick={() => void saveBackup(props.walk.id)}
        >
          {t("backupSave")}
        </button>
        <BackupFileInput testId="backup-input" />
      </div>
    </section>
  );
}

export function WalkAbout(props: { walk: WalkRecord }) {
  const { walk } = props;
  const [fields, setFields] = useState<WalkFields>(walk.fields);
  const [errors, setErrors] = useState<Record<string, string>>({});
  useEffect(() => setFields(walk.fields), [walk]);

  async function submit(event: Event) {
    event.preventDefault();
    const result = await saveWalk(walk.projectId, fields, walk.id);
    setErrors(result.ok ? {} : ((result.errors ?? {}) as Record<string, string>));
  }

  return (
    <div class="about">
      <section class="card" aria-labelledby="walk-details-heading">
        <h2 id="walk-details-heading">{t("walkDetails")}</h2>
        <form onSubmit={submit} noValidate>
          <WalkFieldsForm idPrefix="walk" value={fields} errors={errors} onChange={setFields} />
          <div class="field">
            <label for="walk-note">{t("walkNote")}</label>
            <textarea
              id="walk-note"
              rows={2}
              value={fields.note}
              onInput={(event) => setFields({ ...fields, note: event.currentTarget.value })}
            />
            {errors.note && <p class="field-error">{reasonText(errors.note)}</p>}
          </div>
          <button type="submit" class="button button-primary">
            {t("save")}
          </button>
        </form>
        <h3>{t("walkAreaPolygon")}</h3>
        <div class="button-row">
          {walk.fields.areaPolygon && <span class="chip">{t("walkAreaPolygonSet")}</span>}
          <button
            type="button"
            class="button"
            onClick={() => {
              navigate({ screen: "walk", walkId: walk.id, view: "map" });
              setTimeout(() => void drawWalkArea(walk.id), 50);
            }}
          >
            {t("walkAreaPolygonDraw")}
          </button>
          {walk.fields.areaPolygon && (
            <button
              type="button"
              class="button"
              onClick={() => void patchWalk(walk.id, { areaPolygon: null })}
            >
              {t("walkAreaPolygonRemove")}
            </button>
          )}
          {walk.fields.areaPolygon && (
            <a class="button" href={hrefFor({ screen: "offlineArea", walkId: walk.id })}>
              {t("areaSaveForWalk")}
            </a>
          )}
        </div>
      </section>
      <SunInfo walk={walk} />
      <Participants walk={walk} />
      <Backup walk={walk} />
      <Tracks />
      <section class="card" aria-labelledby="danger-heading">
        <h2 id="danger-heading">{t("deleteWalk")}</h2>
        <button
          type="button"
          class="button button-danger"
          onClick={async () => {
            if (
              !confirm(
                t("deleteWalkConfirm", {
                  name: walk.fields.name,
                  count: observations.value.length,
                }),
              )
            )
              return;
            if (await deleteWalk(walk.id))
              navigate({ screen: "project", projectId: walk.projectId });
          }}
        >
          {t("deleteWalk")}
        </button>
      </section>
    </div>
  );
}
