import { describe, expect, it } from "vitest";
import { mulberry32 } from "./ids";
import { codeUnitOrder } from "./sort-ids";

/** The reference: JavaScript's default sort compares UTF-16 code units. */
const reference = (ids: string[]) => [...ids].sort();
const sorted = (ids: string[]) => Array.from(codeUnitOrder(ids).order, (i) => ids[i]!);

describe("codeUnitOrder", () => {
  it("orders ids as Array.prototype.sort does", () => {
    const ids = ["b", "a", "ab", "", "a\u0000", "B", "é", "e", "Ä", "z", "😀", "aa"];
    expect(sorted(ids)).toEqual(reference(ids));
  });

  it.each([
    [
      "UUIDs",
      (random: () => number) => {
        let hex = "";
        for (let i = 0; i < 32; i++) hex += Math.floor(random() * 16).toString(16);
        return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
      },
    ],
    [
      "ids with a long shared prefix",
      (random: () => number) => `observation-${Math.floor(random() * 5000)}`,
    ],
    [
      "short ids with non-ASCII letters and control characters",
      (random: () => number) => {
        const alphabet = ["a", "b", "å", "ä", "ö", "\u0000", "\u007f", "\u0080", "Z", "~", "😀"];
        let id = "";
        const length = Math.floor(random() * 9);
        for (let i = 0; i < length; i++) id += alphabet[Math.floor(random() * alphabet.length)];
        return id;
      },
    ],
  ])("orders 20,000 %s as the reference does (seed 7)", (_, make) => {
    const random = mulberry32(7);
    const ids = Array.from({ length: 20_000 }, () => make(random));
    expect(sorted(ids)).toEqual(reference(ids));
  });

  it("reports an id given twice, and only then", () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `id-${i}`);
    expect(codeUnitOrder(ids).duplicate).toBeUndefined();
    expect(codeUnitOrder([...ids, "id-417"]).duplicate).toBe("id-417");
    expect(codeUnitOrder(["x", "y", "x"]).duplicate).toBe("x");
  });
});
