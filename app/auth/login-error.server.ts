import { AuthorizationError } from "remix-auth";
import type { DiscordFailure } from "~/discord/discord-error.server";

/** Why a login did not complete, each with what the person should know and do. */
export type LoginFailure =
  | { reason: "denied" }
  | { reason: "malformed_callback" }
  | { reason: "no_state_in_cookie" }
  | { reason: "state_mismatch" }
  | { reason: "attempt_used_or_expired" }
  | { reason: "discord_refused"; error: string }
  | { reason: "missing_code" }
  | { reason: "code_rejected" }
  | { reason: "discord_unavailable" }
  | { reason: "rate_limited"; retryAfterSeconds: number }
  | { reason: "bad_profile" }
  | { reason: "other_account" }
  | { reason: "misconfigured" }
  | { reason: "server_error" };

export class LoginError extends AuthorizationError {
  constructor(
    readonly failure: LoginFailure,
    cause?: Error,
  ) {
    super(`Login failed: ${failure.reason}`, cause);
    this.name = "LoginError";
  }
}

export function loginFailureMessage(failure: LoginFailure): string {
  switch (failure.reason) {
    case "denied":
      return "You cancelled the login on Discord, so nothing was shared. You can log in whenever you like.";
    case "malformed_callback":
      return "This login answer was malformed (a parameter appeared twice), so it was ignored. Please try again.";
    case "no_state_in_cookie":
      return "This login could not be matched to your browser: it may have timed out, or cookies are blocked. Please try again.";
    case "state_mismatch":
      return "This login answer does not belong to the login you started, so it was ignored. Please try again.";
    case "attempt_used_or_expired":
      return "This login link was already used or has expired. Please log in again.";
    case "discord_refused":
      return `Discord did not complete the login (${failure.error}). Please try again.`;
    case "missing_code":
      return "Discord's answer had no login code. Please try again.";
    case "code_rejected":
      return "Discord did not accept the login code; it may have expired or been used already. Please log in again.";
    case "discord_unavailable":
      return "Discord is not answering right now, so you could not be logged in. Please try again in a moment.";
    case "rate_limited":
      return `Discord is receiving too many requests. Please try again in ${failure.retryAfterSeconds} seconds.`;
    case "bad_profile":
      return "Discord sent an incomplete profile, so you could not be logged in. Please try again.";
    case "other_account":
      return "Discord answered for another account than the one logged in here, so nothing changed. To use that account, log out first.";
    case "server_error":
      return "Something went wrong on our side while logging you in, and nothing was saved. Please try again.";
    case "misconfigured":
      return "Login is misconfigured on this server: Discord refused the application's credentials. Please tell the site's operator.";
  }
}

/**
 * Whether the login in flight is over after this failure. An answer that was refused
 * before it was matched to the login (malformed, or carrying another state) leaves it be.
 */
export function endsLoginInFlight(failure: LoginFailure): boolean {
  return !["malformed_callback", "no_state_in_cookie", "state_mismatch"].includes(failure.reason);
}

/** How a failed call to Discord during login is explained to the person. */
export function loginFailureFromDiscord(failure: DiscordFailure): LoginFailure {
  switch (failure.kind) {
    case "unreachable":
    case "timeout":
    case "busy":
    case "server_error":
      return { reason: "discord_unavailable" };
    case "rate_limited":
      return { reason: "rate_limited", retryAfterSeconds: failure.retryAfterSeconds };
    case "invalid_grant":
      return { reason: "code_rejected" };
    case "malformed":
    case "unauthorized":
      return { reason: "bad_profile" };
    case "rejected":
      return failure.status === 401 || failure.code === "invalid_client"
        ? { reason: "misconfigured" }
        : { reason: "discord_refused", error: failure.code };
  }
}
