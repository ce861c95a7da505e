import jsQR from "jsqr";
import { describe, expect, it } from "vitest";
import { joinLink } from "../../domain/sync/protocol";
import { qrMatrix, qrPath } from "./qr-matrix";

/** The matrix as RGBA pixels, `scale` pixels per module: what a camera would see, sharp. */
function pixels(matrix: { size: number; dark: boolean[][] }, scale: number) {
  const width = matrix.size * scale;
  const rgba = new Uint8ClampedArray(width * width * 4);
  for (let y = 0; y < width; y++) {
    for (let x = 0; x < width; x++) {
      const value = matrix.dark[Math.floor(y / scale)]![Math.floor(x / scale)] ? 0 : 255;
      rgba.set([value, value, value, 255], (y * width + x) * 4);
    }
  }
  return { rgba, width };
}

describe("join QR codes", () => {
  it.each([
    joinLink("https://lykta.vasteras.se", "K7QM4XTP"),
    joinLink("http://127.0.0.1:8787", "23456789"),
    joinLink("https://gis.example.org/kommun/lykta-sync", "ZZZZ2222"),
  ])("a scanner (jsQR) reads back %s", (text) => {
    const { rgba, width } = pixels(qrMatrix(text), 6);
    expect(jsQR(rgba, width, width)?.data).toBe(text);
  });

  it("draws one square per dark module", () => {
    const matrix = qrMatrix("lykta-join:https://a.se#K7QM-4XTP");
    const dark = matrix.dark.flat().filter(Boolean).length;
    expect(qrPath(matrix).match(/M/g)).toHaveLength(dark);
    // The quiet zone is light: the first row has no dark module.
    expect(matrix.dark[0]!.some(Boolean)).toBe(false);
  });
});
