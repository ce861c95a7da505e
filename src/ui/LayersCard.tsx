import { useRef, useState } from "preact/hooks";
import pathClassesData from "../../data/path-classes.json";
import type { ImportIssue } from "../domain/import/types";
import {
  type FieldMapping,
  LAYER_ROLES,
  type LayerRole,
  MAPPABLE_FIELDS,
  POI_KINDS,
  type PoiKind,
} from "../domain/layers";
import { importIssueText } from "../i18n/import-messages";
import type { StringKey } from "../i18n/strings";
import { label, t } from "../state/i18n";
import { analyseFile, discardImport, finaliseImport } from "../state/import-client";
import { deleteLayer, setLayerVisible, storeImportedLayer } from "../state/layers";
import { type LayerRecord, projectLayers } from "../state/store";
import type { ImportSummary } from "../workers/import-protocol";

/** Files the importers read (src/domain/import/index.ts). */
const ACCEPT = ".geojson,.json,.osm,.xml,.gz,.pbf,.csv,.tsv,.txt,.gpx,.kml,.zip,.gpkg";

type Step =
  | { kind: "idle" }
  | { kind: "reading"; fileName: string; fraction: number }
  | { kind: "failed"; file: File; issue: ImportIssue }
  | { kind: "review"; fileName: string; sessionId: number; summary: ImportSummary }
  | { kind: "storing"; fileName: string };

const roleKey = (role: LayerRole) => `layerRole_${role}` as StringKey;
const fieldKey = (field: string) => `layerField_${field}` as StringKey;

function baseName(fileName: string): string {
  return fileName
    .replace(/\.(osm\.pbf|osm\.gz|[a-z0-9]+)$/i, "")
    .replace(/[_-]+/g, " ")
    .trim();
}

function IssueList(props: { issues: ImportIssue[]; total: number; heading: string }) {
  if (props.total === 0) return null;
  return (
    <details class="issues" open={props.total <= 10}>
      <summary>
        {props.heading} ({props.total})
      </summary>
      <ul>
        {props.issues.map((issue, index) => (
          // Text only: a file's contents are never shown as HTML.
          <li key={`${issue.where}-${index}`}>{importIssueText(issue)}</li>
        ))}
      </ul>
      {props.total > props.issues.length && (
        <p class="hint">{t("importMoreIssues", { count: props.total - props.issues.length })}</p>
      )}
    </details>
  );
}

function Review(props: {
  projectId: string;
  fileName: string;
  sessionId: number;
  summary: ImportSummary;
  onDone(): void;
}) {
  const { summary } = props;
  // OSM data (a .osm file, or GeoJSON exported from OSM) holds both paths and street lamps.
  const canSplit = summary.osmLampCount > 0 && summary.geometryCounts.line > 0;
  const [role, setRole] = useState<LayerRole>(summary.suggestedRole);
  const [split, setSplit] = useState(canSplit);
  const [poiKind, setPoiKind] = useState<PoiKind>("other");
  const [name, setName] = useState(baseName(props.fileName));
  const [mappings, setMappings] = useState(summary.mappings);
  const [busy, setBusy] = useState(false);
  const mapping = mappings[role];

  async function accept() {
    setBusy(true);
    const roles: LayerRole[] = split ? ["paths", "lamps"] : [role];
    for (const layerRole of roles) {
      const layer = await finaliseImport(props.sessionId, layerRole, mappings[layerRole], poiKind);
      if (layer.featureCount === 0) continue;
      await storeImportedLayer({
        projectId: props.projectId,
        name: split ? `${name} – ${t(roleKey(layerRole))}` : name,
        sourceFile: props.fileName,
        role: layerRole,
        poiKind: layerRole === "poi" ? poiKind : null,
        mapping: mappings[layerRole],
        summary,
        layer,
      });
    }
    discardImport(props.sessionId);
    setBusy(false);
    props.onDone();
  }

  const setField = (field: string, value: string) =>
    setMappings({
      ...mappings,
      [role]: { ...mapping, [field]: value === "" ? null : value } as FieldMapping,
    });

  return (
    <section class="import-review" aria-labelledby="import-review-heading">
      <h3 id="import-review-heading">{props.fileName}</h3>
      <p role="status">
        {t("importCounts", {
          valid: summary.validCount,
          rejected: summary.rejectedCount,
          total: summary.totalFeatures,
        })}
      </p>
      <p class="hint">
        {t("importSourceInfo", {
          format: summary.format,
          crs: summary.sourceCrs,
          encoding: summary.encoding ?? "–",
        })}
      </p>
      <IssueList
        issues={summary.rejected}
        total={summary.rejectedCount}
        heading={t("importRejected")}
      />
      <IssueList
        issues={summary.repaired}
        total={summary.repairedCount}
        heading={t("importRepaired")}
      />
      {summary.validCount > 0 && (
        <>
          <div class="field">
            <label for="import-name">{t("layerName")}</label>
            <input
              id="import-name"
              value={name}
              onInput={(event) => setName(event.currentTarget.value)}
            />
          </div>
          {canSplit && (
            <label class="tile tile-wide">
              <input
                type="checkbox"
                checked={split}
                onChange={(event) => setSplit(event.currentTarget.checked)}
              />
              <span>{t("importSplitOsm")}</span>
            </label>
          )}
          {!split && (
            <fieldset class="field">
              <legend>{t("layerRole")}</legend>
              <div class="tile-grid">
                {LAYER_ROLES.map((candidate) => (
                  <label
                    key={candidate}
                    class={`tile${role === candidate ? " tile-selected" : ""}`}
                  >
                    <input
                      type="radio"
                      name="import-role"
                      checked={role === candidate}
                      onChange={() => setRole(candidate)}
                    />
                    <span>{t(roleKey(candidate))}</span>
                  </label>
                ))}
              </div>
            </fieldset>
          )}
          {!split && role === "poi" && (
            <div class="field">
              <label for="import-poi-kind">{t("layerPoiKind")}</label>
              <select
                id="import-poi-kind"
                value={poiKind}
                onChange={(event) => setPoiKind(event.currentTarget.value as PoiKind)}
              >
                {POI_KINDS.map((kind) => (
                  <option key={kind} value={kind}>
                    {t(`poiKind_${kind}` as StringKey)}
                  </option>
                ))}
              </select>
            </div>
          )}
          {!split && summary.propertyNames.length > 0 && (
            <fieldset class="field">
              <legend>{t("layerFieldMapping")}</legend>
              <p class="hint">{t("layerFieldMappingHint")}</p>
              {MAPPABLE_FIELDS[role].map((field) => (
                <div class="field mapping-row" key={field}>
                  <label for={`map-${field}`}>{t(fieldKey(field))}</label>
                  <select
                    id={`map-${field}`}
                    value={mapping[field] ?? ""}
                    onChange={(event) => setField(field, event.currentTarget.value)}
                  >
                    <option value="">{t("layerFieldNone")}</option>
                    {summary.propertyNames.map((property) => (
                      <option key={property} value={property}>
                        {property}
                      </option>
                    ))}
                  </select>
                </div>
              ))}
              {role === "paths" && !mapping.pathClass && (
                <p class="hint">
                  {t("layerPathClassDefault", {
                    classes: (
                      pathClassesData as { classes: { label: { sv: string; en: string } }[] }
                    ).classes
                      .map((entry) => label(entry.label))
                      .join(", "),
                  })}
                </p>
              )}
            </fieldset>
          )}
        </>
      )}
      <div class="button-row">
        {summary.validCount > 0 && (
          <button
            type="button"
            class="button button-primary"
            disabled={busy}
            onClick={() => void accept()}
          >
            {t("importAccept", { count: summary.validCount })}
          </button>
        )}
        <button
          type="button"
          class="button"
          disabled={busy}
          onClick={() => {
            discardImport(props.sessionId);
            props.onDone();
          }}
        >
          {t("cancel")}
        </button>
      </div>
    </section>
  );
}

/** EPSG codes a Swedish municipality's files come in (src/domain/crs.ts reads them all). */
const COMMON_CRS = [
  "EPSG:3006",
  ...Array.from({ length: 12 }, (_, index) => `EPSG:${3007 + index}`),
  "EPSG:3021",
  "EPSG:4326",
];

/** A file that could not be read: why, and a second try with a named CRS. */
function ReadAgain(props: {
  file: File;
  issue: ImportIssue;
  onRead(fromCrs: string): void;
  onClose(): void;
}) {
  const suggested = typeof props.issue.params?.crs === "string" ? props.issue.params.crs : "";
  const [crs, setCrs] = useState(suggested || "EPSG:3006");
  return (
    <div class="callout" role="alert">
      <p>
        {props.file.name}: {importIssueText(props.issue)}
      </p>
      <div class="field">
        <label for="import-crs">{t("importCrs")}</label>
        <input
          id="import-crs"
          list="import-crs-list"
          value={crs}
          onInput={(event) => setCrs(event.currentTarget.value)}
        />
        <datalist id="import-crs-list">
          {COMMON_CRS.map((code) => (
            <option key={code} value={code} />
          ))}
        </datalist>
      </div>
      <div class="button-row">
        <button
          type="button"
          class="button button-primary"
          onClick={() => props.onRead(crs.trim())}
        >
          {t("importReadAs", { crs: crs.trim() })}
        </button>
        <button type="button" class="button" onClick={props.onClose}>
          {t("close")}
        </button>
      </div>
    </div>
  );
}

function LayerRow(props: { layer: LayerRecord }) {
  const { layer } = props;
  const fields = layer.fields;
  return (
    <li class="walk-row">
      <span class="list-row-main">
        <span class="list-row-title">{fields.name}</span>
        <span class="muted">
          {[
            fields.role ? t(roleKey(fields.role)) : "",
            t("layerFeatureCount", { count: fields.featureCount }),
            fields.sourceFile,
            fields.sourceCrs,
          ]
            .filter(Boolean)
            .join(" · ")}
        </span>
        {fields.attribution && <span class="muted">{fields.attribution}</span>}
      </span>
      <div class="button-row">
        <label class="tile">
          <input
            type="checkbox"
            checked={fields.visible}
            onChange={(event) => void setLayerVisible(layer, event.currentTarget.checked)}
          />
          <span>{t("layerVisible")}</span>
        </label>
        <button
          type="button"
          class="button button-danger"
          aria-label={`${t("delete")}: ${fields.name}`}
          onClick={() => {
            if (confirm(t("layerDeleteConfirm", { name: fields.name }))) void deleteLayer(layer);
          }}
        >
          {t("delete")}
        </button>
      </div>
    </li>
  );
}

/** The project's context layers: list, import with review, show/hide, delete. */
export function LayersCard(props: { projectId: string }) {
  const [step, setStep] = useState<Step>({ kind: "idle" });
  const input = useRef<HTMLInputElement>(null);
  const layers = projectLayers.value.filter((layer) => layer.projectId === props.projectId);

  async function read(file: File, fromCrs?: string) {
    setStep({ kind: "reading", fileName: file.name, fraction: 0 });
    const outcome = await analyseFile(
      file,
      (fraction) => setStep({ kind: "reading", fileName: file.name, fraction }),
      fromCrs,
    );
    setStep(
      outcome.ok
        ? {
            kind: "review",
            fileName: file.name,
            sessionId: outcome.sessionId,
            summary: outcome.summary,
          }
        : { kind: "failed", file, issue: outcome.issue },
    );
  }

  async function onFile(event: Event) {
    const element = event.currentTarget as HTMLInputElement;
    const file = element.files?.[0];
    element.value = "";
    if (file) await read(file);
  }

  return (
    <section class="card" aria-labelledby="layers-heading">
      <h2 id="layers-heading">{t("layers")}</h2>
      <p class="hint">{t("layersIntro")}</p>
      {layers.length === 0 ? (
        <p>{t("layersNone")}</p>
      ) : (
        <ul class="link-list">
          {layers.map((layer) => (
            <LayerRow key={layer.id} layer={layer} />
          ))}
        </ul>
      )}
      {step.kind === "idle" && (
        <label class="button file-button">
          {t("layerImport")}
          <input
            ref={input}
            type="file"
            accept={ACCEPT}
            class="visually-hidden"
            data-testid="layer-input"
            onChange={onFile}
          />
        </label>
      )}
      {step.kind === "reading" && (
        <div class="field">
          <label for="import-progress">{t("importReading", { name: step.fileName })}</label>
          <progress id="import-progress" max={1} value={step.fraction} />
        </div>
      )}
      {step.kind === "failed" && (
        <ReadAgain
          file={step.file}
          issue={step.issue}
          onRead={(fromCrs) => void read(step.file, fromCrs)}
          onClose={() => setStep({ kind: "idle" })}
        />
      )}
      {step.kind === "review" && (
        <Review
          projectId={props.projectId}
          fileName={step.fileName}
          sessionId={step.sessionId}
          summary={step.summary}
          onDone={() => setStep({ kind: "idle" })}
        />
      )}
    </section>
  );
}
