import { describe, expect, it } from "vitest";
import { DEFAULT_RETURN_TO, MAX_RETURN_TO_LENGTH, safeReturnTo } from "./return-to";

describe("safeReturnTo", () => {
  it.each([
    ["/dashboard", "/dashboard"],
    ["/servers?page=2#top", "/servers?page=2#top"],
    ["/sessions", "/sessions"],
    ["/a/../dashboard", "/dashboard"],
  ])("keeps the same-origin path %s", (input, expected) => {
    expect(safeReturnTo(input)).toBe(expected);
  });

  it.each([
    "//evil.example",
    "//evil.example/dashboard",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "https://evil.example",
    "http:evil.example",
    "javascript:alert(1)",
    "data:text/html,hi",
    "evil.example",
    "",
    " /dashboard",
    "/%5Cevil.example/..%2F",
    "/%2F%2Fevil.example",
    "/.//evil.example",
    "/a/..//evil.example",
  ])("refuses %j", (input) => {
    expect(safeReturnTo(input)).toBe(DEFAULT_RETURN_TO);
  });

  it("refuses absurdly long values", () => {
    expect(safeReturnTo(`/${"a".repeat(3000)}`)).toBe(DEFAULT_RETURN_TO);
  });

  it("bounds what it keeps after normalisation, not what was sent", () => {
    // 601 characters sent; percent-encoded, 5,401: past a cookie's 4 KB once stored.
    expect(safeReturnTo(`/${"\u3000".repeat(600)}`)).toBe(DEFAULT_RETURN_TO);
    // Under the bound once encoded: kept, encoded.
    const accented = `/${"é".repeat(170)}`;
    expect(safeReturnTo(accented)).toBe(`/${"%C3%A9".repeat(170)}`);
  });

  it.each([
    ["wide characters", "\u3000"],
    ["combining marks", "a\u0301"],
    ["characters outside the BMP", "\u{1F600}"],
    ["percent signs", "%25"],
    ["a ligature that case-folds longer", "\u0130"],
    ["a long run", "a"],
  ])("never keeps more than %s allows: %s", (_name, unit) => {
    for (let count = 1; count <= MAX_RETURN_TO_LENGTH; count *= 2) {
      const kept = safeReturnTo(`/x?q=${unit.repeat(count)}#${unit.repeat(count)}`);
      expect(kept.length).toBeLessThanOrEqual(MAX_RETURN_TO_LENGTH);
    }
  });

  it("never yields anything a browser would read as another origin", () => {
    // Whatever it returns resolves to this site.
    for (const input of ["/%2F%2Fevil.example", "/.//evil.example", "/%09/evil.example", "/./\t/evil.example"]) {
      expect(new URL(safeReturnTo(input), "https://app.example").origin).toBe("https://app.example");
    }
  });

  it("refuses non-strings and login plumbing", () => {
    expect(safeReturnTo(undefined)).toBe(DEFAULT_RETURN_TO);
    expect(safeReturnTo(["/dashboard"])).toBe(DEFAULT_RETURN_TO);
    expect(safeReturnTo("/auth/discord/callback?code=x")).toBe(DEFAULT_RETURN_TO);
    expect(safeReturnTo("/logout")).toBe(DEFAULT_RETURN_TO);
    expect(safeReturnTo("/login?returnTo=/x")).toBe(DEFAULT_RETURN_TO);
  });

  it.each(["/Auth/discord/callback", "/auth/discord/%63allback", "/LOGOUT", "/%6Cogin", "/Revoke?x=1"])(
    "refuses login plumbing spelled the way the router would still match: %s",
    (input) => {
      expect(safeReturnTo(input)).toBe(DEFAULT_RETURN_TO);
    },
  );
});
