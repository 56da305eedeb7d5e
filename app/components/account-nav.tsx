import { NavLink } from "@remix-run/react";

const SECTIONS = [
  ["/dashboard", "Profile"],
  ["/servers", "Servers"],
  ["/sessions", "Sessions"],
] as const;

/** Tabs between the signed-in pages; plain links, so they work without JavaScript. */
export function AccountNav() {
  return (
    <nav className="account-nav" aria-label="Your account">
      {SECTIONS.map(([to, label]) => (
        <NavLink key={to} to={to} prefetch="intent">
          {label}
        </NavLink>
      ))}
    </nav>
  );
}
