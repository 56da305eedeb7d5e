import type { RouteKey } from "../traffic/route-keys";

/** Events tests assert on; the names are the control API's JSON keys. */
const COUNTED_EVENTS = [
  "codes_issued",
  "codes_issued_with_pkce",
  "code_exchanges",
  "code_exchanges_with_pkce",
  "rejected_code_reuses",
  "refreshes",
  "rejected_refresh_reuses",
  "revocations",
  "bots_added",
] as const;

export type CountedEvent = (typeof COUNTED_EVENTS)[number];

export type CountersJson = Record<CountedEvent, number> & {
  api_calls: Record<string, Record<string, number>>;
};

export class Counters {
  private readonly events = new Map<CountedEvent, number>();
  /** route key → HTTP status → responses sent */
  private readonly apiCalls = new Map<RouteKey, Map<number, number>>();
  /** route key → requests received and not yet answered (held by a delay fault, say) */
  private readonly inFlight = new Map<RouteKey, number>();

  count(event: CountedEvent): void {
    this.events.set(event, (this.events.get(event) ?? 0) + 1);
  }

  recordApiCall(route: RouteKey, status: number): void {
    const byStatus = this.apiCalls.get(route) ?? new Map<number, number>();
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    this.apiCalls.set(route, byStatus);
  }

  requestArrived(route: RouteKey): void {
    this.inFlight.set(route, (this.inFlight.get(route) ?? 0) + 1);
  }

  requestLeft(route: RouteKey): void {
    const remaining = (this.inFlight.get(route) ?? 0) - 1;
    if (remaining > 0) this.inFlight.set(route, remaining);
    else this.inFlight.delete(route);
  }

  /** Routes with requests being handled right now, and how many: what a test waits on. */
  inFlightJson(): Record<string, number> {
    return Object.fromEntries(this.inFlight);
  }

  toJSON(): CountersJson {
    const events = Object.fromEntries(COUNTED_EVENTS.map((event) => [event, this.events.get(event) ?? 0]));
    const apiCalls = Object.fromEntries(
      [...this.apiCalls].map(([route, byStatus]) => [
        route,
        Object.fromEntries([...byStatus].map(([status, n]) => [String(status), n])),
      ]),
    );
    return { ...(events as Record<CountedEvent, number>), api_calls: apiCalls };
  }
}
