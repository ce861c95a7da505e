/**
 * Sites: the same place reported by several teams counts once, as stronger evidence. A list
 * that does everything (join, split, open the reports) and a map beside it.
 */
import { useState } from "preact/hooks";
import { findCategory } from "../domain/checklist";
import type { ObservationRecord } from "../domain/observation";
import type { Site } from "../domain/sites";
import { formatDateTime, label, t } from "../state/i18n";
import { hrefFor } from "../state/router";
import { notify } from "../state/session";
import {
  joinTwoSites,
  projectObservations,
  sitesByWeight,
  sitesProjectId,
  splitOffSite,
} from "../state/sites";
import { CHECKLIST, currentProject, GROUPS, walks } from "../state/store";
import { Header, LoadingScreen } from "./Header";
import { SitesMap } from "./SitesMap";

/**
 * Sites listed at a time: a city's thousands of one-report sites would make a list no one
 * can use (and a slow tablet); the strongest evidence comes first.
 */
const PAGE_SIZE = 50;

/** Position of the open site in the list, so one chosen on the map is always listed. */
function openRank(list: readonly Site[], open: string | null): number {
  return open === null ? -1 : list.findIndex((site) => site.id === open);
}

export function groupLabel(id: string): string {
  if (id === GROUPS.everyone.id) return label(GROUPS.everyone.label);
  return label(GROUPS.groups.find((group) => group.id === id)?.label ?? { sv: id, en: id });
}

function categoryGroupLabel(id: string): string {
  const group = CHECKLIST.groups.find((candidate) => candidate.id === id);
  return group ? label(group.label) : id;
}

function categoryLabel(id: string): string {
  const found = findCategory(CHECKLIST, id);
  return found ? label(found.category.label) : id;
}

export function SitesScreen(props: { projectId: string }) {
  const project = currentProject.value;
  const [selected, setSelected] = useState<string[]>([]);
  const [open, setOpen] = useState<string | null>(null);
  const [shown, setShown] = useState(PAGE_SIZE);
  if (!project || sitesProjectId.value !== props.projectId) {
    return <LoadingScreen back={hrefFor({ screen: "project", projectId: props.projectId })} />;
  }
  const list = sitesByWeight.value;
  const repeated = list.filter((site) => site.reportCount > 1).length;
  const byId = new Map(list.map((site) => [site.id, site]));
  const chosen = selected.map((id) => byId.get(id)).filter((site) => site !== undefined);

  const toggle = (id: string, on: boolean) =>
    setSelected((current) =>
      on
        ? [...current.filter((other) => other !== id), id].slice(-2)
        : current.filter((other) => other !== id),
    );

  async function join() {
    const [a, b] = chosen;
    if (!a || !b) return;
    // A site is one kind of problem at one place (src/domain/sites.ts).
    if (a.groupId !== b.groupId) {
      notify(t("sitesJoinOtherGroup"), "error");
      return;
    }
    if (await joinTwoSites(a, b)) setSelected([]);
  }

  return (
    <>
      <Header
        title={`${t("sitesTitle")}: ${project.fields.name}`}
        back={hrefFor({ screen: "project", projectId: props.projectId })}
      />
      <main id="main" class="page sites-page">
        <section class="card" aria-labelledby="sites-heading">
          <h2 id="sites-heading">{t("sitesTitle")}</h2>
          <p class="hint">{t("sitesIntro")}</p>
          <p data-testid="sites-summary">
            {t("sitesSummary", {
              sites: list.length,
              repeated,
              reports: projectObservations.value.length,
            })}
          </p>
          <div class="button-row">
            <button
              type="button"
              class="button button-primary"
              disabled={chosen.length !== 2}
              onClick={() => void join()}
            >
              {t("sitesJoin")}
            </button>
            <span class="muted" aria-live="polite">
              {t("sitesChosen", { count: chosen.length })}
            </span>
          </div>
        </section>
        <SitesMap
          sites={list}
          selectedId={open}
          onSelect={(id) => {
            setOpen(id);
            document.getElementById(`site-${id}`)?.scrollIntoView({ block: "nearest" });
          }}
        />
        {list.length === 0 ? (
          <p class="card">{t("sitesEmpty")}</p>
        ) : (
          <ul class="site-list" aria-label={t("sitesTitle")}>
            {list.slice(0, Math.max(shown, openRank(list, open) + 1)).map((site) => (
              <SiteRow
                key={site.id}
                site={site}
                chosen={selected.includes(site.id)}
                open={open === site.id}
                onChoose={(on) => toggle(site.id, on)}
                onOpen={(on) => setOpen(on ? site.id : null)}
              />
            ))}
          </ul>
        )}
        {list.length > shown && (
          <button type="button" class="button" onClick={() => setShown(shown + PAGE_SIZE)}>
            {t("sitesShowMore", { count: list.length - shown })}
          </button>
        )}
      </main>
    </>
  );
}

function SiteRow(props: {
  site: Site;
  chosen: boolean;
  open: boolean;
  onChoose(on: boolean): void;
  onOpen(on: boolean): void;
}) {
  const { site } = props;
  const [separate, setSeparate] = useState<string[]>([]);
  const members = new Map(
    projectObservations.value
      .filter((record) => site.memberIds.includes(record.id))
      .map((record) => [record.id, record]),
  );
  const title = `${categoryGroupLabel(site.groupId)}: ${site.categoryIds.map(categoryLabel).join(", ")}`;
  const felt = Object.entries(site.feltUnsafe)
    .filter(([, count]) => count > 0)
    .sort(([, a], [, b]) => b - a)
    .map(([group, count]) => `${groupLabel(group)} ${count}`)
    .join(", ");
  const headingId = `site-title-${site.id}`;
  return (
    <li id={`site-${site.id}`} class={`card site-row${props.open ? " site-row-open" : ""}`}>
      <div class="site-row-head">
        <span class={`severity-badge severity-${site.maxSeverity}`} aria-hidden="true">
          {site.reportCount}
        </span>
        <div class="site-row-main">
          <h3 id={headingId} class="site-row-title">
            {title}
          </h3>
          <span class="muted">
            {[
              t("sitesReports", { count: site.reportCount }),
              t("sitesWalks", { count: site.walkCount }),
              t("severityLevel", { level: site.maxSeverity }),
              site.planned ? t("sitesPlanned") : "",
            ]
              .filter(Boolean)
              .join(" · ")}
          </span>
          {felt && (
            <span class="muted">
              {t("feltUnsafe")} {felt}
            </span>
          )}
        </div>
      </div>
      <div class="button-row">
        <label class="tile">
          <input
            type="checkbox"
            checked={props.chosen}
            aria-describedby={headingId}
            onChange={(event) => props.onChoose(event.currentTarget.checked)}
          />
          <span>{t("sitesChoose")}</span>
        </label>
        <button
          type="button"
          class="button"
          aria-expanded={props.open}
          aria-controls={`site-members-${site.id}`}
          aria-describedby={headingId}
          onClick={() => props.onOpen(!props.open)}
        >
          {props.open ? t("sitesHideReports") : t("sitesShowReports")}
        </button>
      </div>
      {props.open && (
        <div id={`site-members-${site.id}`}>
          <ul class="site-members">
            {site.memberIds.map((id) => (
              <MemberRow
                key={id}
                id={id}
                record={members.get(id)}
                canSplit={site.memberIds.length > 1}
                checked={separate.includes(id)}
                onCheck={(on) =>
                  setSeparate((current) =>
                    on ? [...current, id] : current.filter((other) => other !== id),
                  )
                }
              />
            ))}
          </ul>
          {site.memberIds.length > 1 && (
            <button
              type="button"
              class="button"
              disabled={separate.length === 0 || separate.length >= site.memberIds.length}
              onClick={async () => {
                if (await splitOffSite(site, separate)) setSeparate([]);
              }}
            >
              {t("sitesSplit")}
            </button>
          )}
        </div>
      )}
    </li>
  );
}

function MemberRow(props: {
  id: string;
  record: ObservationRecord | undefined;
  canSplit: boolean;
  checked: boolean;
  onCheck(on: boolean): void;
}) {
  const { record } = props;
  if (!record) return null;
  const walk = walks.value.find((candidate) => candidate.id === record.walkId);
  const fields = record.fields;
  const text = [
    categoryLabel(fields.categoryId),
    walk?.fields.name ?? "",
    formatDateTime(fields.observedAt),
    t("severityLevel", { level: fields.severity }),
    fields.photoIds.length > 0 ? `${t("photos")}: ${fields.photoIds.length}` : "",
  ]
    .filter(Boolean)
    .join(" · ");
  return (
    <li class="site-member">
      {props.canSplit ? (
        <label class="tile tile-wide">
          <input
            type="checkbox"
            checked={props.checked}
            onChange={(event) => props.onCheck(event.currentTarget.checked)}
          />
          <span>
            {text}
            {fields.note && <span class="list-row-note">{fields.note}</span>}
          </span>
        </label>
      ) : (
        <p>
          {text}
          {fields.note && <span class="list-row-note">{fields.note}</span>}
        </p>
      )}
      {record.walkId && (
        <a class="button" href={hrefFor({ screen: "walk", walkId: record.walkId, view: "list" })}>
          {t("sitesOpenWalk")}
        </a>
      )}
    </li>
  );
}
