import type { ValidateFunction } from "ajv/dist/2020";
import { describe, expect, it } from "vitest";
import { SCOPE_DESCRIPTIONS } from "../oauth/scopes";
import { SEED_ACCOUNTS } from "../state/seed-accounts";
import { api, login, useEmulator } from "../testing/harness";
import { responseValidator } from "../testing/openapi-validator";

const emulator = useEmulator();
const ALL_SCOPES = Object.keys(SCOPE_DESCRIPTIONS).join(" ");

const usersMe = responseValidator("/users/@me", "get", "200");
const myGuilds = responseValidator("/users/@me/guilds", "get", "200");
const oauth2Me = responseValidator("/oauth2/@me", "get", "200");

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
