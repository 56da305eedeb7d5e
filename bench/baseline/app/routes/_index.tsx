import type { MetaFunction } from "@remix-run/node";

export const meta: MetaFunction = () => [{ title: "Baseline" }];

export default function Index() {
  return (
    <main>
      <h1>Baseline</h1>
      <p>A minimal Remix page: the most any page of the stack can do.</p>
    </main>
  );
}
