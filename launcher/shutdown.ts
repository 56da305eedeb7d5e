import { failure } from "./log";

export interface StepTiming {
  name: string;
  ms: number;
}

/**
 * Stops what the launcher started, newest first (the app before the database it
 * uses), exactly once, whatever triggered it: Ctrl-C, SIGTERM, a crash of the app.
 * Each step is timed, so the last line can say where a slow stop went.
 */
export class Shutdown {
  private readonly steps: Array<{ name: string; run: () => Promise<void> | void }> = [];
  private readonly announcements: Array<() => void> = [];
  private running: Promise<StepTiming[]> | null = null;

  add(name: string, run: () => Promise<void> | void): void {
    this.steps.push({ name, run });
  }

  /** Runs as the stop begins, before any step (say, to tell a new launcher to wait). */
  onBegin(announce: () => void): void {
    this.announcements.push(announce);
  }

  run(): Promise<StepTiming[]> {
    this.running ??= (async () => {
      for (const announce of this.announcements) announce();
      const timings: StepTiming[] = [];
      for (const step of [...this.steps].reverse()) {
        const started = performance.now();
        try {
          await step.run();
        } catch (error) {
          failure(`stopping ${step.name}: ${error instanceof Error ? error.message : String(error)}`);
        }
        timings.push({ name: step.name, ms: performance.now() - started });
      }
      return timings;
    })();
    return this.running;
  }
}
