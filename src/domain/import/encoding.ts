/**
 * Text decoding for imported files. Municipal exports are often not UTF-8: older GIS and
 * Excel on Windows write Windows-1252 (a superset of Latin-1 for text), as the Utrecht lamp
 * inventory in the test data does.
 *
 * Rule: a UTF-8 byte order mark is removed; bytes that are valid UTF-8 are UTF-8 (Latin-1
 * text with any letter beyond ASCII is almost never valid UTF-8, because its high bytes do not
 * form UTF-8 sequences); anything else is Windows-1252. UTF-16 is not detected.
 */

export type TextEncodingName = "utf-8" | "windows-1252";

export interface DecodedText {
  text: string;
  encoding: TextEncodingName;
}

/**
 * Windows-1252 0x80–0x9F (WHATWG Encoding Standard index). The five bytes the code page leaves
 * undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) map to the C1 controls, as browsers do.
 */
const WINDOWS_1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039,
  0x0152, 0x8d, 0x017d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc,
  0x2122, 0x0161, 0x203a, 0x0153, 0x9d, 0x017e, 0x0178,
];

/**
 * Windows-1252 by table. Not TextDecoder("windows-1252"): Node 20 decodes that label as
 * ISO-8859-1 (0x80–0x9F become C1 controls instead of €, –, “ …), so the CLI and the app
 * would disagree.
 */
function decodeWindows1252(bytes: Uint8Array): string {
  const chunks: string[] = [];
  const chunkSize = 8192;
  const codes = new Array<number>(chunkSize);
  for (let start = 0; start < bytes.length; start += chunkSize) {
    const end = Math.min(bytes.length, start + chunkSize);
    codes.length = end - start;
    for (let i = start; i < end; i++) {
      const byte = bytes[i]!;
      codes[i - start] = byte >= 0x80 && byte < 0xa0 ? WINDOWS_1252_HIGH[byte - 0x80]! : byte;
    }
    chunks.push(String.fromCharCode(...codes));
  }
  return chunks.join("");
}

/** Decode a text file: UTF-8 (BOM removed) when the bytes are valid UTF-8, else Windows-1252. */
export function decodeText(bytes: Uint8Array): DecodedText {
  const body =
    bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf
      ? bytes.subarray(3)
      : bytes;
  try {
    // ignoreBOM: the BOM is already gone; a second one would be content.
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(body);
    return { text, encoding: "utf-8" };
  } catch {
    return { text: decodeWindows1252(body), encoding: "windows-1252" };
  }
}
