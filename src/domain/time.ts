/**
 * Local time in Sweden. Walk dates and times are entered and shown in Europe/Stockholm
 * whatever the device's own time zone is; instants are stored as epoch ms.
 */
export const SWEDISH_TIME_ZONE = "Europe/Stockholm";

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function localParts(instantMs: number, timeZone = SWEDISH_TIME_ZONE): LocalParts {
  const parts: Record<string, number> = {};
  for (const part of partsFormatter(timeZone).formatToParts(new Date(instantMs))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour! % 24,
    minute: parts.minute!,
    second: parts.second!,
  };
}

/** Offset of the zone from UTC at an instant, in ms (Stockholm: +1 h winter, +2 h summer). */
export function zoneOffsetMs(instantMs: number, timeZone = SWEDISH_TIME_ZONE): number {
  const p = localParts(instantMs, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(instantMs / 1000) * 1000;
}

/**
 * The instant of a local date and time. In the autumn hour that occurs twice the earlier
 * one is returned; a time in the skipped spring hour maps to the hour after.
 */
export function localToInstant(date: string, time: string, timeZone = SWEDISH_TIME_ZONE): number {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const [hour, minute] = (time || "00:00").split(":").map(Number) as [number, number];
  const wallClockAsUtc = Date.UTC(year, month - 1, day, hour, minute);
  // The offset a day before and a day after; they differ only across a daylight-saving change.
  const DAY_MS = 86_400_000;
  const candidates = [
    wallClockAsUtc - zoneOffsetMs(wallClockAsUtc - DAY_MS, timeZone),
    wallClockAsUtc - zoneOffsetMs(wallClockAsUtc + DAY_MS, timeZone),
  ];
  const valid = candidates.filter(
    (instant) => zoneOffsetMs(instant, timeZone) === wallClockAsUtc - instant,
  );
  // Both valid: the repeated autumn hour, take the earlier. None: the skipped spring hour.
  return valid.length > 0 ? Math.min(...valid) : candidates[0]!;
}

const pad = (value: number) => String(value).padStart(2, "0");

/** "HH:MM" in the zone. */
export function formatLocalTime(instantMs: number, timeZone = SWEDISH_TIME_ZONE): string {
  const p = localParts(instantMs, timeZone);
  return `${pad(p.hour)}:${pad(p.minute)}`;
}

/** "YYYY-MM-DD" in the zone. */
export function localDate(instantMs: number, timeZone = SWEDISH_TIME_ZONE): string {
  const p = localParts(instantMs, timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}
