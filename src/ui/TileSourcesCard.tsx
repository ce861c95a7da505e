/**
 * Own online map sources (Settings): add an XYZ address, a WMTS service (its GetCapabilities
 * address, or a tile template) or a MapLibre style; each says whether its terms allow saving
 * areas for offline use; remove one. Tile grids MapLibre cannot draw are refused with why.
 */
import { useState } from "preact/hooks";
import {
  OSM_MAX_ZOOM,
  SOURCE_MAX_ZOOM,
  type TileSource,
  type TileSourceProblem,
  tileSourceProblem,
} from "../domain/basemap";
import { newId } from "../domain/ids";
import type { WmtsChoice, WmtsProblem } from "../domain/wmts";
import type { StringKey } from "../i18n/strings";
import { t } from "../state/i18n";
import { savedAreas } from "../state/saved-areas";
import { notify } from "../state/session";
import { settings } from "../state/store";
import {
  addTileSource,
  loadCapabilities,
  removeTileSource,
  setOfflineAllowed,
} from "../state/tile-sources";

const SOURCE_PROBLEM_TEXT: Record<TileSourceProblem, StringKey> = {
  not_https: "sourceNotHttps",
  missing_placeholders: "sourceMissingPlaceholders",
  sweref_grid: "basemapSwerefGrid",
  no_name: "sourceNoName",
  no_attribution: "sourceNoAttribution",
  bad_zooms: "sourceBadZooms",
};

export const WMTS_PROBLEM_TEXT: Record<WmtsProblem | "network", StringKey> = {
  not_xml: "wmtsNotCapabilities",
  not_wmts: "wmtsNotCapabilities",
  no_layers: "wmtsNoLayers",
  sweref_grid: "basemapSwerefGrid",
  not_web_mercator: "wmtsNotWebMercator",
  irregular_grid: "wmtsIrregularGrid",
  matrix_names: "wmtsMatrixNames",
  no_image_format: "wmtsNoImageFormat",
  no_tile_address: "wmtsNoTileAddress",
  unknown_grid: "wmtsUnknownGrid",
  not_tile_template: "wmtsNotCapabilities",
  network: "wmtsNetwork",
};

/** Whether a WMTS address is a tile template (else it is read as GetCapabilities). */
function looksLikeTemplate(url: string): boolean {
  return /\{TileMatrix\}|\{z\}|[?&]request=gettile(&|$)/i.test(url);
}

function AddSourceForm(props: { onDone(): void }) {
  const [kind, setKind] = useState<TileSource["kind"]>("xyz");
  const [name, setName] = useState("");
  const [url, setUrl] = useState("");
  const [attribution, setAttribution] = useState("");
  const [maxZoom, setMaxZoom] = useState(String(OSM_MAX_ZOOM));
  const [allowed, setAllowed] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [layers, setLayers] = useState<{ choices: WmtsChoice[]; refused: string[] } | null>(null);
  const [layer, setLayer] = useState(0);

  function finish(source: TileSource) {
    const found = tileSourceProblem(source);
    if (found) {
      setProblem(t(SOURCE_PROBLEM_TEXT[found]));
      return;
    }
    addTileSource(source);
    notify(t("sourceAdded", { name: source.name }), "success");
    props.onDone();
  }

  function base(): TileSource {
    return {
      id: newId(),
      name: name.trim(),
      kind,
      url: url.trim(),
      attribution: attribution.trim(),
      tileSizePx: 256,
      minZoom: 0,
      maxZoom: kind === "style" ? SOURCE_MAX_ZOOM : Number(maxZoom),
      offlineAllowedByUser: kind !== "style" && allowed,
    };
  }

  async function submit(event: Event) {
    event.preventDefault();
    setProblem(null);
    if (kind !== "wmts") {
      finish(base());
      return;
    }
    const chosen = layers?.choices[layer];
    if (chosen) {
      finish({
        ...base(),
        url: chosen.url,
        tileSizePx: chosen.tileSizePx,
        minZoom: chosen.minZoom,
        maxZoom: chosen.maxZoom,
        wmts: {
          capabilitiesUrl: url.trim(),
          layer: chosen.layer,
          tileMatrixSet: chosen.tileMatrixSet,
        },
      });
      return;
    }
    setBusy(true);
    try {
      const { wmtsTemplateToXyz } = await import("../domain/wmts");
      if (looksLikeTemplate(url)) {
        const template = wmtsTemplateToXyz(url);
        if (!template.ok) {
          setProblem(t(WMTS_PROBLEM_TEXT[template.problem]));
          return;
        }
        finish({
          ...base(),
          url: template.url,
          wmts: { capabilitiesUrl: null, layer: "", tileMatrixSet: template.tileMatrixSet },
        });
        return;
      }
      const result = await loadCapabilities(url.trim());
      if (!result.ok) {
        setProblem(t(WMTS_PROBLEM_TEXT[result.problem], { url: url.trim() }));
        return;
      }
      const refused = result.refused.map((item) =>
        t("wmtsLayerRefused", { layer: item.title, reason: t(WMTS_PROBLEM_TEXT[item.problem]) }),
      );
      setLayers({ choices: result.choices, refused });
      setLayer(0);
      if (!attribution.trim() && result.provider) setAttribution(`© ${result.provider}`);
      if (!name.trim() && result.choices[0]) setName(result.choices[0].title);
      if (result.choices.length === 0) setProblem(refused.join(" "));
    } finally {
      setBusy(false);
    }
  }

  const kinds: [TileSource["kind"], StringKey][] = [
    ["xyz", "sourceKindXyz"],
    ["wmts", "sourceKindWmts"],
    ["style", "sourceKindStyle"],
  ];
  const wmtsReading = kind === "wmts" && !layers;
  return (
    <form class="inline-form" onSubmit={(event) => void submit(event)} noValidate>
      <fieldset class="field">
        <legend>{t("sourceKind")}</legend>
        {kinds.map(([value, text]) => (
          <label key={value} class="tile tile-wide">
            <input
              type="radio"
              name="source-kind"
              checked={kind === value}
              onChange={() => {
                setKind(value);
                setLayers(null);
                setProblem(null);
              }}
            />
            <span>{t(text)}</span>
          </label>
        ))}
      </fieldset>
      <div class="field">
        <label for="source-url">{t("basemapUrl")}</label>
        <p class="hint" id="source-url-hint">
          {t(
            kind === "xyz"
              ? "sourceUrlHintXyz"
              : kind === "wmts"
                ? "sourceUrlHintWmts"
                : "sourceUrlHintStyle",
          )}
        </p>
        <input
          id="source-url"
          type="url"
          inputMode="url"
          value={url}
          aria-describedby="source-url-hint"
          placeholder={
            kind === "xyz"
              ? "https://…/{z}/{x}/{y}.png"
              : kind === "wmts"
                ? "https://…?service=wmts&request=getcapabilities"
                : "https://…/style.json"
          }
          onInput={(event) => {
            setUrl(event.currentTarget.value);
            setLayers(null);
          }}
        />
      </div>
      {layers && layers.choices.length > 0 && (
        <div class="field">
          <label for="source-layer">{t("wmtsLayer")}</label>
          <select
            id="source-layer"
            value={String(layer)}
            onChange={(event) => setLayer(Number(event.currentTarget.value))}
          >
            {layers.choices.map((choice, index) => (
              <option key={choice.layer} value={String(index)}>
                {t("wmtsLayerChoice", {
                  title: choice.title,
                  set: choice.tileMatrixSet,
                  min: choice.minZoom,
                  max: choice.maxZoom,
                })}
              </option>
            ))}
          </select>
          {layers.refused.length > 0 && <p class="hint">{layers.refused.join(" ")}</p>}
        </div>
      )}
      <div class="field">
        <label for="source-name">{t("sourceName")}</label>
        <input
          id="source-name"
          value={name}
          onInput={(event) => setName(event.currentTarget.value)}
        />
      </div>
      <div class="field">
        <label for="source-attribution">{t("basemapAttribution")}</label>
        <input
          id="source-attribution"
          value={attribution}
          placeholder="© …"
          onInput={(event) => setAttribution(event.currentTarget.value)}
        />
      </div>
      {kind === "xyz" && (
        <div class="field">
          <label for="source-max-zoom">{t("sourceMaxZoom")}</label>
          <input
            id="source-max-zoom"
            type="number"
            inputMode="numeric"
            min="0"
            max={String(SOURCE_MAX_ZOOM)}
            value={maxZoom}
            onInput={(event) => setMaxZoom(event.currentTarget.value)}
          />
        </div>
      )}
      {kind !== "style" && (
        <label class="tile tile-wide">
          <input
            type="checkbox"
            checked={allowed}
            onChange={(event) => setAllowed(event.currentTarget.checked)}
          />
          <span>{t("sourceOfflineAllowed")}</span>
        </label>
      )}
      {problem && (
        <p class="field-error" role="alert">
          {problem}
        </p>
      )}
      <div class="button-row">
        <button type="submit" class="button button-primary" disabled={busy}>
          {wmtsReading && !looksLikeTemplate(url) ? t("wmtsReadLayers") : t("sourceAdd")}
        </button>
        <button type="button" class="button" onClick={props.onDone}>
          {t("cancel")}
        </button>
      </div>
    </form>
  );
}

export function TileSourcesCard() {
  const [adding, setAdding] = useState(false);
  const sources = settings.value.tileSources;
  const areas = savedAreas.value ?? [];
  return (
    <section class="card" aria-labelledby="sources-heading">
      <h2 id="sources-heading">{t("sources")}</h2>
      <p class="hint">{t("sourcesIntro")}</p>
      {sources.length === 0 ? (
        <p class="muted">{t("sourcesNone")}</p>
      ) : (
        <ul class="link-list" aria-label={t("sources")}>
          {sources.map((source) => {
            const areaCount = areas.filter((area) => area.source.id === source.id).length;
            return (
              <li key={source.id} class="walk-row">
                <span class="list-row-main">
                  <span class="list-row-title">{source.name}</span>
                  <span class="muted">
                    {t(`sourceKindShort_${source.kind}`)} · {source.attribution}
                  </span>
                  {source.kind !== "style" && (
                    <label class="tile tile-wide">
                      <input
                        type="checkbox"
                        checked={source.offlineAllowedByUser}
                        onChange={(event) =>
                          setOfflineAllowed(source.id, event.currentTarget.checked)
                        }
                      />
                      <span>{t("sourceOfflineAllowedShort")}</span>
                    </label>
                  )}
                </span>
                <button
                  type="button"
                  class="button button-danger"
                  aria-label={t("sourceDelete", { name: source.name })}
                  onClick={() => {
                    if (areaCount > 0) {
                      notify(t("sourceHasAreas", { name: source.name, count: areaCount }), "error");
                      return;
                    }
                    removeTileSource(source.id);
                    notify(t("sourceDeleted", { name: source.name }), "success");
                  }}
                >
                  {t("delete")}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {adding ? (
        <AddSourceForm onDone={() => setAdding(false)} />
      ) : (
        <button type="button" class="button" onClick={() => setAdding(true)}>
          {t("sourceAddOpen")}
        </button>
      )}
    </section>
  );
}
