import type { EmulatorConfig } from "./options";
import type { ApplicationBot } from "./state/bot";
import type { EmulatorState } from "./state/emulator-state";
import type { SigningKeys } from "./webhooks/signing-keys";

/** What every handler can reach; `state` is replaced wholesale by a reset. */
export interface AppContext {
  readonly config: EmulatorConfig;
  readonly keys: SigningKeys;
  readonly bot: ApplicationBot;
  state: EmulatorState;
}

/** The emulator's single application, as named on the consent page and in /oauth2/@me. */
export const APPLICATION_NAME = "Discord Emulator App";
