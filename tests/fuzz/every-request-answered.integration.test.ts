import { it } from "vitest";
import { useDeployment } from "../support/deployment";
import { fuzzDeployment, fuzzEnv, TIME_BUDGET_MS } from "./run";

// The generated bad-input matrix (docs/bad-input.md) against the production build as it
// runs by default: anyone with a Discord account may sign in.

const deployment = useDeployment({ env: fuzzEnv });

it(
  "answers every generated request, below 500, in a stable shape, changing nothing it should not",
  () => fuzzDeployment(deployment(), "open"),
  TIME_BUDGET_MS + 120_000,
);
