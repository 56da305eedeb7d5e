import { createContext, useContext } from "react";

const NonceContext = createContext("");

/** Carries the request's CSP nonce from entry.server.tsx to the scripts Remix renders. */
export const NonceProvider = NonceContext.Provider;

/** The nonce on the server; "" in the browser, which hides nonces from the DOM anyway. */
export function useNonce(): string {
  return useContext(NonceContext);
}
