/**
 * Lighting targets per path class (data/lighting-classes.json): the EN 13201-2 P classes,
 * and for each path class its target P class and its importance. Passed in, as every data
 * file is (the domain imports no data): the CLI and the app's worker import the JSON.
 */

/** One P class of EN 13201-2:2015, table 3 (maintained values on the walking surface). */
export interface PClass {
  id: string;
  /** Maintained average horizontal illuminance, lux: the average must be at least this. */
  averageLux: number;
  /** Maintained minimum horizontal illuminance, lux. */
  minimumLux: number;
}

export interface PathClassTarget {
  /** A P class id, or null: no target (reported, never judged). */
  targetClass: string | null;
  /** Weight of a metre of dark path of this class in rankings (gaps, candidate lamps). */
  importance: number;
  why?: string;
}

export interface LightingClassesFile {
  formatVersion: number;
  description?: string;
  standard?: string;
  pClasses: PClass[];
  /** Path class id (data/path-classes.json) -> target; "unclassified" for paths with none. */
  pathClasses: Record<string, PathClassTarget>;
}

/** The key of paths without a class, in the file and in summaries. */
export const UNCLASSIFIED = "unclassified";

/** Why a classes file cannot be used, or null. Programmer-facing: the file ships with the app. */
export function lightingClassesProblem(file: LightingClassesFile): string | null {
  if (file.formatVersion !== 1) return `formatVersion ${file.formatVersion} is not 1`;
  const ids = new Set<string>();
  for (const pClass of file.pClasses) {
    if (!(pClass.averageLux > 0 && pClass.minimumLux >= 0)) {
      return `P class ${pClass.id}: averageLux must be > 0 and minimumLux >= 0`;
    }
    ids.add(pClass.id);
  }
  for (const [pathClass, target] of Object.entries(file.pathClasses)) {
    if (target.targetClass !== null && !ids.has(target.targetClass)) {
      return `path class ${pathClass}: target class ${target.targetClass} is not among pClasses`;
    }
    if (!(target.importance >= 0)) return `path class ${pathClass}: importance must be >= 0`;
  }
  return null;
}

/** Target and importance of a path class (null: unclassified). Unknown classes count as unclassified. */
export function targetOf(file: LightingClassesFile, pathClass: string | null): PathClassTarget {
  return (
    (pathClass === null ? undefined : file.pathClasses[pathClass]) ??
    file.pathClasses[UNCLASSIFIED] ?? { targetClass: null, importance: 1 }
  );
}

export function pClassOf(file: LightingClassesFile, id: string | null): PClass | null {
  if (id === null) return null;
  return file.pClasses.find((entry) => entry.id === id) ?? null;
}

/** Does a stretch with this maintained average and minimum meet the P class? */
export function complies(pClass: PClass, averageLux: number, minimumLux: number): boolean {
  return averageLux >= pClass.averageLux && minimumLux >= pClass.minimumLux;
}
