import { randomUUID } from "node:crypto";
import pg from "pg";
import { log } from "~/utils/logger.server";

export interface ListenerHandlers {
  /** A notification on the channel (the proof pings are not passed on). */
  onMessage(payload: string): void;
  /** Notifications reach this process again, after being down: what it missed meanwhile is unknown. */
  onUp(): void;
  /** They may not reach it any more (the connection failed, or a proof came back late). */
  onDown(reason: string): void;
}

export interface ListenerOptions {
  connectionString: string;
  channel: string;
  /** Sends a notification through another connection (the pool), to prove delivery. */
  ping(payload: string): Promise<void>;
  /** How often delivery is proved, and how long a proof may take. */
  proofEveryMs?: number;
  proofTimeoutMs?: number;
}

/**
 * LISTEN on a connection of its own, with delivery proved, not assumed: every few
 * seconds a notification is sent through another connection and must come back. Until
 * the first proof, and from any failure or late proof until the next proof, it is down.
 * That catches a connection that died without a word, and servers where notifications
 * do not cross connections at all (a pooler in transaction mode; the embedded PGlite).
 */
export class PostgresListener {
  private client: pg.Client | null = null;
  private up = false;
  private stopped = false;
  private pending: { payload: string; timer: NodeJS.Timeout } | null = null;
  private proofTimer: NodeJS.Timeout | null = null;
  private retryMs = 100;

  constructor(
    private readonly options: ListenerOptions,
    private readonly handlers: ListenerHandlers,
  ) {}

  get isUp(): boolean {
    return this.up;
  }

  start(): void {
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.clearProof();
    if (this.proofTimer) clearTimeout(this.proofTimer);
    await this.client?.end().catch(() => {});
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({
      connectionString: this.options.connectionString,
      application_name: "remix-discord-login listener",
      keepAlive: true,
    });
    this.client = client;
    client.on("notification", (message) => this.received(message.payload ?? ""));
    client.on("error", (error) => this.failed(client, error.message));
    client.on("end", () => this.failed(client, "the connection ended"));
    try {
      await client.connect();
      await client.query(`LISTEN ${pg.escapeIdentifier(this.options.channel)}`);
      this.retryMs = 100;
      this.prove(client);
    } catch (error) {
      this.failed(client, error instanceof Error ? error.message : String(error));
    }
  }

  /** Sends a proof now, and the next one a little later. */
  private prove(client: pg.Client): void {
    if (this.stopped || client !== this.client) return;
    const payload = `ping:${randomUUID()}`;
    this.clearProof();
    const timer = setTimeout(() => this.late(client), this.options.proofTimeoutMs ?? 2_000);
    timer.unref();
    this.pending = { payload, timer };
    this.options
      .ping(payload)
      .catch((error: unknown) => this.late(client, error instanceof Error ? error.message : String(error)));
    this.proofTimer = setTimeout(() => this.prove(client), this.options.proofEveryMs ?? 5_000);
    this.proofTimer.unref();
  }

  private received(payload: string): void {
    if (payload.startsWith("ping:")) {
      if (payload !== this.pending?.payload) return; // someone else's proof
      this.clearProof();
      if (!this.up) {
        this.up = true;
        this.handlers.onUp();
      }
      return;
    }
    this.handlers.onMessage(payload);
  }

  private late(client: pg.Client, reason = "a proof of delivery came back late"): void {
    if (client !== this.client) return;
    this.goDown(reason);
  }

  private failed(client: pg.Client, reason: string): void {
    if (client !== this.client || this.stopped) return;
    this.client = null;
    this.clearProof();
    if (this.proofTimer) clearTimeout(this.proofTimer);
    this.goDown(reason);
    client.end().catch(() => {});
    const retry = setTimeout(() => void this.connect(), this.retryMs);
    retry.unref();
    this.retryMs = Math.min(this.retryMs * 2, 2_000);
  }

  private goDown(reason: string): void {
    if (!this.up) return;
    this.up = false;
    log.warn("session change notifications are not arriving; sessions are read from the database meanwhile", {
      reason,
    });
    this.handlers.onDown(reason);
  }

  private clearProof(): void {
    if (this.pending) clearTimeout(this.pending.timer);
    this.pending = null;
  }
}
