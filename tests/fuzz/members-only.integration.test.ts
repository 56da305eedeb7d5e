import { it } from "vitest";
import { EMULATOR_HQ_INVITE_CODE, seededGuildId, seededRoleId } from "../../emulator/testing/seeded";
import { useDeployment } from "../support/deployment";
import { fuzzDeployment, fuzzEnv, TIME_BUDGET_MS } from "./run";

// The same matrix against a deployment with members-only rules on, so the routes that
// exist for them (the refusal page, joining, deleting what is kept) and every signed-in page are
// fuzzed in their "on" configuration. The signed-in requests are nova's, who holds the
// role; re-checks are a day apart, so none falls inside the run to change state on a read.

const HQ = seededGuildId("Emulator HQ");
const deployment = useDeployment({
  env: (emulator) => ({
    ...fuzzEnv(emulator),
    ACCESS_GUILD_IDS: `${HQ}=Emulator HQ`,
    ACCESS_ROLE_IDS: `${seededRoleId("Emulator HQ", "Moderator")}=Moderator`,
    ACCESS_RECHECK_MINUTES: "1440",
    ACCESS_INVITE_URL: `https://discord.gg/${EMULATOR_HQ_INVITE_CODE}`,
    // "Join and continue" offered on the refusal page: the login it starts is fuzzed too.
    JOIN_GUILD_ID: HQ,
    JOIN_ROLE_IDS: seededRoleId("Emulator HQ", "Moderator"),
    // The Linked Roles page and its "Send again", fuzzed in their "on" configuration.
    LINKED_ROLES: "true",
  }),
});

it(
  "with members-only rules on: answers every generated request, below 500, changing nothing it should not",
  () => fuzzDeployment(deployment(), "members only"),
  TIME_BUDGET_MS + 120_000,
);
