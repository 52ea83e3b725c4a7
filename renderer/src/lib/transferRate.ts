/** Download figures for people: a transfer rate over a sliding window, byte sizes, and shares. */

interface Sample {
  at: number;
  bytes: number;
}

/**
 * Bytes per second over the last `windowMs`, from running totals. A total that goes down means a new transfer
 * (the next file, or a resumed download), so the window starts again rather than reporting a negative rate.
 */
export class RateMeter {
  #samples: Sample[] = [];

  constructor(readonly windowMs = 5_000) {}

  /** Records that `bytes` have arrived in total by `at` (milliseconds). */
  add(bytes: number, at: number): void {
    const last = this.#samples.at(-1);
    if (last && (bytes < last.bytes || at < last.at)) this.#samples = [];
    this.#samples.push({ at, bytes });
    const from = at - this.windowMs;
    // Keep one sample at or before the window's start, so the rate spans the whole window.
    while (this.#samples.length > 2 && this.#samples[1]!.at <= from) this.#samples.shift();
  }

  /** Bytes per second, or null until two samples span some time. */
  perSecond(): number | null {
    const first = this.#samples[0];
    const last = this.#samples.at(-1);
    if (!first || !last || last.at <= first.at) return null;
    return ((last.bytes - first.bytes) * 1000) / (last.at - first.at);
  }

  reset(): void {
    this.#samples = [];
  }
}

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB'] as const;

/** A byte count in decimal units (1 MB = 1,000,000 bytes, as download sizes are given), in `language`. */
export function formatBytes(bytes: number, language: string): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  const number = new Intl.NumberFormat(language, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(value);
  return `${number} ${UNITS[unit]}`;
}

/** How much of `total` is done, as a whole percentage from 0 to 100 (0 while the total is unknown). */
export function percentOf(done: number, total: number): number {
  if (!(total > 0)) return 0;
  return Math.min(100, Math.max(0, Math.floor((done / total) * 100)));
}
