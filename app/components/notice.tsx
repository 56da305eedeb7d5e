import type { Notice as NoticeData } from "~/auth/notice.server";

/** A one-shot message after a redirect: a login that failed, a logout that worked. */
export function Notice({ notice }: { notice: NoticeData | null }) {
  if (!notice) return null;
  return (
    <p className={`notice ${notice.kind}`} role={notice.kind === "error" ? "alert" : "status"}>
      {notice.message}
    </p>
  );
}
