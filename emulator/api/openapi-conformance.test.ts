import type { ValidateFunction } from "ajv/dist/2020";
import { describe, expect, it } from "vitest";
import { SCOPE_DESCRIPTIONS } from "../oauth/scopes";
import { SEED_ACCOUNTS } from "../state/seed-accounts";
import { seedGuilds } from "../state/seed-guilds";
import { api, login, useEmulator } from "../testing/harness";
import { responseValidator } from "../testing/openapi-validator";

const emulator = useEmulator();
// Every scope a person grants for themselves; bot adds the application's bot to a server.
const ALL_SCOPES = Object.keys(SCOPE_DESCRIPTIONS)
  .filter((scope) => scope !== "bot")
  .join(" ");

const usersMe = responseValidator("/users/@me", "get", "200");
const myGuilds = responseValidator("/users/@me/guilds", "get", "200");
const oauth2Me = responseValidator("/oauth2/@me", "get", "200");
const myMember = responseValidator("/users/@me/guilds/{guild_id}/member", "get", "200");
const invite = responseValidator("/invites/{code}", "get", "200");

function expectValid(validate: ValidateFunction, body: unknown): void {
  const valid = validate(body);
  expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
  expect(valid).toBe(true);
}

it("the validators are not vacuous: off-spec bodies fail", () => {
  expect(usersMe({ id: "not-a-snowflake" })).toBe(false);
  expect(myGuilds([{ id: "1", name: "x", icon: null, banner: null, owner: false, permissions: 8, features: [] }])).toBe(
    false,
  );
  expect(oauth2Me({ application: {}, scopes: ["identify"], expires: "tomorrow" })).toBe(false);
  expect(oauth2Me.errors?.some((error) => error.keyword === "format")).toBe(true);
  expect(myMember({ user: { id: "1", username: "x", discriminator: "0" }, roles: ["1", "1"], joined_at: "now" })).toBe(
    false,
  );
  expect(myMember.errors?.some((error) => error.keyword === "required")).toBe(true);
  // Type 0 only fits the server-invite variant, which needs the server.
  const channel = { id: "2", type: 0, name: "general" };
  expect(invite({ type: 0, code: "x", expires_at: null, guild_id: "1", channel })).toBe(false);
});

it("GET /invites/{code} matches Discord's OpenAPI description for every seeded server", async () => {
  for (const { guild } of seedGuilds()) {
    const response = await api(emulator(), `/invites/${guild.invite.code}`);
    expect(response.status).toBe(200);
    expect(response.body.type).toBe(0); // the server-invite variant of the spec's oneOf
    expectValid(invite, response.body);
  }
});

describe.each(SEED_ACCOUNTS.map((account) => [account.username, account.id] as const))(
  "responses for %s match Discord's OpenAPI description",
  (_, accountId) => {
    it("GET /users/@me with every scope and without email", async () => {
      const everything = await login(emulator(), accountId, ALL_SCOPES);
      const withEmail = await api(emulator(), "/users/@me", everything.access_token);
      expect(withEmail.body).toHaveProperty("email");
      expectValid(usersMe, withEmail.body);

      const identifyOnly = await login(emulator(), accountId, "identify");
      const withoutEmail = await api(emulator(), "/users/@me", identifyOnly.access_token);
      expect(withoutEmail.body).not.toHaveProperty("email");
      expectValid(usersMe, withoutEmail.body);
    });

    it("GET /users/@me/guilds with and without counts", async () => {
      const { access_token } = await login(emulator(), accountId, ALL_SCOPES);
      for (const query of ["", "?with_counts=true", "?with_counts=false&limit=1"]) {
        const response = await api(emulator(), `/users/@me/guilds${query}`, access_token);
        expect(response.status).toBe(200);
        expectValid(myGuilds, response.body);
      }
    });

    it("GET /users/@me/guilds/{guild_id}/member in each of its servers", async () => {
      const { access_token } = await login(emulator(), accountId, ALL_SCOPES);
      const guilds = (await api(emulator(), "/users/@me/guilds", access_token)).body as { id: string }[];
      expect(guilds.length).toBeGreaterThan(0);
      for (const { id } of guilds) {
        const response = await api(emulator(), `/users/@me/guilds/${id}/member`, access_token);
        expect(response.status).toBe(200);
        expectValid(myMember, response.body);
      }
    });

    it("GET /oauth2/@me with and without identify", async () => {
      for (const scope of [ALL_SCOPES, "guilds"]) {
        const { access_token } = await login(emulator(), accountId, scope);
        const response = await api(emulator(), "/oauth2/@me", access_token);
        expect(response.status).toBe(200);
        expectValid(oauth2Me, response.body);
      }
    });
  },
);
