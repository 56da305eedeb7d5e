// Preloaded (node --require) into an app instance whose wall clock must disagree with the
// database's by CLOCK_SKEW_MS (negative: behind), as a machine without time sync would.
// The monotonic clock (performance.now()) is left alone, as skew leaves it.
const skew = Number(process.env.CLOCK_SKEW_MS || 0);
if (skew !== 0) {
  const RealDate = Date;
  globalThis.Date = class SkewedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(RealDate.now() + skew);
      else super(...args);
    }
    static now() {
      return RealDate.now() + skew;
    }
  };
}
