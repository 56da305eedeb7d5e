import { useMatches } from "@remix-run/react";
import type { PublicProfile } from "~/models/profile.server";

/**
 * The signed-in person, for the site header. Pages that know who is signed in return
 * `viewer` in their loader data; the layout finds it there instead of asking the
 * database a second time on every request.
 */
export function useViewer(): PublicProfile | null {
  for (const match of useMatches()) {
    const viewer = (match.data as { viewer?: PublicProfile } | undefined)?.viewer;
    if (viewer) return viewer;
  }
  return null;
}
