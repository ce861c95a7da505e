import { describe, expect, it } from "vitest";
import { JOIN_REASONS, parseJoinCode, parseJoinLink, parseServerUrl } from "./join-link";
import { joinLink } from "./sync/protocol";

describe("server addresses", () => {
  it.each([
    ["https://lykta.vasteras.se", "https://lykta.vasteras.se"],
    ["https://lykta.vasteras.se/", "https://lykta.vasteras.se"],
    ["  https://gis.example.org/lykta/  ", "https://gis.example.org/lykta"],
    ["lykta.vasteras.se", "https://lykta.vasteras.se"],
    ["http://127.0.0.1:8787", "http://127.0.0.1:8787"],
    ["http://localhost:8787/", "http://localhost:8787"],
    ["HTTPS://Lykta.Vasteras.SE:8443", "https://lykta.vasteras.se:8443"],
  ])("%s reads as %s", (input, expected) => {
    expect(parseServerUrl(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ["", JOIN_REASONS.emptyUrl],
    ["   ", JOIN_REASONS.emptyUrl],
    ["http://lykta.vasteras.se", JOIN_REASONS.insecure],
    ["http://192.168.1.20:8787", JOIN_REASONS.insecure],
    ["ftp://lykta.vasteras.se", JOIN_REASONS.notHttp],
    ["https://user:secret@lykta.vasteras.se", JOIN_REASONS.notAUrl],
    ["https://", JOIN_REASONS.notAUrl],
  ])("%j is refused: %s", (input, reason) => {
    expect(parseServerUrl(input)).toEqual({ ok: false, reason });
  });
});

describe("join codes", () => {
  it("ignores case, spaces and dashes, as people type a code read aloud", () => {
    expect(parseJoinCode("k7qm-4xtp")).toEqual({ ok: true, value: "K7QM4XTP" });
    expect(parseJoinCode(" K7QM 4XTP ")).toEqual({ ok: true, value: "K7QM4XTP" });
  });

  it("refuses an empty code and one with other characters", () => {
    expect(parseJoinCode(" - ")).toEqual({ ok: false, reason: JOIN_REASONS.emptyCode });
    expect(parseJoinCode("K7QM/4XTP")).toEqual({ ok: false, reason: JOIN_REASONS.badCode });
    expect(parseJoinCode("ÅÄÖ23456")).toEqual({ ok: false, reason: JOIN_REASONS.badCode });
    expect(parseJoinCode("K7Q")).toEqual({ ok: false, reason: JOIN_REASONS.badCode });
    // 0, O, 1, I and L are not in the alphabet: a code with them was misread.
    expect(parseJoinCode("K7QM-4XT0")).toEqual({ ok: false, reason: JOIN_REASONS.badCode });
  });
});

describe("join links in QR codes", () => {
  it("reads what it writes", () => {
    const link = { serverUrl: "https://lykta.vasteras.se/sync", code: "K7QM4XTP" };
    const text = joinLink(link.serverUrl, link.code);
    expect(text).toBe("lykta-join:https://lykta.vasteras.se/sync#K7QM-4XTP");
    expect(parseJoinLink(text)).toEqual({ ok: true, value: link });
  });

  it("says what is wrong with a code that is not a join link", () => {
    expect(parseJoinLink("https://example.org")).toEqual({
      ok: false,
      reason: JOIN_REASONS.notAJoinLink,
    });
    expect(parseJoinLink("lykta-join:https://lykta.vasteras.se")).toEqual({
      ok: false,
      reason: JOIN_REASONS.emptyCode,
    });
    expect(parseJoinLink("lykta-join:http://lykta.vasteras.se#K7QM4XTP")).toEqual({
      ok: false,
      reason: JOIN_REASONS.insecure,
    });
  });
});
