/**
 * Basemap files on this device: load a PMTiles file the person picked, list, open and delete
 * stored ones. The bytes never share a database or a transaction with walk data
 * (src/storage/basemap-files.ts).
 */
import { signal } from "@preact/signals";
import {
  type BasemapFileInfo,
  type BasemapFileProblem,
  basemapSchemaOf,
  describeBasemapFile,
  type PmtilesHeaderFacts,
} from "../domain/basemap-file";
import { newId } from "../domain/ids";
import { BasemapFileStore } from "../storage/basemap-files";
import type { StorageErrorKind } from "../storage/errors";
import { refreshStorageInfo, requestPersistence } from "./storage-info";

/** A store opened on first use and kept; a failed open is tried again next time. */
export function openedOnce<Store>(open: () => Promise<Store>): () => Promise<Store> {
  let opened: Promise<Store> | null = null;
  return () => {
    opened ??= open().catch((error) => {
      opened = null;
      throw error;
    });
    return opened;
  };
}

const store = openedOnce(() => BasemapFileStore.open());

/** The stored map files, oldest first; null until read. */
export const basemapFiles = signal<BasemapFileInfo[] | null>(null);

export async function refreshBasemapFiles(): Promise<void> {
  try {
    basemapFiles.value = await (await store()).list();
  } catch (error) {
    console.warn("Lykta: map files cannot be listed", error);
    basemapFiles.value = [];
  }
}

/** The stored file, for MapLibre to read tiles from (src/map/pmtiles-protocol.ts). */
export async function openStoredBasemapFile(fileId: string): Promise<File | null> {
  try {
    return await (await store()).open(fileId);
  } catch (error) {
    console.warn("Lykta: a map file cannot be opened", error);
    return null;
  }
}

export type AddBasemapResult =
  | { ok: true; info: BasemapFileInfo; storeMs: number }
  | { ok: false; problem: BasemapFileProblem }
  | { ok: false; storage: StorageErrorKind; detail: string };

/**
 * Read a picked file's header and metadata, recognise its schema, and store it. Asks for
 * persistent storage once a file is stored: a map of the walk area is what the team needs
 * when there is no network, and a browser under pressure would otherwise clear it.
 */
export async function addBasemapFile(file: File): Promise<AddBasemapResult> {
  const { FileSource, PMTiles } = await import("pmtiles");
  let header: PmtilesHeaderFacts;
  let metadata: unknown;
  try {
    const archive = new PMTiles(new FileSource(file));
    header = await archive.getHeader();
    metadata = await archive.getMetadata();
  } catch {
    return { ok: false, problem: "not_pmtiles" };
  }
  const recognised = basemapSchemaOf(header, metadata);
  if (!recognised.ok) return { ok: false, problem: recognised.problem };
  const started = performance.now();
  const result = await (await store()).save(
    {
      id: newId(),
      name: file.name,
      sizeBytes: file.size,
      storedAt: Date.now(),
      ...describeBasemapFile(header, metadata, recognised.schema),
    },
    file,
  );
  const storeMs = performance.now() - started;
  performance.measure("lykta:basemap-file-stored", { start: started, duration: storeMs });
  await refreshBasemapFiles();
  if (!result.ok) {
    await refreshStorageInfo();
    return { ok: false, storage: result.reason, detail: result.error.message };
  }
  await requestPersistence(true);
  await refreshStorageInfo();
  return { ok: true, info: result.info, storeMs };
}

export async function deleteBasemapFile(fileId: string): Promise<void> {
  await (await store()).delete(fileId);
  await refreshBasemapFiles();
  await refreshStorageInfo();
}
