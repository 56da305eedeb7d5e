import { randomUUID } from "node:crypto";
import { Socket } from "node:net";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { log } from "~/utils/logger.server";

export interface ListenerHandlers {
  /** A notification on the channel (proofs are not passed on). */
  onMessage(payload: string): void;
  /**
   * Every notification committed before `sentAt` (performance.now() of this process) has
   * been passed to onMessage: a proof sent then has come back on this connection.
   */
  onProof(sentAt: number): void;
  /** Listening on a new connection: what was committed while there was none is unknown. */
  onListening(): void;
  /** The connection failed, or is being replaced: nothing is proven until the next proof. */
  onDown(reason: string): void;
}

export interface ListenerOptions {
  connectionString: string;
  channel: string;
  /** Sends a notification through another connection (the pool), to prove delivery. */
  ping(payload: string): Promise<void>;
  /** How often a proof is sent (at most one is outstanding). */
  proofEveryMs?: number;
  /** A proof committed this long ago that has not arrived means the connection is not delivering. */
  replaceAfterMs?: number;
}

const CONNECT_TIMEOUT_MS = 5_000;
/** Longest wait between attempts to listen again: back within moments of the database. */
const MAX_RETRY_MS = 500;
/**
 * Where proofs never arrive on a new connection either (a server whose notifications do
 * not cross connections), replacing it again and again is churn: the wait grows to this.
 */
const MAX_PATIENCE_MS = 8_000;
/** Keepalive probes start this soon on an idle connection (the OS default is two hours). */
const KEEPALIVE_AFTER_MS = 10_000;

interface Proof {
  payload: string;
  sentAt: number;
  committedAt?: number;
}

/**
 * LISTEN on a connection of its own, with delivery proved, not assumed. Postgres delivers
 * notifications in commit order, so a proof (a notification sent through the pool) that
 * comes back proves that every change committed before it was sent has arrived. Proofs
 * go out a few times a second; one that committed but does not arrive means the
 * connection died without a word (a NAT or firewall timeout, a failover, a frozen path):
 * it is closed hard and replaced. That also covers servers where notifications never
 * cross connections (a pooler in transaction mode; the embedded PGlite): no proof ever
 * arrives there.
 */
export class PostgresListener {
  private client: pg.Client | null = null;
  private socket: Socket | null = null;
  private listening = false;
  private outstanding: Proof | null = null;
  private readonly ticker: NodeJS.Timeout;
  private retryMs = 0;
  private downSince: number | null = null;
  private readonly replaceAfterMs: number;
  /** How long a committed proof may take to arrive before the connection is replaced. */
  private patienceMs: number;

  constructor(
    private readonly options: ListenerOptions,
    private readonly handlers: ListenerHandlers,
  ) {
    this.replaceAfterMs = this.patienceMs = options.replaceAfterMs ?? 1_500;
    this.ticker = setInterval(() => this.tick(), options.proofEveryMs ?? 250);
    this.ticker.unref();
  }

  start(): void {
    void this.connect();
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.options.connectionString,
      application_name: "remix-discord-login listener",
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      keepAlive: true,
      keepAliveInitialDelayMillis: KEEPALIVE_AFTER_MS,
      // Held so a connection that stopped answering can be closed at once: a polite
      // end() waits for a goodbye that a frozen path never delivers.
      stream: () => (this.socket = new Socket()),
    });
    this.client = client;
    client.on("notification", (message) => {
      if (client === this.client) this.received(message.payload ?? "");
    });
    client.on("error", (error) => this.failed(client, error.message));
    client.on("end", () => this.failed(client, "the connection ended"));
    try {
      await client.connect();
      await client.query(`LISTEN ${pg.escapeIdentifier(this.options.channel)}`);
      if (client !== this.client) return;
      this.listening = true;
      this.retryMs = 0;
      this.handlers.onListening();
      this.tick();
    } catch (error) {
      this.failed(client, error instanceof Error ? error.message : String(error));
    }
  }

  private tick(): void {
    if (!this.listening) return;
    const proof = this.outstanding;
    if (proof) {
      const committedFor = proof.committedAt === undefined ? 0 : performance.now() - proof.committedAt;
      if (committedFor > this.patienceMs) {
        this.patienceMs = Math.min(this.patienceMs * 2, MAX_PATIENCE_MS);
        this.failed(this.client!, `a proof of delivery committed ${Math.round(committedFor)} ms ago never arrived`);
      }
      return;
    }
    const sent: Proof = { payload: `ping:${randomUUID()}`, sentAt: performance.now() };
    this.outstanding = sent;
    this.options.ping(sent.payload).then(
      () => (sent.committedAt = performance.now()),
      // The pool could not send it (the database is busy or away): the next tick tries again.
      () => {
        if (this.outstanding === sent) this.outstanding = null;
      },
    );
  }

  private received(payload: string): void {
    if (!payload.startsWith("ping:")) return this.handlers.onMessage(payload);
    const proof = this.outstanding;
    if (payload !== proof?.payload) return; // another instance's proof
    this.outstanding = null;
    this.patienceMs = this.replaceAfterMs;
    if (this.downSince !== null) {
      log.info("session change notifications arrive again; sessions are served from memory", {
        down_for_ms: Math.round(performance.now() - this.downSince),
      });
      this.downSince = null;
    }
    this.handlers.onProof(proof.sentAt);
  }

  private failed(client: pg.Client, reason: string): void {
    if (client !== this.client) return;
    this.drop();
    if (this.downSince === null) {
      // Said once per outage, not once per attempt.
      this.downSince = performance.now();
      log.warn("session change notifications are not arriving; sessions are read from the database meanwhile", {
        reason,
      });
    }
    this.handlers.onDown(reason);
    setTimeout(() => void this.connect(), this.retryMs).unref();
    this.retryMs = Math.min(Math.max(this.retryMs * 2, 50), MAX_RETRY_MS);
  }

  /** Closes the connection hard, whatever state it is in. */
  private drop(): void {
    this.client?.removeAllListeners("notification");
    this.client = null;
    this.listening = false;
    this.outstanding = null;
    this.socket?.destroy();
    this.socket = null;
  }
}
