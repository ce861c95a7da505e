/**
 * MapLibre reads stored basemap files (PMTiles) through a protocol of its own:
 * `lykta-pmtiles://<file id>` answers with TileJSON, `lykta-pmtiles://<file id>/{z}/{x}/{y}`
 * with a tile. The bytes come from the stored File by slice(), through the pmtiles library's
 * FileSource: nothing is fetched, so the map works with no network.
 */
import { addProtocol } from "maplibre-gl";
import { FileSource, PMTiles } from "pmtiles";

export const PMTILES_PROTOCOL = "lykta-pmtiles";

/** The TileJSON address of a stored file, for a source's `url`. */
export function basemapFileUrl(fileId: string): string {
  return `${PMTILES_PROTOCOL}://${encodeURIComponent(fileId)}`;
}

const ADDRESS = /^lykta-pmtiles:\/\/([^/]+)(?:\/(\d+)\/(\d+)\/(\d+))?$/;

const archives = new Map<string, Promise<PMTiles | null>>();
let opener: ((fileId: string) => Promise<File | null>) | null = null;

/** Forget an opened file (it was deleted or replaced). */
export function forgetBasemapFile(fileId: string): void {
  archives.delete(fileId);
}

function archiveOf(fileId: string): Promise<PMTiles | null> {
  let archive = archives.get(fileId);
  if (!archive) {
    const open = opener;
    archive = open
      ? open(fileId).then((file) => (file ? new PMTiles(new FileSource(file)) : null))
      : Promise.resolve(null);
    // A file that could not be opened is tried again next time.
    void archive.then((found) => {
      if (!found) archives.delete(fileId);
    });
    archives.set(fileId, archive);
  }
  return archive;
}

/** Register the protocol once; `open` finds a stored file by id. */
export function registerPmtilesProtocol(open: (fileId: string) => Promise<File | null>): void {
  if (opener) {
    opener = open;
    return;
  }
  opener = open;
  addProtocol(PMTILES_PROTOCOL, async (params, abortController) => {
    const match = ADDRESS.exec(params.url);
    if (!match) throw new Error(`Not a basemap file address: ${params.url}`);
    const fileId = decodeURIComponent(match[1]!);
    const archive = await archiveOf(fileId);
    if (!archive) throw new Error(`The basemap file ${fileId} is not stored on this device`);
    if (match[2] === undefined) {
      const header = await archive.getHeader();
      return {
        data: {
          tilejson: "3.0.0",
          tiles: [`${basemapFileUrl(fileId)}/{z}/{x}/{y}`],
          minzoom: header.minZoom,
          maxzoom: header.maxZoom,
          bounds: [header.minLon, header.minLat, header.maxLon, header.maxLat],
        },
      };
    }
    const tile = await archive.getZxy(
      Number(match[2]),
      Number(match[3]),
      Number(match[4]),
      abortController.signal,
    );
    // No tile here (sea, or outside the area): an empty vector tile.
    return { data: tile ? new Uint8Array(tile.data) : new Uint8Array(0) };
  });
}
