/**
 * The project's sites on a map: one point per site, coloured by its category group and
 * ringed when more than one report describes it (the ring grows with the count).
 */
import type { FeatureCollection } from "geojson";
import { useEffect, useRef } from "preact/hooks";
import type { Site } from "../domain/sites";
import { t } from "../state/i18n";
import { usePanelMap } from "./use-panel-map";

function siteFeatures(sites: readonly Site[]): FeatureCollection {
  return {
    type: "FeatureCollection",
    features: sites.map((site) => ({
      type: "Feature",
      geometry: { type: "Point", coordinates: site.position },
      properties: {
        id: site.id,
        severity: site.maxSeverity,
        group: site.groupId,
        reports: site.reportCount,
      },
    })),
  };
}

export function SitesMap(props: {
  sites: readonly Site[];
  selectedId: string | null;
  onSelect(id: string): void;
}) {
  const container = useRef<HTMLDivElement>(null);
  const { view, loaded, failed } = usePanelMap(container, "sitesMapLabel", props.onSelect);
  const framed = useRef(false);

  useEffect(() => {
    const map = view.current;
    if (!map) return;
    map.setObservations(siteFeatures(props.sites));
    if (!framed.current && props.sites.length > 0) {
      framed.current = true;
      // A loop, not Math.min(...list): a city's thousands of sites would overflow the stack.
      const box = [Infinity, Infinity, -Infinity, -Infinity];
      for (const { position } of props.sites) {
        box[0] = Math.min(box[0]!, position[0]);
        box[1] = Math.min(box[1]!, position[1]);
        box[2] = Math.max(box[2]!, position[0]);
        box[3] = Math.max(box[3]!, position[1]);
      }
      const pad = 0.0005;
      map.fitBounds([box[0]! - pad, box[1]! - pad, box[2]! + pad, box[3]! + pad]);
    }
    void map.whenObservationsDrawn().then(() => {
      container.current?.setAttribute("data-ready", "true");
    });
  }, [props.sites, loaded]);

  useEffect(() => view.current?.setSelected(props.selectedId), [props.selectedId, loaded]);

  return (
    <div class="map-wrap sites-map">
      <div ref={container} class="map" data-testid="sites-map" />
      {failed && <p class="map-message">{t("mapNoWebgl")}</p>}
    </div>
  );
}
