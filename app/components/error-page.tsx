import type { HeadersFunction } from "@remix-run/node";
import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";

/**
 * The page for every error a route throws: what went wrong in words, and a way on. Routes
 * that only take form posts export it too, so a refused form gets a page, not bare text.
 */
export function ErrorPage() {
  const [title, message] = describeError(useRouteError());
  return (
    <section className="card narrow" role="alert">
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <Link to="/" className="button secondary">
          Go to the home page
        </Link>
      </p>
    </section>
  );
}

/** An error page still tells the client when to come back (429, 503) and what it may send (405). */
export const errorHeaders: HeadersFunction = ({ errorHeaders }) => {
  const headers = new Headers();
  for (const name of ["Retry-After", "Allow"]) {
    const value = errorHeaders?.get(name);
    if (value) headers.set(name, value);
  }
  return headers;
};

/** The page title for an error: "Page not found", "Too many requests", … */
export function errorTitle(error: unknown): string {
  return describeError(error)[0];
}

function describeError(error: unknown): [title: string, message: string] {
  if (!isRouteErrorResponse(error)) {
    return ["Something went wrong", "An unexpected error stopped this page. Try again in a moment."];
  }
  const said = typeof error.data === "string" && error.data ? error.data : null;
  switch (error.status) {
    case 404:
      return ["Page not found", "There is nothing at this address. Check the link, or start again from the home page."];
    case 429:
      return ["Too many requests", said ?? "Please wait a little and try again."];
    case 503:
      return ["Temporarily unavailable", said ?? "This service cannot answer right now. Please try again in a minute."];
    default:
      return [`${error.status} ${error.statusText}`.trim(), said ?? "The request failed."];
  }
}
