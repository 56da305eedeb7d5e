import type { AccessEnded } from "~/access/recheck.server";
import type { RefusalReason } from "~/access/verdict";

/** Every reason the refusal page explains: refused at login, or access ended later. */
export const REFUSAL_REASONS = ["not_member", "missing_role", "left", "role_removed", "unconfirmed"] as const;
export type RefusalPageReason = (typeof REFUSAL_REASONS)[number];

export function accessRefusedPath(reason: RefusalReason | Exclude<AccessEnded, "scope_missing">): string {
  return `/access-refused?${new URLSearchParams({ reason })}`;
}

/** The reason in the page's URL, if it is one the page knows; anything else is ignored. */
export function refusalReasonFrom(value: string | null): RefusalPageReason | null {
  return REFUSAL_REASONS.find((reason) => reason === value) ?? null;
}
