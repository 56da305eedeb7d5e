import { describe, expect, it } from "vitest";
import { defaultAvatarIndex } from "../discord/default-avatar";
import { SEED_ACCOUNTS } from "../state/seed-accounts";
import { seedGuilds } from "../state/seed-guilds";
import { readPng } from "../testing/png-reader";
import { REDIRECT_URI, useEmulator } from "../testing/harness";

const emulator = useEmulator();
const nova = SEED_ACCOUNTS.find((account) => account.username === "nova")!;
const hq = seedGuilds().find(({ guild }) => guild.name === "Emulator HQ")!.guild;

async function image(path: string) {
  const response = await fetch(`${emulator().url}${path}`);
  return { response, bytes: Buffer.from(await response.arrayBuffer()) };
}

describe("CDN", () => {
  it("serves a custom avatar as a valid, cacheable PNG", async () => {
    const { response, bytes } = await image(`/avatars/${nova.id}/${nova.avatar}.png`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/png");
    expect(response.headers.get("cache-control")).toContain("max-age=31536000");
    const png = readPng(bytes);
    expect(png).toMatchObject({ width: 128, height: 128, bitDepth: 1, colourType: 3 });
    expect(png.chunkTypes).toEqual(["IHDR", "PLTE", "IDAT", "IEND"]);
    expect(png.scanlines.length).toBe(128 * (1 + 128 / 8));
  });

  it("draws the same image for the same hash every time", async () => {
    const first = await image(`/avatars/${nova.id}/${nova.avatar}.png`);
    const second = await image(`/avatars/${nova.id}/${nova.avatar}.png`);
    expect(first.bytes.equals(second.bytes)).toBe(true);
  });

  it.each([
    [16, 16],
    [4096, 4096],
    [100, 128],
    [8192, 128],
  ])("answers ?size=%i with a %ipx image", async (requested, served) => {
    const { bytes } = await image(`/avatars/${nova.id}/${nova.avatar}.png?size=${requested}`);
    expect(readPng(bytes).width).toBe(served);
  });

  it.each([
    ["a hash the user does not have", `/avatars/${SEED_ACCOUNTS[0]!.id}/${"0".repeat(32)}.png`],
    ["an unknown user", `/avatars/1/${nova.avatar}.png`],
    ["another format", `/avatars/${nova.id}/${nova.avatar}.webp`],
    ["default avatar 6", "/embed/avatars/6.png"],
    ["an unknown guild icon", `/icons/${hq.id}/${"f".repeat(32)}.png`],
  ])("answers 404 for %s", async (_, path) => {
    expect((await image(path)).response.status).toBe(404);
  });

  it("serves six distinct default avatars", async () => {
    const images = await Promise.all([0, 1, 2, 3, 4, 5].map((index) => image(`/embed/avatars/${index}.png`)));
    for (const { response, bytes } of images) {
      expect(response.status).toBe(200);
      expect(readPng(bytes).width).toBe(128);
    }
    expect(new Set(images.map(({ bytes }) => bytes.toString("base64"))).size).toBe(6);
  });

  it("shows an account without an avatar the default one Discord's documented rule picks", async () => {
    // https://discord.com/developers/docs/reference#image-formatting: (user_id >> 22) % 6
    // for migrated usernames, discriminator % 5 for legacy name#1234 accounts.
    const pixel = SEED_ACCOUNTS.find((account) => account.username === "pixelpine")!;
    expect(pixel).toMatchObject({ avatar: null, discriminator: "0" });
    const expected = Number((BigInt(pixel.id) >> 22n) % 6n);
    // The consent page pictures each account as Discord would.
    const query = new URLSearchParams({
      client_id: emulator().clientId,
      redirect_uri: REDIRECT_URI,
      response_type: "code",
      scope: "identify",
    });
    const consent = await (await fetch(`${emulator().url}/oauth2/authorize?${query}`)).text();
    const shown = new RegExp(`value="${pixel.id}">\\s*<img src="([^"]+)"`).exec(consent)?.[1];
    expect(shown).toBe(`/embed/avatars/${expected}.png?size=64`);
    expect((await image(shown!)).response.status).toBe(200);
  });

  it.each([
    ["a migrated username", { id: "80351110224678912", discriminator: "0" }, 5],
    ["a migrated username", { id: "175928847299117063", discriminator: "0" }, 2],
    ["a legacy discriminator", { id: "80351110224678912", discriminator: "1337" }, 2],
    ["a legacy discriminator", { id: "1", discriminator: "4821" }, 1],
    ["a legacy discriminator", { id: "1", discriminator: "0005" }, 0],
  ])("picks the default avatar index for %s (%o): %i", (_, user, index) => {
    expect(defaultAvatarIndex(user)).toBe(index);
  });

  it("serves guild icons", async () => {
    const { response, bytes } = await image(`/icons/${hq.id}/${hq.icon}.png?size=64`);
    expect(response.status).toBe(200);
    expect(readPng(bytes).width).toBe(64);
  });
});
