/**
 * MapLibre reads the tiles of an own online source through a protocol of Lykta's,
 * `lykta-tiles://<source id>/{z}/{x}/{y}`: a tile saved in an area (src/storage/saved-areas.ts)
 * comes from the device, any other from the source's own address when there is a network.
 * So a saved area draws with no network, and outside it the map shows its background.
 * Tiles fetched while looking are not stored: only areas the team chose to save are.
 */
import { addProtocol } from "maplibre-gl";
import { type TileId, tileUrl } from "../domain/tiles";

export const TILES_PROTOCOL = "lykta-tiles";

const ADDRESS = /^lykta-tiles:\/\/([^/]+)\/(\d+)\/(\d+)\/(\d+)$/;

/** The source's own tile address, by source id. */
const templates = new Map<string, string>();
let reader:
  | ((sourceId: string, tile: TileId) => Promise<{ bytes: ArrayBuffer } | undefined>)
  | null = null;

/** The tiles address for a source's MapLibre `tiles`; remembers its own address. */
export function savedTilesUrl(sourceId: string, template: string): string {
  templates.set(sourceId, template);
  return `${TILES_PROTOCOL}://${encodeURIComponent(sourceId)}/{z}/{x}/{y}`;
}

/** Register the protocol once; `read` finds a saved tile. */
export function registerTilesProtocol(
  read: (sourceId: string, tile: TileId) => Promise<{ bytes: ArrayBuffer } | undefined>,
): void {
  const first = reader === null;
  reader = read;
  if (!first) return;
  addProtocol(TILES_PROTOCOL, async (params, abortController) => {
    const match = ADDRESS.exec(params.url);
    if (!match) throw new Error(`Not a tile address: ${params.url}`);
    const sourceId = decodeURIComponent(match[1]!);
    const tile = { z: Number(match[2]), x: Number(match[3]), y: Number(match[4]) };
    const saved = await reader?.(sourceId, tile);
    if (saved) return { data: saved.bytes };
    const template = templates.get(sourceId);
    // Offline, a tile outside the saved areas is simply not there: no request to fail.
    if (!template || (typeof navigator !== "undefined" && navigator.onLine === false)) {
      throw new Error(`Tile ${tile.z}/${tile.x}/${tile.y} is not saved on this device`);
    }
    const response = await fetch(tileUrl(template, tile), { signal: abortController.signal });
    if (!response.ok)
      throw new Error(`Tile ${tile.z}/${tile.x}/${tile.y}: HTTP ${response.status}`);
    return { data: await response.arrayBuffer() };
  });
}
