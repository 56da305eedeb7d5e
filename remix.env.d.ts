/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />

// Loaders return plain data under Single Fetch (remix.config.js future flags).
declare module "@remix-run/server-runtime" {
  interface Future {
    v3_singleFetch: true;
  }
}

export {};
