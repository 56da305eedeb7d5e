import { describe, expect, it } from "vitest";
import { defaultAvatarIndex } from "./default-avatar";
import { SnowflakeGenerator, compareSnowflakes, isSnowflake, snowflakeAt, timestampOf } from "./snowflake";

describe("defaultAvatarIndex", () => {
  it("uses (id >> 22) % 6 for migrated usernames", () => {
    // 1290000000000000001 >> 22 = 307559967041, and 307559967041 % 6 = 5
    expect(defaultAvatarIndex({ id: "1290000000000000001", discriminator: "0" })).toBe(5);
    for (let index = 0; index < 6; index += 1) {
      const id = ((BigInt(index) << 22n) | 12345n).toString();
      expect(defaultAvatarIndex({ id, discriminator: "0" })).toBe(index);
    }
  });

  it("uses discriminator % 5 for legacy accounts", () => {
    expect(defaultAvatarIndex({ id: "80351110224678912", discriminator: "1337" })).toBe(2);
    expect(defaultAvatarIndex({ id: "80351110224678912", discriminator: "0005" })).toBe(0);
    expect(defaultAvatarIndex({ id: "80351110224678912", discriminator: "4821" })).toBe(1);
  });
});

describe("snowflakes", () => {
  it("round-trips the timestamp", () => {
    const when = Date.parse("2021-05-05T05:05:05Z");
    expect(timestampOf(snowflakeAt(when))).toBe(when);
  });

  it("matches Discord's documented example timestamp", () => {
    // https://discord.com/developers/docs/reference#snowflakes
    expect(new Date(timestampOf("175928847299117063")).toISOString()).toBe("2016-04-30T11:18:25.796Z");
  });

  it("validates decimal 64-bit ids only", () => {
    expect(isSnowflake("175928847299117063")).toBe(true);
    expect(isSnowflake("0")).toBe(true);
    for (const bad of ["", "-1", "01", "12a", "18446744073709551616", " 1"]) expect(isSnowflake(bad)).toBe(false);
  });

  it("compares numerically", () => {
    expect(compareSnowflakes("99", "100")).toBe(-1);
    expect(compareSnowflakes("100", "100")).toBe(0);
  });

  it("generates strictly increasing ids, even within one millisecond", () => {
    const generator = new SnowflakeGenerator();
    const ids = [
      generator.next(1_700_000_000_000),
      generator.next(1_700_000_000_000),
      generator.next(1_699_999_999_999),
    ];
    expect(compareSnowflakes(ids[0]!, ids[1]!)).toBe(-1);
    expect(compareSnowflakes(ids[1]!, ids[2]!)).toBe(-1);
  });
});
