/**
 * What both printable reports share: the app's header and a print button on screen (both
 * hidden in print, styles/print.css), the document's head (organisation, project, title,
 * date), and `data-ready` once every image in it has loaded, so printing (a person's or the
 * end-to-end test's) never catches a photo or a map half drawn.
 */
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { ProjectRecord } from "../../domain/project";
import { t } from "../../state/i18n";
import { Header } from "../Header";
import { locale } from "../plan/format";

/** Today (or an instant) as a long Swedish date: "12 mars 2027". */
export function longDate(epochMs: number): string {
  return new Intl.DateTimeFormat(locale(), {
    timeZone: "Europe/Stockholm",
    dateStyle: "long",
  }).format(new Date(epochMs));
}

/** A walk's YYYY-MM-DD as a long date (read as a calendar date, no time zone shift). */
export function calendarDate(date: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return date;
  return new Intl.DateTimeFormat(locale(), { timeZone: "UTC", dateStyle: "long" }).format(
    new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))),
  );
}

export function ReportFrame(props: {
  project: ProjectRecord;
  /** Screen title and document title. */
  title: string;
  subtitle?: string;
  back: string;
  /** Everything the report needs is computed and rendered (images may still load). */
  complete: boolean;
  testId: string;
  children: ComponentChildren;
}) {
  const article = useRef<HTMLElement>(null);
  const [imagesReady, setImagesReady] = useState(false);
  useEffect(() => {
    if (!props.complete) return;
    let cancelled = false;
    const images = [...(article.current?.querySelectorAll("img") ?? [])];
    void Promise.all(images.map((image) => image.decode().catch(() => undefined))).then(() => {
      if (!cancelled) setImagesReady(true);
    });
    return () => {
      cancelled = true;
    };
  }, [props.complete]);
  // The title names the PDF a browser saves ("Underlag till belysningsstrategi – Projekt").
  useEffect(() => {
    const before = document.title;
    document.title = `${props.title} – ${props.subtitle ?? props.project.fields.name}`;
    return () => {
      document.title = before;
    };
  }, [props.title, props.subtitle, props.project.fields.name]);
  const organisation = props.project.fields.organisation.trim();
  return (
    <>
      <Header title={props.title} back={props.back} />
      <main id="main" class="page report-page">
        <div class="report-toolbar">
          <p class="hint">{t("report.printHint")}</p>
          <button
            type="button"
            class="button button-primary"
            data-testid="report-print"
            disabled={!props.complete}
            onClick={() => window.print()}
          >
            {t("report.print")}
          </button>
        </div>
        <article
          ref={article}
          class="report"
          data-testid={props.testId}
          data-ready={props.complete && imagesReady ? "true" : "false"}
          aria-busy={!props.complete}
        >
          <header class="report-head">
            <p class="report-org">
              {organisation ? `${organisation} · ` : ""}
              {props.project.fields.name}
            </p>
            <h1>{props.title}</h1>
            {props.subtitle && <p class="report-subtitle">{props.subtitle}</p>}
            <p class="report-date">
              {t("report.printedOn", { date: longDate(Date.now()) })} · {t("report.madeWith")}
            </p>
          </header>
          {props.children}
        </article>
      </main>
    </>
  );
}
