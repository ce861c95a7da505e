/** Placeholder until the importer lands (being written now). */
import type { ImportInput, ImportResult, ProgressCallback } from "./types";

export async function importShapefile(
  _input: ImportInput,
  _onProgress?: ProgressCallback,
): Promise<ImportResult> {
  throw new Error("not implemented yet");
}
