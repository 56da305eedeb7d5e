import { Link } from "@remix-run/react";
import { SITE_NAME } from "~/site";
import { PostButton } from "./post-button";
import { useViewer } from "./viewer";

export function SiteHeader() {
  const viewer = useViewer();
  return (
    <header className="site-header">
      <Link to="/" className="brand">
        {SITE_NAME}
      </Link>
      <nav className="site-nav" aria-label="Account">
        {viewer ? (
          <>
            <Link to="/dashboard" className="viewer">
              <img src={viewer.avatarUrl} alt="" width={28} height={28} className="avatar small" />
              {viewer.displayName}
            </Link>
            <PostButton action="/logout" className="button secondary small" pendingLabel="Logging out…">
              Log out
            </PostButton>
          </>
        ) : (
          <Link to="/login">Log in</Link>
        )}
      </nav>
    </header>
  );
}
