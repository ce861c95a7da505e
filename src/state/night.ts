/** Night mode: on, off, or automatic from sunset at the team's position. */
import { computed, signal } from "@preact/signals";
import { isAfterSunset } from "../domain/sun";
import { gps, mapCenter, settings } from "./store";

/** Stockholm, used for "auto" before any position is known. */
const FALLBACK_PLACE: [number, number] = [18.07, 59.33];

/** Ticks every minute so "auto" follows the sunset. */
const minute = signal(Date.now());
if (typeof window !== "undefined") setInterval(() => (minute.value = Date.now()), 60_000);

export const isNight = computed(() => {
  const mode = settings.value.nightMode;
  if (mode === "on") return true;
  if (mode === "off") return false;
  const fix = gps.value.fix;
  const [lon, lat] = fix
    ? [fix.lon, fix.lat]
    : (mapCenter.value ?? settings.value.lastView?.center ?? FALLBACK_PLACE);
  return isAfterSunset(minute.value, lat, lon);
});
