import { describe, expect, it } from "vitest";
import { isAfterSunset, lightConditionAt, sunDay, walkDarkness } from "./sun";
import { formatLocalTime, localDate, localToInstant } from "./time";

const STOCKHOLM = { lat: 59.3293, lon: 18.0686 };
const KIRUNA = { lat: 67.8558, lon: 20.2253 };
const UMEA = { lat: 63.8258, lon: 20.263 };
const MALMO = { lat: 55.605, lon: 13.0038 };

/** Minutes between a computed instant and an almanac "HH:MM" on the same local date. */
function minutesOff(instantMs: number | null, date: string, almanac: string): number {
  if (instantMs === null) return Number.POSITIVE_INFINITY;
  return Math.abs(instantMs - localToInstant(date, almanac)) / 60_000;
}

describe("sunset and darkness, Europe/Stockholm time", () => {
  // Reference times from NOAA's solar calculator equations (Meeus), computed independently of
  // suncalc; they agree with published almanacs to the minute. Allowed difference: 3 minutes.
  it.each([
    ["Stockholm midwinter", STOCKHOLM, "2026-12-21", "08:43", "14:48"],
    ["Stockholm midsummer", STOCKHOLM, "2026-06-21", "03:31", "22:08"],
    ["Malmö autumn (after the clock change)", MALMO, "2026-11-01", "07:14", "16:29"],
  ])("%s", (_name, place, date, sunrise, sunset) => {
    const day = sunDay(date, place.lat, place.lon);
    expect(minutesOff(day.sunriseMs, date, sunrise)).toBeLessThan(3);
    expect(minutesOff(day.sunsetMs, date, sunset)).toBeLessThan(3);
    expect(day.polar).toBe(null);
  });

  it("knows the midnight sun in Kiruna in June", () => {
    const day = sunDay("2026-06-21", KIRUNA.lat, KIRUNA.lon);
    expect(day.polar).toBe("midnight_sun");
    expect(day.sunsetMs).toBe(null);
    expect(lightConditionAt(localToInstant("2026-06-21", "23:59"), KIRUNA.lat, KIRUNA.lon)).toBe(
      "daylight",
    );
  });

  it("knows the polar night in Kiruna in December", () => {
    const day = sunDay("2026-12-21", KIRUNA.lat, KIRUNA.lon);
    expect(day.polar).toBe("polar_night");
    expect(day.sunriseMs).toBe(null);
    // Around noon there is twilight, in the evening it is dark.
    expect(lightConditionAt(localToInstant("2026-12-21", "11:45"), KIRUNA.lat, KIRUNA.lon)).toBe(
      "twilight",
    );
    expect(lightConditionAt(localToInstant("2026-12-21", "18:00"), KIRUNA.lat, KIRUNA.lon)).toBe(
      "dark",
    );
  });

  it("knows light summer nights in Umeå: the sun sets but it never gets dark", () => {
    const day = sunDay("2026-06-21", UMEA.lat, UMEA.lon);
    expect(day.polar).toBe(null);
    expect(day.sunsetMs).not.toBe(null);
    expect(day.neverDark).toBe(true);
    expect(lightConditionAt(localToInstant("2026-06-22", "00:30"), UMEA.lat, UMEA.lon)).toBe(
      "twilight",
    );
  });

  it("classifies a November evening walk in Stockholm as dark", () => {
    const result = walkDarkness("2026-11-24", "18:00", "20:00", STOCKHOLM.lat, STOCKHOLM.lon);
    expect(result.atStart).toBe("dark");
    expect(result.atEnd).toBe("dark");
    expect(formatLocalTime(result.day.sunsetMs!)).toMatch(/^15:0\d$/);
  });

  it("handles a walk that ends after midnight", () => {
    const result = walkDarkness("2026-08-15", "21:00", "00:30", STOCKHOLM.lat, STOCKHOLM.lon);
    expect(result.atStart).toBe("twilight");
    expect(result.atEnd).toBe("dark");
  });

  it("turns night mode on after sunset only", () => {
    expect(isAfterSunset(localToInstant("2026-11-21", "12:00"), STOCKHOLM.lat, STOCKHOLM.lon)).toBe(
      false,
    );
    expect(isAfterSunset(localToInstant("2026-11-21", "16:00"), STOCKHOLM.lat, STOCKHOLM.lon)).toBe(
      true,
    );
  });
});

describe("Stockholm local time", () => {
  it("uses +01:00 in winter and +02:00 in summer", () => {
    expect(new Date(localToInstant("2026-01-15", "18:00")).toISOString()).toBe(
      "2026-01-15T17:00:00.000Z",
    );
    expect(new Date(localToInstant("2026-07-15", "18:00")).toISOString()).toBe(
      "2026-07-15T16:00:00.000Z",
    );
  });

  it("formats instants as local date and time", () => {
    const instant = Date.parse("2026-03-29T00:30:00Z"); // DST starts 01:00 UTC that day
    expect(localDate(instant)).toBe("2026-03-29");
    expect(formatLocalTime(instant)).toBe("01:30");
    expect(formatLocalTime(Date.parse("2026-03-29T01:30:00Z"))).toBe("03:30");
  });

  it("picks the earlier instant in the repeated autumn hour", () => {
    expect(new Date(localToInstant("2026-10-25", "02:30")).toISOString()).toBe(
      "2026-10-25T00:30:00.000Z",
    );
  });
});
