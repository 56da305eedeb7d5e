import type { AppContext } from "../app-context";
import { apiRoutesOn } from "./api-paths";
import { type FieldError, MISSING_ACCESS, invalidFormBody } from "../discord/errors";
import { readBody } from "../http/body";
import type { IncomingRequest, Router } from "../http/router";
import { sendJson, sendNoContent } from "../http/respond";
import {
  METADATA_TYPES,
  type MetadataRecord,
  type MetadataType,
  type RoleConnection,
  valueFits,
} from "../state/role-connections";
import { authorize } from "./bearer-auth";
import { authorizeBot } from "./bot-auth";

const INVALID_JSON = { message: "The request body contains invalid JSON.", code: 50109 } as const;
/** Discord's limits (application-role-connection-metadata.mdx, user.mdx). */
const MAX_RECORDS = 5;
const KEY = /^[a-z0-9_]{1,50}$/;
const SCOPE = "role_connections.write";

/**
 * Linked Roles, as Discord serves them: the application's metadata records (bot token),
 * and each person's role connection (their `role_connections.write` access token), both
 * for this application only. Values are checked against the records' types.
 */
export function registerRoleConnectionRoutes(router: Router, context: AppContext): void {
  const on = apiRoutesOn(router, context);
  // Read at each request: a reset swaps the whole state.
  const store = () => context.state.roleConnections;
  const ours = (request: IncomingRequest) => request.params.applicationId === context.config.clientId;

  const metadataPath = "/applications/:applicationId/role-connections/metadata";
  on("GET", metadataPath, "role_connection_metadata", (request) => {
    if (!authorizeBot(context, request)) return;
    if (!ours(request)) return sendJson(request.res, 403, MISSING_ACCESS);
    sendJson(request.res, 200, store().metadata().map(metadataJson));
  });
  on("PUT", metadataPath, "role_connection_metadata", async (request) => {
    if (!authorizeBot(context, request)) return;
    const body = await readJson(request);
    if (body === undefined) return;
    if (!ours(request)) return sendJson(request.res, 403, MISSING_ACCESS);
    const parsed = parseRecords(body);
    if ("errors" in parsed) return sendJson(request.res, 400, invalidFormBody(parsed.errors));
    store().setMetadata(parsed.records);
    sendJson(request.res, 200, parsed.records.map(metadataJson));
  });

  const connectionPath = "/users/@me/applications/:applicationId/role-connection";
  on("GET", connectionPath, "role_connection", (request) => {
    const authorized = authorize(context, request, SCOPE);
    if (!authorized) return;
    if (!ours(request)) return sendJson(request.res, 403, MISSING_ACCESS);
    sendJson(request.res, 200, connectionJson(store().of(authorized.account.id)));
  });
  on("PUT", connectionPath, "role_connection", async (request) => {
    const authorized = authorize(context, request, SCOPE);
    if (!authorized) return;
    const body = await readJson(request);
    if (body === undefined) return;
    if (!ours(request)) return sendJson(request.res, 403, MISSING_ACCESS);
    const parsed = parseConnection(body, store().metadata());
    if ("errors" in parsed) return sendJson(request.res, 400, invalidFormBody(parsed.errors));
    store().set(authorized.account.id, parsed.connection);
    sendJson(request.res, 200, connectionJson(parsed.connection));
  });
  on("DELETE", connectionPath, "role_connection", (request) => {
    const authorized = authorize(context, request, SCOPE);
    if (!authorized) return;
    if (!ours(request)) return sendJson(request.res, 403, MISSING_ACCESS);
    store().delete(authorized.account.id);
    sendNoContent(request.res);
  });
}

/** The JSON body, or undefined once Discord's 50109 has been sent. */
async function readJson({ req, res }: IncomingRequest): Promise<unknown> {
  try {
    return JSON.parse((await readBody(req)).toString("utf8"));
  } catch {
    sendJson(res, 400, INVALID_JSON);
    return undefined;
  }
}

function metadataJson(record: MetadataRecord) {
  return {
    type: record.type,
    key: record.key,
    name: record.name,
    description: record.description,
    ...(record.name_localizations ? { name_localizations: record.name_localizations } : {}),
    ...(record.description_localizations ? { description_localizations: record.description_localizations } : {}),
  };
}

/** An unset platform name is left out: Discord's description types it as a string. */
function connectionJson(connection: RoleConnection | undefined) {
  return {
    ...(connection?.platformName ? { platform_name: connection.platformName } : {}),
    platform_username: connection?.platformUsername ?? null,
    metadata: connection?.metadata ?? {},
  };
}

type Errors = Record<string, FieldError>;
const tooLong = (max: number): FieldError => ({
  code: "BASE_TYPE_BAD_LENGTH",
  message: `Must be between 1 and ${max} in length.`,
});
const lengthOk = (value: unknown, max: number): value is string =>
  typeof value === "string" && [...value].length >= 1 && [...value].length <= max;

function parseRecords(body: unknown): { records: MetadataRecord[] } | { errors: Errors } {
  if (!Array.isArray(body)) return { errors: { _root: { code: "BASE_TYPE_ARRAY", message: "Must be an array." } } };
  if (body.length > MAX_RECORDS) {
    return {
      errors: { _root: { code: "BASE_TYPE_MAX_LENGTH", message: `Must be ${MAX_RECORDS} or fewer in length.` } },
    };
  }
  const errors: Errors = {};
  const keys = new Set<string>();
  body.forEach((item: Record<string, unknown> | null, index) => {
    const at = (field: string) => `${index}.${field}`;
    if (typeof item !== "object" || item === null) {
      errors[String(index)] = { code: "DICT_TYPE_CONVERT", message: "Only dictionaries may be used in a DictType" };
      return;
    }
    if (!Object.hasOwn(METADATA_TYPES, String(item.type)) || !Number.isInteger(item.type)) {
      errors[at("type")] = {
        code: "ENUM_TYPE_COERCE",
        message: `Value "${String(item.type)}" is not a valid enum value.`,
      };
    }
    if (typeof item.key !== "string" || !KEY.test(item.key)) {
      errors[at("key")] = { code: "APPLICATION_ROLE_CONNECTIONS_METADATA_INVALID_KEY", message: "Invalid key." };
    } else if (keys.has(item.key)) {
      errors[at("key")] = { code: "APPLICATION_ROLE_CONNECTIONS_METADATA_DUPLICATE_KEY", message: "Duplicate key." };
    } else keys.add(item.key);
    if (!lengthOk(item.name, 100)) errors[at("name")] = tooLong(100);
    if (!lengthOk(item.description, 200)) errors[at("description")] = tooLong(200);
  });
  if (Object.keys(errors).length > 0) return { errors };
  return {
    records: (body as Record<string, unknown>[]).map((item) => ({
      type: item.type as MetadataType,
      key: item.key as string,
      name: item.name as string,
      description: item.description as string,
      name_localizations: (item.name_localizations as Record<string, string> | undefined) ?? null,
      description_localizations: (item.description_localizations as Record<string, string> | undefined) ?? null,
    })),
  };
}

function parseConnection(
  body: unknown,
  records: readonly MetadataRecord[],
): { connection: RoleConnection } | { errors: Errors } {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { errors: { _root: { code: "DICT_TYPE_CONVERT", message: "Only dictionaries may be used in a DictType" } } };
  }
  const {
    platform_name: platformName,
    platform_username: platformUsername,
    metadata,
  } = body as Record<string, unknown>;
  const errors: Errors = {};
  if (platformName != null && !lengthOk(platformName, 50)) errors.platform_name = tooLong(50);
  if (platformUsername != null && !lengthOk(platformUsername, 100)) errors.platform_username = tooLong(100);
  const values: Record<string, string> = {};
  if (metadata != null) {
    if (typeof metadata !== "object" || Array.isArray(metadata)) {
      errors.metadata = { code: "DICT_TYPE_CONVERT", message: "Only dictionaries may be used in a DictType" };
    } else {
      for (const [key, value] of Object.entries(metadata as Record<string, unknown>)) {
        const record = records.find((candidate) => candidate.key === key);
        if (!record) {
          errors[`metadata.${key}`] = {
            code: "APPLICATION_ROLE_CONNECTIONS_METADATA_UNKNOWN_KEY",
            message: "Unknown metadata key.",
          };
        } else if (!lengthOk(value, 100) || !valueFits(record.type, value)) {
          errors[`metadata.${key}`] = {
            code: "APPLICATION_ROLE_CONNECTIONS_METADATA_INVALID_VALUE",
            message: `Must be ${record.type <= 4 ? "an integer" : record.type <= 6 ? "an ISO 8601 date-time" : "0 or 1"}.`,
          };
        } else values[key] = value;
      }
    }
  }
  if (Object.keys(errors).length > 0) return { errors };
  return {
    connection: {
      platformName: (platformName as string | null | undefined) ?? null,
      platformUsername: (platformUsername as string | null | undefined) ?? null,
      metadata: values,
      updatedAt: Date.now(),
    },
  };
}
