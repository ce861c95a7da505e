/**
 * Sunset and darkness for a walk, computed offline with suncalc (BSD-2-Clause), shown in
 * Europe/Stockholm time. Handles the far north: midnight sun (the sun never sets), polar
 * night (it never rises) and light summer nights (it sets but it never gets dark).
 *
 * Definitions (astronomical conventions, as used by suncalc):
 *   sunrise/sunset: the sun's upper limb on the horizon, centre 0.833 degrees below it;
 *   civil dusk/dawn: the sun's centre 6 degrees below the horizon. Between sunset and civil
 *   dusk is twilight; after civil dusk artificial light is needed to see a path clearly.
 */
import { getPosition, getTimes } from "suncalc";
import { localDate, localToInstant, SWEDISH_TIME_ZONE } from "./time";

export type LightCondition = "daylight" | "twilight" | "dark";

export type PolarState = "midnight_sun" | "polar_night" | null;

export interface SunDay {
  /** Local date (Europe/Stockholm), YYYY-MM-DD. */
  date: string;
  sunriseMs: number | null;
  sunsetMs: number | null;
  /** End of civil twilight in the evening: from here it is dark. */
  civilDuskMs: number | null;
  /** Start of civil twilight in the morning. */
  civilDawnMs: number | null;
  polar: PolarState;
  /** The sun sets but never goes 6 degrees below the horizon: a light night. */
  neverDark: boolean;
}

/**
 * Apparent altitude (degrees) that corresponds to the sun's centre 6 degrees below the
 * horizon: suncalc's getPosition adds refraction, which for the sun below the horizon is
 * about 0.48 degrees (suncalc's astroRefraction at h = 0).
 */
const CIVIL_DUSK_APPARENT_ALTITUDE_DEG = -6 + 0.48;

function noonOf(date: string): Date {
  return new Date(localToInstant(date, "12:00", SWEDISH_TIME_ZONE));
}

export function sunDay(date: string, latitude: number, longitude: number): SunDay {
  const times = getTimes(noonOf(date), latitude, longitude);
  const ms = (value: Date | null | undefined) => (value ? value.getTime() : null);
  const polar: PolarState = times.alwaysUp
    ? "midnight_sun"
    : times.alwaysDown
      ? "polar_night"
      : null;
  const nadirAltitude = getPosition(times.nadir, latitude, longitude).altitude;
  const civilDuskMs = ms(times.dusk);
  const neverDark = civilDuskMs === null && nadirAltitude > CIVIL_DUSK_APPARENT_ALTITUDE_DEG;
  return {
    date,
    sunriseMs: ms(times.sunrise),
    sunsetMs: ms(times.sunset),
    civilDuskMs,
    civilDawnMs: ms(times.dawn),
    polar,
    neverDark,
  };
}

/** Light condition at an instant: daylight, twilight (sun down, not yet dark) or dark. */
export function lightConditionAt(
  instantMs: number,
  latitude: number,
  longitude: number,
): LightCondition {
  const day = sunDay(localDate(instantMs), latitude, longitude);
  if (day.polar === "midnight_sun") return "daylight";
  const sunUp =
    day.sunriseMs !== null &&
    day.sunsetMs !== null &&
    instantMs >= day.sunriseMs &&
    instantMs < day.sunsetMs;
  if (sunUp) return "daylight";
  // Sunrise without sunset (or the reverse) on the first/last day of midnight sun.
  if (day.sunriseMs !== null && day.sunsetMs === null && instantMs >= day.sunriseMs)
    return "daylight";
  if (day.sunsetMs !== null && day.sunriseMs === null && instantMs < day.sunsetMs)
    return "daylight";
  if (day.neverDark) return "twilight";
  if (day.civilDawnMs !== null && day.civilDuskMs !== null) {
    return instantMs >= day.civilDawnMs && instantMs < day.civilDuskMs ? "twilight" : "dark";
  }
  // Deep polar night or a day where only one civil crossing happens: ask the altitude.
  const altitude = getPosition(new Date(instantMs), latitude, longitude).altitude;
  return altitude > CIVIL_DUSK_APPARENT_ALTITUDE_DEG ? "twilight" : "dark";
}

export interface WalkDarkness {
  day: SunDay;
  atStart: LightCondition | null;
  atEnd: LightCondition | null;
}

/** Sun and darkness for a walk's date and times at a place. */
export function walkDarkness(
  date: string,
  startTime: string,
  endTime: string,
  latitude: number,
  longitude: number,
): WalkDarkness {
  const day = sunDay(date, latitude, longitude);
  const at = (time: string) =>
    time === "" ? null : lightConditionAt(localToInstant(date, time), latitude, longitude);
  let endInstantDate = date;
  // A walk from 21:00 to 00:30 ends on the next day.
  if (startTime !== "" && endTime !== "" && endTime < startTime) {
    const next = new Date(`${date}T12:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    endInstantDate = next.toISOString().slice(0, 10);
  }
  const atEnd =
    endTime === ""
      ? null
      : lightConditionAt(localToInstant(endInstantDate, endTime), latitude, longitude);
  return { day, atStart: at(startTime), atEnd };
}

/** Night mode "auto": on from sunset to sunrise at the given place. */
export function isAfterSunset(instantMs: number, latitude: number, longitude: number): boolean {
  return lightConditionAt(instantMs, latitude, longitude) !== "daylight";
}
