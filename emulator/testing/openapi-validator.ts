import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import spec from "../spec/discord-openapi.json" with { type: "json" };

const SPEC_ID = "https://discord.com/api/v10/openapi.json";
const INT32_RANGE = 2 ** 31;

/**
 * Ajv (JSON Schema 2020-12, strict) loaded with Discord's OpenAPI document.
 * OpenAPI's top-level members and Discord's x- extension are declared as
 * annotation keywords, so strict mode accepts the document without
 * ignoring anything that validates; Discord's custom formats are registered
 * with their documented meaning.
 */
function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
  addFormats(ajv); // date-time, uri
  ajv.addVocabulary(["openapi", "info", "externalDocs", "servers", "paths", "components", "x-discord-union"]);
  ajv.addFormat("snowflake", /^(0|[1-9][0-9]*)$/);
  ajv.addFormat("int32", {
    type: "number",
    validate: (n: number) => Number.isInteger(n) && n >= -INT32_RANGE && n < INT32_RANGE,
  });
  ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isSafeInteger(n) });
  // A message's nonce is whatever string its sender chose; its one rule (at most 25
  // characters) is the schema's own maxLength beside the format.
  ajv.addFormat("nonce", { type: "string", validate: () => true });
  ajv.addSchema({ ...spec, $id: SPEC_ID });
  return ajv;
}

const ajv = createAjv();

/** JSON Pointer escaping (RFC 6901) plus URI-fragment encoding. */
const pointerSegment = (segment: string) => encodeURIComponent(segment.replace(/~/g, "~0").replace(/\//g, "~1"));

/** The validator for an operation's JSON response body, exactly as the spec declares it. */
export function responseValidator(path: string, method: string, status: string): ValidateFunction {
  const pointer = ["paths", path, method, "responses", status, "content", "application/json", "schema"]
    .map(pointerSegment)
    .join("/");
  const validate = ajv.getSchema(`${SPEC_ID}#/${pointer}`);
  if (!validate) throw new Error(`the spec has no ${status} JSON response for ${method.toUpperCase()} ${path}`);
  return validate;
}
