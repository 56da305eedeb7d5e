import { connect, createServer, type Socket } from "node:net";

export interface TcpProxy {
  port: number;
  /** Connections opened through it so far. */
  readonly connections: number;
  /** Drops every connection and refuses new ones, as a dead network or server would. */
  cut(): void;
  /**
   * Stops carrying the connections open now, in both directions, without closing them:
   * a path that died without a word (a NAT or firewall timeout, a failover). Both ends
   * still see an open connection; new connections pass as before.
   */
  freeze(): void;
  restore(): void;
  close(): Promise<void>;
}

/** A loopback TCP proxy to `target`, for tests that take a dependency away and back. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let down = false;
  let connections = 0;
  const sockets = new Set<Socket>();
  const pairs = new Set<[Socket, Socket]>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
  };
  const server = createServer((client) => {
    track(client);
    if (down) {
      client.destroy();
      return;
    }
    connections += 1;
    const upstream = connect(target.port, target.host);
    track(upstream);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    client.pipe(upstream).pipe(client);
    client.on("close", () => {
      pairs.delete(pair);
      upstream.destroy();
    });
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as { port: number }).port,
    get connections() {
      return connections;
    },
    cut() {
      down = true;
      for (const socket of sockets) socket.destroy();
    },
    freeze() {
      for (const pair of pairs) {
        const [client, upstream] = pair;
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
        pairs.delete(pair);
      }
    },
    restore() {
      down = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
