import { createServer, type Server, type Socket } from "node:net";
import type { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketHandler, type PGLiteSocketHandlerOptions } from "@electric-sql/pglite-socket";

/**
 * Serves one PGlite database to many Postgres connections over TCP.
 *
 * PGlite has a single session, so connections take turns. pglite-socket's own queue
 * keeps a connection's turn only while a transaction is open; but `pg` sends each
 * parameterised query as several messages (Parse, Bind, Execute … Sync), and another
 * connection's messages slipping in between replace the unnamed statement: queries fail
 * with "unnamed prepared statement does not exist" or answer the wrong caller. This queue
 * keeps the turn until the sequence ends (Sync, or a simple Query) and for as long as a
 * transaction is open.
 */
export async function servePGlite(db: PGlite, port: number): Promise<{ port: number; stop(): Promise<void> }> {
  const queue = new TurnTakingQueue(db);
  const handlers = new Set<PGLiteSocketHandler>();
  const server: Server = createServer((socket: Socket) => {
    const handler = new PGLiteSocketHandler({
      closeOnDetach: true,
      // The handler only calls enqueue, clearQueueForHandler and clearTransactionIfNeeded.
      queryQueue: queue as unknown as PGLiteSocketHandlerOptions["queryQueue"],
    });
    handlers.add(handler);
    const forget = () => handlers.delete(handler);
    handler.addEventListener("close", forget);
    handler.addEventListener("error", forget);
    handler.attach(socket).catch(() => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return {
    port: (server.address() as { port: number }).port,
    async stop() {
      for (const handler of handlers) await handler.detach(true);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface Job {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: Error) => void;
}

// Message types after which a connection's exchange is complete: Sync and simple Query.
const SYNC = 0x53;
const QUERY = 0x51;

class TurnTakingQueue {
  private readonly jobs: Job[] = [];
  private running = false;
  /** The connection whose turn it is, until its sequence (or transaction) ends. */
  private owner: number | null = null;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.jobs.push({ handlerId, message, onData, resolve, reject });
      void this.run();
    });
  }

  clearQueueForHandler(handlerId: number): void {
    for (let index = this.jobs.length - 1; index >= 0; index -= 1) {
      if (this.jobs[index]!.handlerId !== handlerId) continue;
      this.jobs.splice(index, 1)[0]!.reject(new Error("connection closed"));
    }
  }

  /** A connection that leaves mid-turn must not keep the database: roll back, move on. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return;
    if (this.db.isInTransaction()) await this.db.exec("ROLLBACK");
    this.owner = null;
    void this.run();
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (;;) {
        const index = this.owner === null ? 0 : this.jobs.findIndex((job) => job.handlerId === this.owner);
        if (index < 0 || this.jobs.length === 0) return; // waiting for the owner's next message
        const job = this.jobs.splice(index, 1)[0]!;
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(job.message, {
              onRawData: (data) => {
                bytes += data.length;
                job.onData(data);
              },
            }),
          );
          job.resolve(bytes);
        } catch (error) {
          job.reject(error as Error);
        }
        const type = job.message[0];
        const exchangeEnded = type === SYNC || type === QUERY || type === 0; // 0: a startup packet
        this.owner = exchangeEnded && !this.db.isInTransaction() ? null : job.handlerId;
      }
    } finally {
      this.running = false;
    }
  }
}
