/**
 * Discord ids are snowflakes: milliseconds since the Discord epoch in the
 * high bits, then worker, process and a per-millisecond increment.
 * https://discord.com/developers/docs/reference#snowflakes
 */
const DISCORD_EPOCH_MS = 1_420_070_400_000;

const MAX_SNOWFLAKE = (1n << 64n) - 1n;
const INCREMENT_BITS = 12n;
const EMULATOR_WORKER_AND_PROCESS = 1n << INCREMENT_BITS; // worker 0, process 1

export function snowflakeAt(timestampMs: number, increment = 0): string {
  const sinceEpoch = BigInt(Math.floor(timestampMs - DISCORD_EPOCH_MS));
  const sequence = BigInt(increment) & ((1n << INCREMENT_BITS) - 1n);
  return ((sinceEpoch << 22n) | EMULATOR_WORKER_AND_PROCESS | sequence).toString();
}

export function timestampOf(snowflake: string): number {
  return Number(BigInt(snowflake) >> 22n) + DISCORD_EPOCH_MS;
}

/** Accepts what Discord's API accepts: a decimal integer that fits in 64 unsigned bits. */
export function isSnowflake(value: string): boolean {
  return /^(0|[1-9][0-9]{0,19})$/.test(value) && BigInt(value) <= MAX_SNOWFLAKE;
}

/** Orders ids numerically (as Discord does), which string comparison gets wrong across lengths. */
export function compareSnowflakes(a: string, b: string): number {
  const difference = BigInt(a) - BigInt(b);
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

/** Issues strictly increasing ids for entities created while the emulator runs. */
export class SnowflakeGenerator {
  private lastTimestamp = 0;
  private increment = 0;

  next(now: number = Date.now()): string {
    if (now <= this.lastTimestamp) {
      this.increment += 1;
      if (this.increment >= 4096) {
        this.lastTimestamp += 1;
        this.increment = 0;
      }
    } else {
      this.lastTimestamp = now;
      this.increment = 0;
    }
    return snowflakeAt(this.lastTimestamp, this.increment);
  }
}
