import { failure } from "./log";

/**
 * Stops what the launcher started, newest first (the app before the database it
 * uses), exactly once, whatever triggered it: Ctrl-C, SIGTERM, a crash of the app.
 */
export class Shutdown {
  private steps: Array<{ name: string; run: () => Promise<void> | void }> = [];
  private running: Promise<void> | null = null;

  add(name: string, run: () => Promise<void> | void): void {
    this.steps.push({ name, run });
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      for (const step of this.steps.reverse()) {
        try {
          await step.run();
        } catch (error) {
          failure(`stopping ${step.name}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    })();
    return this.running;
  }
}
