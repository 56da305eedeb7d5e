import type { DB } from "~/db/db.server";
import type { RunningEmulator } from "../emulator/server";
import type { AppInstance } from "../tests/support/app-instances";
import type { LoadResult } from "./http-load";

/** How long and how hard each case runs: the full benchmark, or a smoke test of it. */
export interface Plan {
  smoke: boolean;
  seconds: number;
  connections: number;
  loginSeconds: number;
  loginClients: number;
  stormRequests: number;
  scaleUsers: [small: number, large: number];
  /** Alternating rounds per size: a page's p50 on this kind of machine wanders by ±15% between runs. */
  scaleRounds: number;
  memoryRequests: number;
  /** Endings watched across instances, and distinct sessions held by one instance. */
  propagationTrials: number;
  cachedSessions: number;
  /** Endings watched with a listener healthy, and again with it frozen (bench/cases/staleness.ts). */
  stalenessEndings: number;
  /** People loading /servers, and how many servers each is in. */
  guildUsers: number;
  guildsPerUser: number;
}

export const FULL: Plan = {
  smoke: false,
  seconds: 8,
  connections: 10,
  loginSeconds: 15,
  loginClients: 20,
  stormRequests: 200,
  scaleUsers: [1_000, 1_000_000],
  scaleRounds: 5,
  memoryRequests: 100_000,
  propagationTrials: 200,
  cachedSessions: 100_000,
  stalenessEndings: 60,
  guildUsers: 3_000,
  guildsPerUser: 200,
};

export const SMOKE: Plan = {
  smoke: true,
  seconds: 1,
  connections: 4,
  loginSeconds: 2,
  loginClients: 4,
  stormRequests: 20,
  scaleUsers: [100, 1_000],
  scaleRounds: 1,
  memoryRequests: 1_000,
  propagationTrials: 10,
  cachedSessions: 1_000,
  stalenessEndings: 6,
  guildUsers: 20,
  guildsPerUser: 20,
};

export interface BenchContext {
  plan: Plan;
  /** Two instances of the production build on one database, as behind a load balancer. */
  instances: [AppInstance, AppInstance];
  /** Their settings (secrets included). */
  env: Record<string, string>;
  /** The stack's own ceiling: a minimal Remix app served the same way (bench/baseline). */
  baseline: { url: string; pid: number };
  emulator: RunningEmulator;
  /** A direct connection to the benchmark's database, for seeding and counting. */
  db: DB;
  /** Creates an emulated account and logs it in on the first instance; returns its id and cookie. */
  newUser(name: string): Promise<{ accountId: string; cookie: string }>;
  /** Prints a progress line for the long steps of a case. */
  say(message: string): void;
  /** Another instance of the same deployment (secrets, Discord), on the database given and with more settings; stopped at the end if not before. */
  startInstance(databaseUrl: string, extraEnv?: Record<string, string>): Promise<AppInstance>;
}

export interface Row {
  case: string;
  variant: string;
  load: LoadResult;
}

/** One measured figure, with its target (null when the case has none, or in a smoke run). */
export interface Finding {
  name: string;
  value: string;
  target: string;
  passed: boolean | null;
}

export interface CaseOutcome {
  rows: Row[];
  findings: Finding[];
}

export function judged(plan: Plan, passed: boolean): boolean | null {
  return plan.smoke ? null : passed;
}

/** A ratio that must reach `minimum` (0.9: "≥ 90%"), the target written once for both the table and the verdict. */
export function ratioAtLeast(plan: Plan, name: string, ratio: number, minimum: number): Finding {
  return {
    name,
    value: percent(ratio),
    target: `≥ ${Math.round(minimum * 100)}%`,
    passed: judged(plan, ratio >= minimum),
  };
}

export function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(1)}%`;
}
