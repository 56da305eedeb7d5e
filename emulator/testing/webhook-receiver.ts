import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedWebhook {
  readonly headers: Record<string, string | string[] | undefined>;
  readonly rawBody: string;
}

export interface WebhookReceiver {
  readonly url: string;
  readonly received: ReceivedWebhook[];
  /** Status to answer with; Discord expects 204 for both PINGs and events. */
  status: number;
  close(): Promise<void>;
}

/** A stand-in for an app's webhook endpoint that records what it is sent. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let answerWith = 204;
  const record = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    received.push({ headers: req.headers, rawBody: Buffer.concat(chunks).toString("utf8") });
    res.writeHead(answerWith).end();
  };
  // A delivery cut off half-way is the sender's to notice: drop the connection.
  const server: Server = createServer((req, res) => void record(req, res).catch(() => res.destroy()));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/discord`,
    received,
    get status() {
      return answerWith;
    },
    set status(status: number) {
      answerWith = status;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
