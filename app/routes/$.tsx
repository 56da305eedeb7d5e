// Every address no other route answers. Without this route Remix would answer them
// before running the root loader, and the 404 page would lose the header (who is signed
// in) and the emulator banner that every other page shows.

export { ErrorPage as ErrorBoundary } from "~/components/error-page";

function notFound(): never {
  throw new Response("There is nothing at this address.", { status: 404, statusText: "Not Found" });
}

export const loader = notFound;
export const action = notFound;
