import type { IncomingMessage } from "node:http";
import type { z } from "zod";
import { mediaTypeOf, readBody } from "../http/body";
import { HttpError } from "../http/http-error";

/** The control API's error body: a machine-readable code, the field at fault, and a sentence. */
export function controlError(status: number, error: string, message: string, field?: string): HttpError {
  return new HttpError(status, { error, message, ...(field ? { field } : {}) });
}

export function invalidField(field: string, problem: string): HttpError {
  return controlError(400, "invalid_body", `${field} ${problem}`, field);
}

/** Parses and validates a JSON body; an empty body counts as {} so optional-only bodies may be omitted. */
export async function readJsonBody<Schema extends z.ZodType>(
  req: IncomingMessage,
  schema: Schema,
): Promise<z.infer<Schema>> {
  const raw = (await readBody(req)).toString("utf8");
  let value: unknown = {};
  if (raw.trim() !== "") {
    if (mediaTypeOf(req) !== "application/json") {
      throw controlError(415, "unsupported_media_type", "The body must be JSON sent as application/json.");
    }
    try {
      value = JSON.parse(raw);
    } catch {
      throw controlError(400, "invalid_json", "The body is not valid JSON.");
    }
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join(".") || (issue.code === "unrecognized_keys" ? issue.keys.join(", ") : "body");
    throw invalidField(field, issue.code === "unrecognized_keys" ? "is not a known field" : issue.message);
  }
  return parsed.data;
}
