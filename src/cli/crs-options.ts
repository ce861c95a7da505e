/**
 * The CRS options of the commands (`--crs`, `--from-crs`). Apart from io.ts because they load
 * the CRS code (proj4): `lykta lighting` without --from-crs never loads it (benchmark 8f times
 * the whole process).
 */
import {
  normaliseCrsName,
  parseCrsName,
  SUPPORTED_CRS_TEXT,
  SWEREF99_TM,
  WGS84,
} from "../domain/crs";
import type { OutputCrs } from "../domain/export";
import { CallProblem } from "./io";

/**
 * `--crs`: the CRS to write, WGS84 unless named; Lykta writes WGS84 and SWEREF 99 TM only.
 * `advice` ends the refusal (say, where to reproject further).
 */
export function outputCrs(crs: string | undefined, advice = ""): OutputCrs {
  if (crs === undefined) return WGS84;
  const name = normaliseCrsName(crs);
  if (name === WGS84 || name === SWEREF99_TM) return name;
  throw new CallProblem(
    `--crs ${crs}: Lykta writes EPSG:4326 (WGS84) or EPSG:3006 (SWEREF 99 TM)${advice}`,
  );
}

/** `--from-crs`: the input's CRS when the file does not name it, or undefined when not given. */
export function inputCrs(crs: string | undefined): string | undefined {
  if (crs === undefined) return undefined;
  const parsed = parseCrsName(crs);
  if (parsed === null) {
    throw new CallProblem(
      `--from-crs ${crs}: not a CRS Lykta reads; it reads ${SUPPORTED_CRS_TEXT}`,
    );
  }
  return parsed;
}
