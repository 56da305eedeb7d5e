/**
 * The last `limit` characters a process printed, for diagnosing a failure. Chunks are kept
 * as they come and joined only when read: copying a megabyte on every chunk would cost the
 * test (or the benchmark's load generator, in the same process) more than the process
 * watched.
 */
export class OutputTail {
  private chunks: string[] = [];
  private length = 0;

  constructor(private readonly limit = 1_000_000) {}

  readonly add = (chunk: Buffer | string): void => {
    const text = chunk.toString();
    this.chunks.push(text);
    this.length += text.length;
    while (this.chunks.length > 1 && this.length - this.chunks[0]!.length >= this.limit) {
      this.length -= this.chunks.shift()!.length;
    }
  };

  toString(): string {
    return this.chunks.join("").slice(-this.limit);
  }
}
