/**
 * How records are laid out in IndexedDB. The domain's record (src/domain/record.ts) keeps one
 * clock object per field; stored as such, the clocks are three quarters of a record's bytes
 * and most of the time it takes to read a big walk. On disk the clocks are therefore packed
 * into one flat array with a device table:
 *
 *   p: [deviceCount, ...deviceIds, (key, version, nonce, deviceIndex, at, ancestorCount,
 *       ...ancestors) per clock entry]
 *
 * Reading accepts both forms, so records written unpacked (Lykta 0.0, tests, tools) load.
 * Packages (.lykta) and everything outside storage use the domain's unpacked form.
 */
import type { Clock, FieldClock, SyncedRecord } from "../domain/record";

// DO NOT RENAME: existing tablets hold packed clocks under this property.
const PACKED = "p";

export type StoredRecord = Omit<SyncedRecord, "clock"> & {
  clock?: SyncedRecord["clock"];
  [PACKED]?: (string | number)[];
};

export function packRecord(record: SyncedRecord): StoredRecord {
  const clock = record.clock as Record<string, FieldClock>;
  const devices: string[] = [];
  const deviceIndex = new Map<string, number>();
  const entries: (string | number)[] = [];
  for (const key of Object.keys(clock)) {
    const entry = clock[key]!;
    let index = deviceIndex.get(entry.by);
    if (index === undefined) {
      index = devices.length;
      devices.push(entry.by);
      deviceIndex.set(entry.by, index);
    }
    const ancestors = entry.ancestors ?? [];
    entries.push(key, entry.version, entry.nonce, index, entry.at, ancestors.length, ...ancestors);
  }
  const { clock: _unpacked, ...rest } = record;
  return { ...rest, [PACKED]: [devices.length, ...devices, ...entries] };
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
  const deviceCount = packed[0] as number;
  const devices = packed.slice(1, 1 + deviceCount) as string[];
  const clock: Record<string, FieldClock> = {};
  let i = 1 + deviceCount;
  while (i < packed.length) {
    const key = packed[i] as string;
    const ancestorCount = packed[i + 5] as number;
    clock[key] = {
      version: packed[i + 1] as number,
      nonce: packed[i + 2] as number,
      by: devices[packed[i + 3] as number]!,
      at: packed[i + 4] as number,
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
