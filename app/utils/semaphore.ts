/** At most `limit` holders at once; others wait in line, up to a deadline. */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  /** Resolves with a release function, or null when no slot freed up within `timeoutMs`. */
  async acquire(timeoutMs: number): Promise<(() => void) | null> {
    if (this.active < this.limit) {
      this.active += 1;
      return this.releaser();
    }
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.active += 1;
        resolve(this.releaser());
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(wake), 1);
        resolve(null);
      }, timeoutMs);
      this.waiting.push(wake);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active -= 1;
      this.waiting.shift()?.();
    };
  }
}
