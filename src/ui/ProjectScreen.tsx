import { useState } from "preact/hooks";
import { localDate } from "../domain/time";
import { sortWalks, type WalkFields, type WalkRecord } from "../domain/walk";
import {
  blankWalkFields,
  deleteWalk,
  saveProject,
  saveProjectPackage,
  saveWalk,
} from "../state/actions";
import { t } from "../state/i18n";
import { hrefFor, navigate } from "../state/router";
import { projectObservations, sites } from "../state/sites";
import { currentProject, lastMerge, walkCounts, walks } from "../state/store";
import { ConflictsCard } from "./ConflictsCard";
import { ExportCard } from "./ExportCard";
import { BackupFileInput, describedBy, Field, reasonText } from "./Field";
import { Header, LoadingScreen } from "./Header";
import { LayersCard } from "./LayersCard";
import { PlanCard } from "./plan/PlanCard";
import { SyncCard } from "./sync/SyncCard";

export function ProjectScreen(props: { projectId: string }) {
  const project = currentProject.value;
  const projectWalks = sortWalks(walks.value.filter((walk) => walk.projectId === props.projectId));
  if (!project) {
    return <LoadingScreen back={hrefFor({ screen: "home" })} />;
  }
  return (
    <>
      <Header title={project.fields.name} back={hrefFor({ screen: "home" })} />
      <main id="main" class="page">
        <section class="card" aria-labelledby="walks-heading">
          <h2 id="walks-heading">{t("walks")}</h2>
          {projectWalks.length === 0 ? (
            <p>{t("noWalks")}</p>
          ) : (
            <ul class="link-list">
              {projectWalks.map((walk) => (
                <WalkRow key={walk.id} walk={walk} count={walkCounts.value[walk.id] ?? 0} />
              ))}
            </ul>
          )}
        </section>
        <NewWalkForm projectId={project.id} />
        <SitesCard projectId={project.id} />
        <LightingCard projectId={project.id} />
        <PlanCard projectId={project.id} />
        <SyncCard projectId={project.id} />
        <ShareCard projectId={project.id} />
        <ConflictsCard />
        <LayersCard projectId={project.id} />
        <ExportCard project={project} />
        <RenameProject
          projectId={project.id}
          name={project.fields.name}
          organisation={project.fields.organisation}
        />
      </main>
    </>
  );
}

function WalkRow(props: { walk: WalkRecord; count: number }) {
  const { walk } = props;
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(walk.fields.name);
  const [error, setError] = useState<string | undefined>();
  const inputId = `rename-${walk.id}`;

  async function rename(event: Event) {
    event.preventDefault();
    const result = await saveWalk(walk.projectId, { ...walk.fields, name }, walk.id);
    if (!result.ok) {
      setError((result.errors as Record<string, string> | undefined)?.name);
      return;
    }
    setError(undefined);
    setRenaming(false);
  }

  async function remove() {
    if (!confirm(t("deleteWalkConfirm", { name: walk.fields.name, count: props.count }))) return;
    await deleteWalk(walk.id);
  }

  return (
    <li class="walk-row">
      {renaming ? (
        <form class="inline-form" onSubmit={rename} noValidate>
          <Field id={inputId} label={t("renameWalk")} error={reasonText(error)}>
            <input
              id={inputId}
              value={name}
              aria-invalid={error ? true : undefined}
              aria-describedby={describedBy(inputId, undefined, error)}
              onInput={(event) => setName(event.currentTarget.value)}
            />
          </Field>
          <div class="button-row">
            <button type="submit" class="button button-primary">
              {t("save")}
            </button>
            <button type="button" class="button" onClick={() => setRenaming(false)}>
              {t("cancel")}
            </button>
          </div>
        </form>
      ) : (
        <>
          <a class="list-link" href={hrefFor({ screen: "walk", walkId: walk.id, view: "map" })}>
            <span class="list-link-title">{walk.fields.name}</span>
            <span class="muted">
              {[
                walk.fields.date,
                walk.fields.startTime && `${walk.fields.startTime}–${walk.fields.endTime}`,
                walk.fields.areaName,
              ]
                .filter(Boolean)
                .join(" · ")}
            </span>
            <span class="muted">{t("observationsCount", { count: props.count })}</span>
          </a>
          <div class="button-row">
            <button
              type="button"
              class="button"
              aria-label={`${t("rename")}: ${walk.fields.name}`}
              onClick={() => setRenaming(true)}
            >
              {t("rename")}
            </button>
            <button
              type="button"
              class="button button-danger"
              aria-label={`${t("delete")}: ${walk.fields.name}`}
              onClick={remove}
            >
              {t("delete")}
            </button>
          </div>
        </>
      )}
    </li>
  );
}

export function WalkFieldsForm(props: {
  idPrefix: string;
  value: WalkFields;
  errors: Record<string, string>;
  onChange(next: WalkFields): void;
}) {
  const { value, errors, idPrefix } = props;
  const input = (
    key: "name" | "areaName" | "date" | "startTime" | "endTime",
    labelKey: Parameters<typeof t>[0],
    type: "text" | "date" | "time",
    hint?: string,
  ) => {
    const id = `${idPrefix}-${key}`;
    return (
      <Field id={id} label={t(labelKey)} hint={hint} error={reasonText(errors[key])}>
        <input
          id={id}
          type={type as "text"}
          value={value[key]}
          autocomplete="off"
          aria-invalid={errors[key] ? true : undefined}
          aria-describedby={describedBy(id, hint, errors[key])}
          onInput={(event) => props.onChange({ ...value, [key]: event.currentTarget.value })}
        />
      </Field>
    );
  };
  return (
    <>
      {input("name", "walkName", "text")}
      {input("areaName", "walkArea", "text", t("walkAreaHint"))}
      <div class="field-row">
        {input("date", "walkDate", "date")}
        {input("startTime", "walkStart", "time")}
        {input("endTime", "walkEnd", "time")}
      </div>
    </>
  );
}

function NewWalkForm(props: { projectId: string }) {
  const [fields, setFields] = useState<WalkFields>(() => blankWalkFields(localDate(Date.now())));
  const [errors, setErrors] = useState<Record<string, string>>({});
  async function create(event: Event) {
    event.preventDefault();
    const result = await saveWalk(props.projectId, fields);
    if (!result.ok) {
      setErrors((result.errors ?? {}) as Record<string, string>);
      return;
    }
    setErrors({});
    setFields(blankWalkFields(localDate(Date.now())));
    navigate({ screen: "walk", walkId: result.value.id, view: "map" });
  }
  return (
    <section class="card" aria-labelledby="new-walk-heading">
      <h2 id="new-walk-heading">{t("newWalk")}</h2>
      <form onSubmit={create} noValidate>
        <WalkFieldsForm idPrefix="new-walk" value={fields} errors={errors} onChange={setFields} />
        <button type="submit" class="button button-primary">
          {t("createWalk")}
        </button>
      </form>
    </section>
  );
}

function RenameProject(props: { projectId: string; name: string; organisation: string }) {
  const [name, setName] = useState(props.name);
  const [organisation, setOrganisation] = useState(props.organisation);
  const [error, setError] = useState<string | undefined>();
  async function submit(event: Event) {
    event.preventDefault();
    const result = await saveProject({ name, organisation }, props.projectId);
    setError(result.ok ? undefined : (result.errors as Record<string, string> | undefined)?.name);
  }
  return (
    <details class="card">
      <summary>{t("rename")}</summary>
      <form onSubmit={submit} noValidate>
        <Field id="project-rename" label={t("projectName")} error={reasonText(error)}>
          <input
            id="project-rename"
            value={name}
            onInput={(event) => setName(event.currentTarget.value)}
          />
        </Field>
        <Field id="project-rename-organisation" label={t("projectOrganisation")}>
          <input
            id="project-rename-organisation"
            value={organisation}
            onInput={(event) => setOrganisation(event.currentTarget.value)}
          />
        </Field>
        <button type="submit" class="button">
          {t("save")}
        </button>
      </form>
    </details>
  );
}

/** How many places several teams reported; the way into the sites view. */
function SitesCard(props: { projectId: string }) {
  const list = sites.value;
  const repeated = list.filter((site) => site.reportCount > 1).length;
  return (
    <section class="card" aria-labelledby="sites-card-heading">
      <h2 id="sites-card-heading">{t("sitesTitle")}</h2>
      <p>
        {t("sitesSummary", {
          sites: list.length,
          repeated,
          reports: projectObservations.value.length,
        })}
      </p>
      <a class="button" href={hrefFor({ screen: "sites", projectId: props.projectId })}>
        {t("sitesOpen")}
      </a>
    </section>
  );
}

/** Hand the project to other tablets, and merge what they send back. */
function ShareCard(props: { projectId: string }) {
  return (
    <section class="card" aria-labelledby="share-heading">
      <h2 id="share-heading">{t("shareTitle")}</h2>
      <p class="hint">{t("shareIntro")}</p>
      <div class="button-row">
        <button
          type="button"
          class="button"
          onClick={() => void saveProjectPackage(props.projectId)}
        >
          {t("shareSaveProject")}
        </button>
        <BackupFileInput testId="project-merge-input" label={t("shareMerge")} multiple />
      </div>
      <p role="status" data-testid="merge-summary">
        {lastMerge.value?.projectIds.includes(props.projectId) ? lastMerge.value.text : ""}
      </p>
    </section>
  );
}

/** The way into the lighting analysis of the project's paths and lamps. */
function LightingCard(props: { projectId: string }) {
  return (
    <section class="card" aria-labelledby="lighting-card-heading">
      <h2 id="lighting-card-heading">{t("lightingTitle")}</h2>
      <p>{t("lightingCardIntro")}</p>
      <a class="button" href={hrefFor({ screen: "lighting", projectId: props.projectId })}>
        {t("lightingOpen")}
      </a>
    </section>
  );
}
