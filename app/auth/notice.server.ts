import { redirect } from "@remix-run/node";
import { z } from "zod";
import { appCookie, clearCookie, readCookie } from "./cookies.server";

/** A one-shot message for the next page: a login that failed, a logout that worked. */
export interface Notice {
  kind: "success" | "error" | "info";
  message: string;
}

const noticeSchema = z.object({ kind: z.enum(["success", "error", "info"]), message: z.string().max(1000) });

/**
 * A redirect that shows `notice` on the page it leads to (as the Epic Stack's toasts do).
 * `init.headers` go along, so a redirect that also ends a session can say so.
 */
export async function redirectWithNotice(
  to: string,
  notice: Notice | null,
  init: { headers?: Headers } = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  if (notice) headers.append("Set-Cookie", await appCookie("notice").serialize(notice));
  return redirect(to, { headers });
}

/** The notice waiting for this page, if any, and the headers that make sure it is shown only once. */
export async function takeNotice(request: Request): Promise<{ notice: Notice | null; headers: Headers }> {
  const parsed = noticeSchema.safeParse(await readCookie(request, "notice"));
  const headers = new Headers();
  if (request.headers.get("Cookie")?.includes(`${appCookie("notice").name}=`)) {
    headers.append("Set-Cookie", await clearCookie("notice"));
  }
  return { notice: parsed.success ? parsed.data : null, headers };
}
