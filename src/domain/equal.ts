/**
 * Structural equality for record field values (JSON-like data: primitives, arrays, plain
 * objects). Used to decide whether an edit changes anything.
 */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!valuesEqual(a[i], b[i])) return false;
    return true;
  }
  const objectA = a as Record<string, unknown>;
  const objectB = b as Record<string, unknown>;
  const keysA = Object.keys(objectA).filter((key) => objectA[key] !== undefined);
  const keysB = Object.keys(objectB).filter((key) => objectB[key] !== undefined);
  if (keysA.length !== keysB.length) return false;
  for (const key of keysA) if (!valuesEqual(objectA[key], objectB[key])) return false;
  return true;
}
