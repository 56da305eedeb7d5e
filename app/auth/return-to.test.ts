import { describe, expect, it } from "vitest";
import { DEFAULT_RETURN_TO, safeReturnTo } from "./return-to";

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
