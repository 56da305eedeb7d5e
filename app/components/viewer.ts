import { useRouteLoaderData } from "@remix-run/react";
import type { Notice } from "~/auth/notice.server";
import type { PublicProfile } from "~/presenters/profile";

/** What the root loader gives every page, error pages included. */
export interface LayoutData {
  viewer: PublicProfile | null;
  notice: Notice | null;
  /** The Discord emulator's address, when the launcher says it is in use. */
  emulatorUrl: string | null;
  /** Who may sign in ("members of Emulator HQ holding Moderator"), for the emulator's banner; null: anyone. */
  accessSummary: string | null;
}

export function useLayoutData(): LayoutData | undefined {
  return useRouteLoaderData<LayoutData>("root");
}

/** The signed-in person, or null. */
export function useViewer(): PublicProfile | null {
  return useLayoutData()?.viewer ?? null;
}
