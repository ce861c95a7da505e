import { localToInstant } from "../domain/time";
import { redo, saveBackup, undo } from "../state/actions";
import { clearWalkedLine, startGps, startTrack, stopTrack } from "../state/gps";
import { t } from "../state/i18n";
import { hrefFor } from "../state/router";
import {
  changedSinceBackup,
  currentWalk,
  editor,
  gps,
  history,
  mapMode,
  recording,
  wakeLock,
  walkedLine,
} from "../state/store";
import { Header } from "./Header";
import { MapPanel } from "./MapPanel";
import { ObservationForm } from "./ObservationForm";
import { ObservationList } from "./ObservationList";
import { WalkAbout } from "./WalkAbout";
import {
  addAtMyPosition,
  cancelDrawing,
  drawObservation,
  finishDrawing,
  finishGeometryEdit,
  toggleWalkedLine,
} from "./walk-actions";

function GpsStatus() {
  const state = gps.value;
  if (state.error === "denied") return <p class="banner banner-warning">{t("gpsDenied")}</p>;
  if (state.error === "unsupported")
    return <p class="banner banner-warning">{t("gpsUnsupported")}</p>;
  if (state.fix) {
    return (
      <span class="chip" data-testid="gps-chip">
        {t("gpsAccuracy", { meters: Math.round(state.fix.accuracyM) })}
      </span>
    );
  }
  if (state.watching) return <span class="chip">{t("gpsWaiting")}</span>;
  return (
    <button type="button" class="button button-small" onClick={startGps}>
      {t("gpsStart")}
    </button>
  );
}

function ModeBanner() {
  const mode = mapMode.value;
  if (mode.kind === "drawing") {
    const hint =
      mode.draw === "point"
        ? t("drawPointHint")
        : mode.draw === "line"
          ? t("drawLineHint")
          : t("drawPolygonHint");
    return (
      <div class="banner banner-mode" role="status">
        <span>{hint}</span>
        <div class="button-row">
          {mode.draw !== "point" && (
            <button type="button" class="button button-primary" onClick={finishDrawing}>
              {t("done")}
            </button>
          )}
          <button type="button" class="button" onClick={cancelDrawing}>
            {t("drawCancel")}
          </button>
        </div>
      </div>
    );
  }
  if (mode.kind === "editing") {
    return (
      <div class="banner banner-mode" role="status">
        <span>{t("editGeometryHint")}</span>
        <div class="button-row">
          <button
            type="button"
            class="button button-primary"
            onClick={() => void finishGeometryEdit(true)}
          >
            {t("done")}
          </button>
          <button type="button" class="button" onClick={() => void finishGeometryEdit(false)}>
            {t("cancel")}
          </button>
        </div>
      </div>
    );
  }
  return null;
}

function WalkingBanner(props: { walkId: string }) {
  const line = walkedLine.value;
  const track = recording.value;
  if (!line && !track) return null;
  return (
    <div class="banner banner-recording" role="status">
      {track && <span>● {t("trackRecording", { count: track.points })}</span>}
      {line && editor.value?.initial?.placement !== "walked" && (
        <>
          <span>{t("walkLineHint", { count: line.points.length })}</span>
          <div class="button-row">
            <button
              type="button"
              class="button button-primary"
              onClick={() => void toggleWalkedLine(props.walkId, true)}
            >
              {t("walkLineStop")}
            </button>
            <button type="button" class="button" onClick={() => void clearWalkedLine()}>
              {t("cancel")}
            </button>
          </div>
        </>
      )}
      {wakeLock.value === "on" && <span class="muted">{t("wakeLockOn")}</span>}
      {wakeLock.value === "unavailable" && <span class="muted">{t("wakeLockUnavailable")}</span>}
    </div>
  );
}

function BackupReminder(props: { walkId: string; date: string; endTime: string }) {
  if (!changedSinceBackup.value || !props.endTime) return null;
  const endMs = localToInstant(props.date, props.endTime);
  if (Date.now() < endMs) return null;
  return (
    <div class="banner banner-warning" role="status">
      <span>{t("backupRemind")}</span>
      <button
        type="button"
        class="button button-primary"
        onClick={() => void saveBackup(props.walkId)}
      >
        {t("backupSave")}
      </button>
    </div>
  );
}

export function WalkScreen(props: { walkId: string; view: "map" | "list" | "about" }) {
  // The map mounts at once, while the walk's records are still being read: both take time,
  // and a big walk opens faster when they run side by side.
  const walk = currentWalk.value;
  const view = props.view;
  const idle = mapMode.value.kind === "idle";
  const walking = walkedLine.value !== null;
  const tab = (target: "map" | "list" | "about", text: string) => (
    <a
      class={`tab${view === target ? " tab-current" : ""}`}
      href={hrefFor({ screen: "walk", walkId: props.walkId, view: target })}
      aria-current={view === target ? "page" : undefined}
    >
      {text}
    </a>
  );
  const editorState = walk ? editor.value : null;
  // The action bar keeps its place while a form is open or a geometry is drawn, so the map
  // does not resize (and redraw) on every form.
  const actionsInert = !walk || !idle || editorState !== null;
  // Status, drawing and recording banners: over the map, or above the list.
  const overlays = (
    <div class="walk-overlays">
      <div class="walk-status">
        <GpsStatus />
        {walk && (
          <BackupReminder walkId={walk.id} date={walk.fields.date} endTime={walk.fields.endTime} />
        )}
      </div>
      <ModeBanner />
      <WalkingBanner walkId={props.walkId} />
    </div>
  );
  return (
    <div class="walk-screen">
      <Header
        title={walk ? walk.fields.name : t("loading")}
        back={hrefFor(walk ? { screen: "project", projectId: walk.projectId } : { screen: "home" })}
      >
        <nav class="tabs" aria-label={t("walkDetails")}>
          {tab("map", t("mapView"))}
          {tab("list", t("observationList"))}
          {tab("about", t("walkDetails"))}
        </nav>
        <button
          type="button"
          class="button button-icon"
          aria-label={t("undo")}
          title={t("undo")}
          disabled={history.value.undo.length === 0}
          onClick={() => void undo()}
        >
          <span aria-hidden="true">↶</span>
        </button>
        <button
          type="button"
          class="button button-icon"
          aria-label={t("redo")}
          title={t("redo")}
          disabled={history.value.redo.length === 0}
          onClick={() => void redo()}
        >
          <span aria-hidden="true">↷</span>
        </button>
      </Header>
      <main
        id="main"
        class={`walk walk-${view}${editorState ? " walk-with-sheet" : ""}`}
        aria-busy={walk ? undefined : true}
      >
        {view !== "map" && overlays}
        <div class="walk-body">
          <MapPanel hidden={view !== "map"} />
          {view === "map" && overlays}
          {walk && view === "list" && (
            <div class="page page-scroll">
              <ObservationList />
            </div>
          )}
          {walk && view === "about" && (
            <div class="page page-scroll">
              <WalkAbout walk={walk} />
            </div>
          )}
        </div>
        {view !== "about" && (
          <nav
            class={`actionbar${actionsInert ? " actionbar-inert" : ""}`}
            aria-label={t("newObservation")}
            inert={actionsInert}
            aria-hidden={actionsInert ? true : undefined}
          >
            <button
              type="button"
              class="button button-primary button-large"
              onClick={addAtMyPosition}
            >
              <span aria-hidden="true" class="plus-sign">
                +
              </span>
              {t("addHere")}
            </button>
            {view === "map" && (
              <>
                <button
                  type="button"
                  class="button button-large"
                  onClick={() => void drawObservation("point")}
                >
                  {t("drawPoint")}
                </button>
                <button
                  type="button"
                  class="button button-large"
                  onClick={() => void drawObservation("line")}
                >
                  {t("drawLine")}
                </button>
                <button
                  type="button"
                  class="button button-large"
                  onClick={() => void drawObservation("polygon")}
                >
                  {t("drawPolygon")}
                </button>
              </>
            )}
            {!walking && (
              <button
                type="button"
                class="button button-large"
                onClick={() => void toggleWalkedLine(props.walkId, false)}
              >
                {t("walkLine")}
              </button>
            )}
            <button
              type="button"
              class={`button button-large${recording.value ? " button-recording" : ""}`}
              aria-pressed={recording.value !== null}
              onClick={() => void (recording.value ? stopTrack() : startTrack(props.walkId))}
            >
              {recording.value ? t("trackStop") : t("trackStart")}
            </button>
          </nav>
        )}
        {walk && editorState && (
          // Over the whole walk area, the (inert) action bar included.
          <aside class="sheet" aria-label={t("observation")}>
            <ObservationForm key={editorState.id} walkId={walk.id} editor={editorState} />
          </aside>
        )}
      </main>
    </div>
  );
}
