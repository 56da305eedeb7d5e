import { describe, expect, it } from "vitest";
import { asBot } from "../testing/bot";
import { controlOk, createAccount, login, useEmulator } from "../testing/harness";
import { responseValidator } from "../testing/openapi-validator";

const emulator = useEmulator();
const metadataPath = () => `/applications/${emulator().clientId}/role-connections/metadata`;
const connectionPath = () => `/users/@me/applications/${emulator().clientId}/role-connection`;
const metadataAnswer = responseValidator("/applications/{application_id}/role-connections/metadata", "put", "200");
const metadataRead = responseValidator("/applications/{application_id}/role-connections/metadata", "get", "200");
const connectionAnswer = responseValidator("/users/@me/applications/{application_id}/role-connection", "put", "200");
const connectionRead = responseValidator("/users/@me/applications/{application_id}/role-connection", "get", "200");

const RECORDS = [
  { type: 5, key: "member_since", name: "Member since", description: "Days since joining the site" },
  { type: 7, key: "email_verified", name: "Verified email", description: "Has a verified email address" },
];

/** The person's own call, with their access token (`Bearer`). */
async function asPerson(token: string, method: string, body?: unknown) {
  const response = await fetch(`${emulator().url}/api/v10${connectionPath()}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function connectedPerson(purpose: string, scope = "identify role_connections.write") {
  const account = await createAccount(emulator(), purpose);
  return { id: account.id, token: (await login(emulator(), account.id, scope)).access_token };
}

describe("role-connection metadata (bot token)", () => {
  it("is replaced by PUT and read back, as Discord's description says", async () => {
    const empty = await asBot(emulator(), "GET", metadataPath());
    expect(empty).toMatchObject({ status: 200, body: [] });
    const put = await asBot(emulator(), "PUT", metadataPath(), { body: JSON.stringify(RECORDS) });
    expect(put.status).toBe(200);
    expect(metadataAnswer(put.body), JSON.stringify(metadataAnswer.errors)).toBe(true);
    const read = await asBot(emulator(), "GET", metadataPath());
    expect(metadataRead(read.body), JSON.stringify(metadataRead.errors)).toBe(true);
    expect(read.body).toEqual(RECORDS);
  });

  it("refuses what Discord refuses: six records, bad keys, types, lengths, duplicates; another app; no bot", async () => {
    const kept = (await asBot(emulator(), "GET", metadataPath())).body;
    const six = Array.from({ length: 6 }, (_, index) => ({ ...RECORDS[0], key: `k${index}` }));
    expect((await asBot(emulator(), "PUT", metadataPath(), { body: JSON.stringify(six) })).body.code).toBe(50035);
    const bad = [
      { type: 9, key: "Upper Case", name: "", description: "x".repeat(201) },
      { ...RECORDS[1] },
      { ...RECORDS[1] },
    ];
    const refused = await asBot(emulator(), "PUT", metadataPath(), { body: JSON.stringify(bad) });
    expect(refused.status).toBe(400);
    expect(Object.keys(refused.body.errors).sort()).toEqual(["0.description", "0.key", "0.name", "0.type", "2.key"]);
    expect((await asBot(emulator(), "PUT", metadataPath(), { body: "{" })).body.code).toBe(50109);
    const other = await asBot(emulator(), "GET", "/applications/1290000000000000999/role-connections/metadata");
    expect(other).toMatchObject({ status: 403, body: { code: 50001 } });
    const person = await connectedPerson("notabot");
    const asBearer = await asBot(emulator(), "GET", metadataPath(), { authorization: `Bearer ${person.token}` });
    expect(asBearer.status).toBe(401);
    expect((await asBot(emulator(), "GET", metadataPath())).body).toEqual(kept);
  });
});

describe("a person's role connection (role_connections.write)", () => {
  it("is written, read and deleted by the person's token, and shown on the Linked Roles page", async () => {
    await asBot(emulator(), "PUT", metadataPath(), { body: JSON.stringify(RECORDS) });
    const person = await connectedPerson("linker");
    const before = await asPerson(person.token, "GET");
    expect(before).toEqual({ status: 200, body: { platform_username: null, metadata: {} } });
    expect(connectionRead(before.body), JSON.stringify(connectionRead.errors)).toBe(true);

    const values = { member_since: "2026-01-31T10:00:00.000Z", email_verified: "1" };
    const put = await asPerson(person.token, "PUT", {
      platform_name: "Remix <Discord> Login",
      platform_username: "linker",
      metadata: values,
    });
    expect(put.status).toBe(200);
    expect(connectionAnswer(put.body), JSON.stringify(connectionAnswer.errors)).toBe(true);
    expect(put.body).toEqual({ platform_name: "Remix <Discord> Login", platform_username: "linker", metadata: values });
    expect((await asPerson(person.token, "GET")).body).toEqual(put.body);

    const seen = await controlOk(emulator(), "GET", "/role-connections");
    expect(seen.connections).toEqual([
      expect.objectContaining({ account_id: person.id, platform_username: "linker", metadata: values }),
    ]);
    const pageHtml = await (await fetch(`${emulator().url}/linked-roles`)).text();
    expect(pageHtml).toContain("Remix &lt;Discord&gt; Login");
    expect(pageHtml).toContain("Member since: <code>2026-01-31T10:00:00.000Z</code>");
    expect(pageHtml).toContain("at least the server&#39;s number of days ago");

    expect((await asPerson(person.token, "DELETE")).status).toBe(204);
    expect((await asPerson(person.token, "GET")).body).toEqual({ platform_username: null, metadata: {} });
  });

  it("checks values against the records, and lengths against Discord's limits", async () => {
    await asBot(emulator(), "PUT", metadataPath(), { body: JSON.stringify(RECORDS) });
    const person = await connectedPerson("badvalues");
    const refused = await asPerson(person.token, "PUT", {
      platform_name: "n".repeat(51),
      platform_username: "u".repeat(101),
      metadata: { member_since: "yesterday", email_verified: "true", unknown_key: "1" },
    });
    expect(refused.status).toBe(400);
    expect(Object.keys(refused.body.errors).sort()).toEqual([
      "metadata.email_verified",
      "metadata.member_since",
      "metadata.unknown_key",
      "platform_name",
      "platform_username",
    ]);
    expect((await asPerson(person.token, "GET")).body.metadata).toEqual({});
  });

  it("needs the scope: a token without role_connections.write gets 401", async () => {
    const person = await connectedPerson("noscope", "identify");
    expect((await asPerson(person.token, "GET")).status).toBe(401);
    expect((await asPerson(person.token, "PUT", { metadata: {} })).status).toBe(401);
  });
});
