import type { RunningEmulator } from "../server";
import type { JsonResponse } from "./harness";

/** Calls the emulator's API as the application's bot (`Authorization: Bot …`), or with another token given. */
export async function asBot(
  emulator: RunningEmulator,
  method: string,
  path: string,
  options: { body?: string; authorization?: string } = {},
): Promise<JsonResponse> {
  const response = await fetch(`${emulator.url}/api/v10${path}`, {
    method,
    headers: {
      Authorization: options.authorization ?? `Bot ${emulator.botToken}`,
      ...(options.body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    body: options.body,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}
