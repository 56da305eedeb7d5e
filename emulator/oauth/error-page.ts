import { type SafeHtml, html } from "../http/html";
import { page } from "./page-layout";

/** Shown instead of redirecting when the redirect target itself cannot be trusted. */
export function errorPage(message: string): SafeHtml {
  return page(
    "Authorization error",
    html`<h1>Something went wrong</h1>
<p class="muted">The application sent an invalid authorization request, so you were not redirected back to it.</p>
<p class="error" role="alert">${message}</p>`,
  );
}

/** A form POST refused because another site sent it (http/same-origin.ts says why). */
export function refusedPage(message: string): SafeHtml {
  return page(
    "Request refused",
    html`<h1>Request refused</h1>
<p class="error" role="alert">${message}</p>`,
  );
}
