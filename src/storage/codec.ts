/**
 * How records are laid out in IndexedDB. The domain's record (src/domain/record.ts) keeps one
 * clock object per field; stored as such, the clocks are three quarters of a record's bytes
 * and most of the time it takes to read a big walk. On disk the clocks are therefore packed
 * into one flat array with a device table:
 *
 *   p: [PACKED_LAYOUT, deviceCount, ...deviceIds, baseAt,
 *       (key, version, nonce, deviceIndex, at - baseAt, ancestorCount, ...ancestors)
 *       per clock entry]
 *
 * where a key known to CLOCK_KEYS is stored as its index (a small number) and any other as
 * its name. Edits of one record usually share a time, so `at - baseAt` is mostly 0.
 *
 * Reading accepts both forms, so records written unpacked (Lykta 0.0, tests, tools) load.
 * Packages (.lykta) and everything outside storage use the domain's unpacked form.
 */
import type { Clock, FieldClock, SyncedRecord } from "../domain/record";

// DO NOT RENAME: existing tablets hold packed clocks under this property.
const PACKED = "p";
/** Version of the packed layout, its first element. */
const PACKED_LAYOUT = 1;

/**
 * Field names stored as numbers. APPEND ONLY: existing tablets hold clocks under these
 * indexes; never reorder or remove an entry.
 */
const CLOCK_KEYS = [
  "deleted",
  // observation
  "geometry",
  "categoryId",
  "severity",
  "feltUnsafe",
  "note",
  "photoIds",
  "illuminanceLux",
  "observedAt",
  "positionAccuracyM",
  "placement",
  // walk
  "name",
  "areaName",
  "areaPolygon",
  "date",
  "startTime",
  "endTime",
  "participantsByOrganisation",
  "participantsByGroup",
  "lastBackupAt",
  // project
  "organisation",
  // photo
  "mimeType",
  "widthPx",
  "heightPx",
  "byteLength",
  "takenAt",
  // track and chunk
  "startedAt",
  "endedAt",
  "trackId",
  "sequence",
  "points",
  // layer
  "role",
  "poiKind",
  "sourceFile",
  "sourceFormat",
  "sourceCrs",
  "encoding",
  "fieldMapping",
  "featureCount",
  "rejectedCount",
  "dataId",
  "bbox",
  "attribution",
  "importedAt",
  "visible",
] as const;
const CLOCK_KEY_INDEX = new Map<string, number>(CLOCK_KEYS.map((key, index) => [key, index]));

export type StoredRecord = Omit<SyncedRecord, "clock"> & {
  clock?: SyncedRecord["clock"];
  [PACKED]?: (string | number)[];
};

export function packRecord(record: SyncedRecord): StoredRecord {
  const clock = record.clock as Record<string, FieldClock>;
  const keys = Object.keys(clock);
  const devices: string[] = [];
  const deviceIndex = new Map<string, number>();
  const baseAt = keys.length > 0 ? clock[keys[0]!]!.at : 0;
  const entries: (string | number)[] = [];
  for (const key of keys) {
    const entry = clock[key]!;
    let index = deviceIndex.get(entry.by);
    if (index === undefined) {
      index = devices.length;
      devices.push(entry.by);
      deviceIndex.set(entry.by, index);
    }
    const ancestors = entry.ancestors ?? [];
    entries.push(
      CLOCK_KEY_INDEX.get(key) ?? key,
      entry.version,
      entry.nonce,
      index,
      entry.at - baseAt,
      ancestors.length,
      ...ancestors,
    );
  }
  const { clock: _unpacked, ...rest } = record;
  return { ...rest, [PACKED]: [PACKED_LAYOUT, devices.length, ...devices, baseAt, ...entries] };
}

export function unpackRecord(stored: StoredRecord): SyncedRecord {
  const packed = stored[PACKED];
  if (!packed) return stored as SyncedRecord;
  const { [PACKED]: _packed, ...rest } = stored;
  // The clocks are unpacked when first read: showing a walk of thousands of observations
  // needs their fields only; editing or merging one record unpacks that record's clocks.
  let clock: Clock<object> | undefined;
  Object.defineProperty(rest, "clock", {
    enumerable: true,
    configurable: true,
    get() {
      clock ??= unpackClock(packed);
      return clock;
    },
    set(value: Clock<object>) {
      clock = value;
    },
  });
  return rest as SyncedRecord;
}

function unpackClock(packed: (string | number)[]): Clock<object> {
  if (packed[0] !== PACKED_LAYOUT) {
    throw new Error(`unpackClock: packed layout ${packed[0]} is not known to this app`);
  }
  const deviceCount = packed[1] as number;
  const devices = packed.slice(2, 2 + deviceCount) as string[];
  const baseAt = packed[2 + deviceCount] as number;
  const clock: Record<string, FieldClock> = {};
  let i = 3 + deviceCount;
  while (i < packed.length) {
    const stored = packed[i]!;
    const key = typeof stored === "number" ? CLOCK_KEYS[stored]! : stored;
    const ancestorCount = packed[i + 5] as number;
    clock[key] = {
      version: packed[i + 1] as number,
      nonce: packed[i + 2] as number,
      by: devices[packed[i + 3] as number]!,
      at: baseAt + (packed[i + 4] as number),
      ancestors: packed.slice(i + 6, i + 6 + ancestorCount) as number[],
    };
    i += 6 + ancestorCount;
  }
  return clock as Clock<object>;
}

/** Is the record on disk in the packed layout? Older ones are repacked when next read. */
export function isPacked(stored: StoredRecord): boolean {
  return Array.isArray(stored[PACKED]);
}
