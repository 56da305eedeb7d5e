import { APPLICATION_NAME, type AppContext } from "../app-context";

/** The partial application object of /oauth2/@me (ApplicationResponse in the OpenAPI description). */
export function applicationJson({ config, keys }: AppContext) {
  return {
    id: config.clientId,
    name: APPLICATION_NAME,
    icon: null,
    description: "An application registered with the Discord emulator.",
    type: null,
    bot_public: false,
    bot_require_code_grant: false,
    verify_key: keys.publicKeyHex,
    flags: 0,
    flags_new: "0",
  };
}
