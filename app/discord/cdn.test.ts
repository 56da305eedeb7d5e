import { describe, expect, it } from "vitest";
import { avatarUrl, defaultAvatarIndex, guildIconUrl } from "./cdn";

const cdn = "https://cdn.discordapp.com";

describe("avatarUrl", () => {
  it("uses the custom avatar when there is one", () => {
    expect(
      avatarUrl(cdn, {
        discordId: "80351110224678912",
        avatarHash: "8342729096ea3675442027381ff50dfe",
        discriminator: null,
      }),
    ).toBe("https://cdn.discordapp.com/avatars/80351110224678912/8342729096ea3675442027381ff50dfe.png?size=128");
  });

  it("falls back to Discord's default avatar", () => {
    expect(avatarUrl(cdn, { discordId: "80351110224678912", avatarHash: null, discriminator: "1337" }, 64)).toBe(
      "https://cdn.discordapp.com/embed/avatars/2.png",
    );
  });
});

describe("defaultAvatarIndex", () => {
  it("uses (id >> 22) % 6 for new usernames", () => {
    // 80351110224678912 >> 22 = 19157197529; % 6 = 5
    expect(defaultAvatarIndex({ discordId: "80351110224678912", discriminator: null })).toBe(5);
    // 175928847299117063 >> 22 = 41944705796; % 6 = 2
    expect(defaultAvatarIndex({ discordId: "175928847299117063", discriminator: null })).toBe(2);
  });

  it("uses discriminator % 5 for legacy accounts", () => {
    expect(defaultAvatarIndex({ discordId: "1", discriminator: "0001" })).toBe(1);
    expect(defaultAvatarIndex({ discordId: "1", discriminator: "9999" })).toBe(4);
  });

  it("stays exact beyond Number's safe integers", () => {
    // 2^63 - 1 >> 22 = 2199023255551; % 6 = 1. As a Number the id would round up to 2^63,
    // giving 2199023255552 % 6 = 2.
    expect(defaultAvatarIndex({ discordId: "9223372036854775807", discriminator: null })).toBe(1);
  });
});

describe("guildIconUrl", () => {
  it("builds icon URLs and has none for servers without an icon", () => {
    expect(guildIconUrl(cdn, "41771983423143937", "a_abc")).toBe(
      "https://cdn.discordapp.com/icons/41771983423143937/a_abc.png?size=64",
    );
    expect(guildIconUrl(cdn, "41771983423143937", null)).toBeNull();
  });
});
