/** Placeholder until the importers land (being written now). */
import type { ImportInput, ImportResult, ProgressCallback } from "./types";

export async function importGpx(
  _input: ImportInput,
  _onProgress?: ProgressCallback,
): Promise<ImportResult> {
  throw new Error("not implemented yet");
}

export async function importKml(
  _input: ImportInput,
  _onProgress?: ProgressCallback,
): Promise<ImportResult> {
  throw new Error("not implemented yet");
}
