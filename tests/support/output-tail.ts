/**
 * The last `limit` characters a process printed, for diagnosing a failure. Chunks are kept
 * as they come and joined only when read: copying a megabyte on every chunk would cost the
 * test (or the benchmark's load generator, in the same process) more than the process
 * watched.
 */
export class OutputTail {
  private chunks: string[] = [];
  private length = 0;
  private dropped = 0;

  constructor(private readonly limit = 1_000_000) {}

  readonly add = (chunk: Buffer | string): void => {
    const text = chunk.toString();
    this.chunks.push(text);
    this.length += text.length;
    while (this.chunks.length > 1 && this.length - this.chunks[0]!.length >= this.limit) {
      const first = this.chunks.shift()!;
      this.length -= first.length;
      this.dropped += first.length;
    }
  };

  toString(): string {
    return this.chunks.join("").slice(-this.limit);
  }

  /** Everything printed from `position` on (as much of it as is still kept), and the position after it. */
  since(position: number): { text: string; next: number } {
    return {
      text: this.chunks.join("").slice(Math.max(0, position - this.dropped)),
      next: this.dropped + this.length,
    };
  }
}
