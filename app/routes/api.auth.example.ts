import type { PublicProfile } from "~/presenters/profile";
import { baselineSecurityHeaders } from "~/security-headers.server";
import { jsonMethodNotAllowed } from "~/utils/json-response.server";

/** An example of what GET /api/auth/user answers, for people writing code against it. */
const EXAMPLE: PublicProfile = {
  id: "3a123420-f41e-4bd8-af15-7c4b8106ed66",
  discordId: "158868545994756096",
  username: "nova",
  tag: "nova",
  globalName: "Nova Quinn",
  displayName: "Nova Quinn",
  avatarUrl: "https://cdn.discordapp.com/avatars/158868545994756096/8fbf8d3958b7df9b86d7b4a52f4db0cb.png?size=128",
  email: "nova@example.com",
  emailVerified: true,
  createdAt: "2026-01-01T12:00:00.000Z",
  lastLoginAt: "2026-01-02T09:30:00.000Z",
};

/**
 * GET /api/auth/example: the shape of GET /api/auth/user's answer, with an example user,
 * no login needed. (Also the benchmarks' baseline: the same JSON, minus the session lookup.)
 */
export function loader() {
  return Response.json({ user: EXAMPLE }, { headers: { "Cache-Control": "no-store", ...baselineSecurityHeaders() } });
}

export const action = () => jsonMethodNotAllowed("GET");
