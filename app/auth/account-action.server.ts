import type { ActiveSession } from "~/models/session.server";
import { enforceRateLimit } from "./rate-limit.server";
import { requireUser } from "./session.server";
import { requireSameSitePost } from "./same-site.server";

/**
 * How every signed-in action starts: a POST from this site (403/405 otherwise), a live
 * session (else to the login page), within the per-user rate limit (else 429), and within
 * the access rules, except for the actions that only take access away (`accessRules:
 * "exempt"`: they must work even for someone the rules have just turned out).
 */
export async function requireAccountAction(
  request: Request,
  options: { accessRules?: "enforced" | "exempt" } = {},
): Promise<ActiveSession> {
  requireSameSitePost(request);
  const active = await requireUser(request, options);
  await enforceRateLimit(request, "account-action", active.user.id);
  return active;
}
