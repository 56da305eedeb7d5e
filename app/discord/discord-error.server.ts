/** Every way a call to Discord can fail, as the rest of the app needs to tell them apart. */
export type DiscordFailure =
  | { kind: "unreachable" } // connection refused, DNS, reset
  | { kind: "timeout"; afterMs: number }
  | { kind: "busy" } // this app is already waiting on Discord for too many requests
  | { kind: "rate_limited"; retryAfterSeconds: number }
  | { kind: "server_error"; status: number }
  | { kind: "unauthorized" } // API: the access token is invalid, expired or revoked
  | { kind: "invalid_grant" } // token endpoint: the code or refresh token is no longer valid
  | { kind: "rejected"; status: number; code: string } // any other 4xx
  | { kind: "malformed"; detail: string }; // a success whose body is not what Discord documents

export class DiscordError extends Error {
  constructor(
    readonly operation: string,
    readonly failure: DiscordFailure,
  ) {
    super(`Discord ${operation} failed: ${describeFailure(failure)}`);
    this.name = "DiscordError";
  }
}

function describeFailure(failure: DiscordFailure): string {
  switch (failure.kind) {
    case "unreachable":
      return "Discord could not be reached";
    case "timeout":
      return `no answer within ${failure.afterMs} ms`;
    case "busy":
      return "too many requests already waiting on Discord";
    case "rate_limited":
      return `rate limited, retry after ${failure.retryAfterSeconds} s`;
    case "server_error":
      return `Discord answered ${failure.status}`;
    case "unauthorized":
      return "the access token was refused (401)";
    case "invalid_grant":
      return "the grant is no longer valid (invalid_grant)";
    case "rejected":
      return `refused with ${failure.status} ${failure.code}`;
    case "malformed":
      return `unexpected response: ${failure.detail}`;
  }
}

/** True for failures that may pass if the same request is tried again later. */
export function isTransient(failure: DiscordFailure): boolean {
  return ["unreachable", "timeout", "busy", "rate_limited", "server_error"].includes(failure.kind);
}
