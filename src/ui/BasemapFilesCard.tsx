/**
 * Map files for offline use (Settings): load a PMTiles file of the walk area from the
 * tablet's files, list the stored ones with their sizes, show one's area, delete one.
 */
import { useEffect, useState } from "preact/hooks";
import type { BasemapFileInfo, BasemapFileProblem } from "../domain/basemap-file";
import {
  type AddBasemapResult,
  addBasemapFile,
  basemapFiles,
  deleteBasemapFile,
  refreshBasemapFiles,
} from "../state/basemap-files";
import { formatBytes, t } from "../state/i18n";
import { notify } from "../state/session";

const PROBLEM_TEXT: Record<BasemapFileProblem, Parameters<typeof t>[0]> = {
  not_pmtiles: "basemapFileNotPmtiles",
  unsupported_version: "basemapFileNotPmtiles",
  unknown_schema: "basemapFileUnknownSchema",
  unsupported_tiles: "basemapFileUnsupportedTiles",
};

function failureText(name: string, result: Exclude<AddBasemapResult, { ok: true }>): string {
  if ("problem" in result) return t(PROBLEM_TEXT[result.problem], { name });
  if (result.storage === "quota") return t("basemapFileQuota", { name });
  return t("basemapFileFailed", { name, detail: result.detail });
}

export function BasemapFilesCard(props: {
  onStored(file: BasemapFileInfo): void;
  onShowArea(file: BasemapFileInfo): void;
  onDeleted(file: BasemapFileInfo): void;
}) {
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    if (basemapFiles.value === null) void refreshBasemapFiles();
  }, []);
  const files = basemapFiles.value ?? [];

  async function load(input: HTMLInputElement) {
    const file = input.files?.[0];
    input.value = "";
    if (!file) return;
    setBusy(file.name);
    setProblem(null);
    try {
      const result = await addBasemapFile(file);
      if (result.ok) {
        props.onStored(result.info);
        notify(t("basemapFileSaved", { name: file.name }), "success");
      } else {
        setProblem(failureText(file.name, result));
      }
    } finally {
      setBusy(null);
    }
  }

  async function remove(file: BasemapFileInfo) {
    await deleteBasemapFile(file.id);
    props.onDeleted(file);
    notify(t("basemapFileDeleted", { name: file.name }), "success");
  }

  return (
    <section class="card" aria-labelledby="basemap-files-heading">
      <h2 id="basemap-files-heading">{t("basemapFiles")}</h2>
      <p class="hint">{t("basemapFilesIntro")}</p>
      <label class="button file-button">
        {t("basemapFileLoad")}
        <input
          type="file"
          accept=".pmtiles,application/vnd.pmtiles,application/octet-stream"
          class="visually-hidden"
          data-testid="basemap-file-input"
          disabled={busy !== null}
          onChange={(event) => void load(event.currentTarget)}
        />
      </label>
      {busy && (
        <p role="status" aria-live="polite">
          {t("basemapFileSaving", { name: busy })}
        </p>
      )}
      {problem && (
        <p class="field-error" role="alert">
          {problem}
        </p>
      )}
      {files.length === 0 ? (
        <p class="muted">{t("basemapFilesNone")}</p>
      ) : (
        <ul class="link-list" aria-label={t("basemapFiles")}>
          {files.map((file) => (
            <li key={file.id} class="walk-row">
              <span class="list-row-main">
                <span class="list-row-title">{file.name}</span>
                <span class="muted">
                  {t("basemapFileFacts", {
                    size: formatBytes(file.sizeBytes),
                    min: file.minZoom,
                    max: file.maxZoom,
                  })}
                </span>
              </span>
              <div class="button-row">
                <button
                  type="button"
                  class="button"
                  onClick={() => {
                    props.onShowArea(file);
                    notify(t("basemapFileAreaShown", { name: file.name }), "success");
                  }}
                >
                  {t("basemapFileShowArea")}
                </button>
                <button
                  type="button"
                  class="button button-danger"
                  aria-label={t("basemapFileDelete", { name: file.name })}
                  onClick={() => void remove(file)}
                >
                  {t("delete")}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
