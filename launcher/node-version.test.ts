import { describe, expect, it } from "vitest";
import { judgeNodeVersion } from "./node-version.mjs";

describe("the Node.js versions the launcher accepts", () => {
  it("runs 22 and 24 LTS and later without a word", () => {
    for (const version of ["22.12.0", "22.21.1", "24.0.0", "24.11.0", "26.1.0"]) {
      expect(judgeNodeVersion(version), version).toBeNull();
    }
  });

  it("runs Node 20 from 20.19 with a warning naming its end of life and what to move to", () => {
    const judgement = judgeNodeVersion("20.19.5");
    expect(judgement?.refused).toBe(false);
    expect(judgement?.message).toContain("end of life on 2026-04-30");
    expect(judgement?.message).toContain("Node.js 24 LTS");
  });

  it("refuses what is older, Debian 12's Node 18 among them, saying what is needed", () => {
    for (const version of ["20.18.3", "18.19.0", "16.20.2"]) {
      const judgement = judgeNodeVersion(version);
      expect(judgement?.refused, version).toBe(true);
      expect(judgement?.message).toContain(`Node.js ${version} is too old`);
    }
  });
});
