import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { decodeText } from "./encoding";

const UTRECHT = new URL(
  "../../../../shared/data/lamps/utrecht_mastoverzicht_latin1.geojson",
  import.meta.url,
);

const bytes = (...values: number[]) => Uint8Array.from(values);

describe("decodeText", () => {
  test("UTF-8 with and without a byte order mark", () => {
    const text = "Åsögatan – 4,5 m";
    const utf8 = new TextEncoder().encode(text);
    expect(decodeText(utf8)).toEqual({ text, encoding: "utf-8" });
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]))).toEqual({
      text,
      encoding: "utf-8",
    });
  });

  test("ASCII is UTF-8; empty input is empty text", () => {
    expect(decodeText(bytes(0x61, 0x62))).toEqual({ text: "ab", encoding: "utf-8" });
    expect(decodeText(new Uint8Array())).toEqual({ text: "", encoding: "utf-8" });
  });

  test("Latin-1 bytes (not valid UTF-8) decode as Windows-1252", () => {
    // "Åsö é" in Latin-1.
    expect(decodeText(bytes(0xc5, 0x73, 0xf6, 0x20, 0xe9))).toEqual({
      text: "Åsö é",
      encoding: "windows-1252",
    });
  });

  test("Windows-1252's 0x80–0x9F are its own characters (€, dashes, quotes), not C1 controls", () => {
    expect(decodeText(bytes(0x80, 0x20, 0x96, 0x20, 0x93, 0x61, 0x94)).text).toBe("€ – “a”");
  });

  test("a UTF-8 file cut in the middle of a character is not UTF-8", () => {
    const cut = new TextEncoder().encode("å").subarray(0, 1);
    expect(decodeText(cut).encoding).toBe("windows-1252");
  });

  test("every byte: Latin-1 outside 0x80–0x9F, the WHATWG table inside", () => {
    // A lone 0xC0 makes the input invalid UTF-8 whatever follows.
    const all = Uint8Array.from({ length: 257 }, (_, index) => (index === 0 ? 0xc0 : index - 1));
    const text = decodeText(all).text.slice(1);
    for (let byte = 0; byte < 256; byte++) {
      if (byte < 0x80 || byte >= 0xa0) expect(text.charCodeAt(byte)).toBe(byte);
    }
    expect(text.slice(0x80, 0xa0)).toBe(
      "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ",
    );
  });

  test("the Utrecht lamp file is Latin-1 and its street names decode right", () => {
    const decoded = decodeText(new Uint8Array(readFileSync(UTRECHT)));
    expect(decoded.encoding).toBe("windows-1252");
    expect(decoded.text).toContain('"STRAAT": "Trévouxperenlaan"');
    expect(decoded.text).toContain('"STRAAT": "Tolsteegbarrière"');
    expect(decoded.text).toContain('"STRAAT": "Thomas à Kempisplantsoen"');
    expect(decoded.text).not.toContain("\uFFFD");
  });
});
