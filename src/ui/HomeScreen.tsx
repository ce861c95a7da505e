import { useState } from "preact/hooks";
import { saveProject } from "../state/actions";
import { t } from "../state/i18n";
import { hrefFor, navigate } from "../state/router";
import { storeSettings } from "../state/settings";
import { projects, settings } from "../state/store";
import { syncNow } from "../state/sync";
import { BackupFileInput, describedBy, Field, reasonText } from "./Field";
import { Header } from "./Header";
import { Onboarding } from "./Onboarding";
import { ConnectForm } from "./sync/ConnectForm";

export function HomeScreen() {
  const [name, setName] = useState("");
  const [organisation, setOrganisation] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  async function create(event: Event) {
    event.preventDefault();
    setBusy(true);
    const result = await saveProject({ name, organisation });
    setBusy(false);
    if (!result.ok) {
      setErrors((result.errors ?? {}) as Record<string, string>);
      return;
    }
    setErrors({});
    setName("");
    setOrganisation("");
    navigate({ screen: "project", projectId: result.value.id });
  }

  const showOnboarding = !settings.value.onboarded;
  return (
    <>
      <Header title={t("appName")} />
      <main id="main" class="page">
        {showOnboarding && (
          <Onboarding
            onDone={() => {
              const next = { ...settings.value, onboarded: true };
              settings.value = next;
              storeSettings(next);
            }}
          />
        )}
        <section aria-labelledby="projects-heading" class="card">
          <h2 id="projects-heading">{t("projects")}</h2>
          <p class="muted">{t("projectsIntro")}</p>
          {projects.value.length === 0 ? (
            <p>{t("noProjects")}</p>
          ) : (
            <ul class="link-list">
              {projects.value.map((project) => (
                <li key={project.id}>
                  <a class="list-link" href={hrefFor({ screen: "project", projectId: project.id })}>
                    <span class="list-link-title">{project.fields.name}</span>
                    {project.fields.organisation && (
                      <span class="muted">{project.fields.organisation}</span>
                    )}
                  </a>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="new-project-heading" class="card">
          <h2 id="new-project-heading">{t("newProject")}</h2>
          <form onSubmit={create} noValidate>
            <Field id="project-name" label={t("projectName")} error={reasonText(errors.name)}>
              <input
                id="project-name"
                value={name}
                autocomplete="off"
                aria-invalid={errors.name ? true : undefined}
                aria-describedby={describedBy("project-name", undefined, errors.name)}
                onInput={(event) => setName(event.currentTarget.value)}
              />
            </Field>
            <Field
              id="project-organisation"
              label={t("projectOrganisation")}
              error={reasonText(errors.organisation)}
            >
              <input
                id="project-organisation"
                value={organisation}
                autocomplete="organization"
                onInput={(event) => setOrganisation(event.currentTarget.value)}
              />
            </Field>
            <button type="submit" class="button button-primary" disabled={busy}>
              {t("createProject")}
            </button>
          </form>
        </section>
        <section aria-labelledby="join-server-heading" class="card">
          <h2 id="join-server-heading">{t("sync.joinTitle")}</h2>
          <p class="hint">{t("sync.joinIntro")}</p>
          <ConnectForm
            idPrefix="join-server"
            onConnected={(projectId) => {
              // The project arrives with the first sync; open it once it is here.
              void syncNow(projectId).then(() => navigate({ screen: "project", projectId }));
            }}
          />
        </section>
        <section aria-labelledby="load-file-heading" class="card">
          <h2 id="load-file-heading">{t("backupRestore")}</h2>
          <p class="hint">{t("backupRestoreHint")}</p>
          <BackupFileInput testId="home-backup-input" />
        </section>
        <footer class="page-footer">
          <a href={hrefFor({ screen: "accessibility" })}>{t("accessibility")}</a>
          <span>{t("version", { version: __APP_VERSION__ })}</span>
        </footer>
      </main>
    </>
  );
}
