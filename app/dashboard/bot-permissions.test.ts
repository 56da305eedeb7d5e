import { describe, expect, it } from "vitest";
import { missingPermissions } from "./bot-permissions";

describe("missingPermissions", () => {
  it("names what was asked and not granted, with what stops working", () => {
    expect(missingPermissions(3072n, 1024n)).toEqual([
      { name: "Send Messages", consequence: "the welcome and test messages cannot be posted" },
    ]);
    expect(missingPermissions(3072n | (1n << 40n), 0n).map((missing) => missing.name)).toEqual([
      "View Channels",
      "Send Messages",
      "Permission 40",
    ]);
  });

  it("is empty when everything asked was granted, whatever else was", () => {
    expect(missingPermissions(3072n, 3072n)).toEqual([]);
    expect(missingPermissions(3072n, 3072n | 8n)).toEqual([]);
  });
});
