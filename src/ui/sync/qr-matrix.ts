/**
 * The modules of a QR code (uqr, MIT) with a quiet zone, and their SVG path: what QrCode.tsx
 * draws. Pure, so a test can check that a scanner (jsQR) reads it back.
 */
import { encode } from "uqr";

/** Quiet zone in modules. The standard asks for 4; 2 still scans well on a screen. */
const BORDER_MODULES = 2;

export function qrMatrix(text: string): { size: number; dark: boolean[][] } {
  // Error correction M (15 %): a smudged tablet screen or a creased printout still scans.
  const { data, size } = encode(text, { ecc: "M", border: BORDER_MODULES });
  return { size, dark: data };
}

/** One square per dark module, as an SVG path in module units. */
export function qrPath(matrix: { size: number; dark: boolean[][] }): string {
  const cells: string[] = [];
  for (let y = 0; y < matrix.size; y++) {
    for (let x = 0; x < matrix.size; x++) if (matrix.dark[y]![x]) cells.push(`M${x} ${y}h1v1h-1z`);
  }
  return cells.join("");
}
