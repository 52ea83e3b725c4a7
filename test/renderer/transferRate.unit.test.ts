import { describe, expect, it } from 'vitest';
import { formatBytes, percentOf, RateMeter } from '../../renderer/src/lib/transferRate.js';

describe('download figures', () => {
  it('measures the rate over the last window of running totals', () => {
    const meter = new RateMeter(5_000);
    expect(meter.perSecond()).toBeNull();
    meter.add(0, 0);
    expect(meter.perSecond()).toBeNull();
    meter.add(1_000_000, 1_000);
    expect(meter.perSecond()).toBe(1_000_000);
    meter.add(3_000_000, 2_000);
    expect(meter.perSecond()).toBe(1_500_000);
    // Ten seconds later at a slower pace: the first seconds fall out of the window.
    for (let s = 3; s <= 12; s++) meter.add(3_000_000 + (s - 2) * 100_000, s * 1_000);
    // Kept: the sample at 7 s (window start) to 12 s, 500,000 bytes over 5 s.
    expect(meter.perSecond()).toBe(100_000);
  });

  it('starts again when the total goes down (the next file or a resumed download)', () => {
    const meter = new RateMeter();
    meter.add(0, 0);
    meter.add(5_000_000, 1_000);
    meter.add(200, 1_500);
    expect(meter.perSecond()).toBeNull();
    meter.add(400_200, 2_500);
    expect(meter.perSecond()).toBe(400_000);
    meter.reset();
    expect(meter.perSecond()).toBeNull();
  });

  it('writes sizes in decimal units in the given language', () => {
    expect(formatBytes(0, 'en')).toBe('0 B');
    expect(formatBytes(999, 'en')).toBe('999 B');
    expect(formatBytes(1_000, 'en')).toBe('1.0 kB');
    expect(formatBytes(1_536_000, 'en')).toBe('1.5 MB');
    expect(formatBytes(605_000_000, 'en')).toBe('605 MB');
    expect(formatBytes(1_536_000, 'es')).toBe('1,5 MB');
    expect(formatBytes(2.5e12, 'en')).toBe('2.5 TB');
    expect(formatBytes(-5, 'en')).toBe('0 B');
  });

  it('gives whole percentages, 0 while the total is unknown', () => {
    expect(percentOf(0, 0)).toBe(0);
    expect(percentOf(50, 0)).toBe(0);
    expect(percentOf(1, 3)).toBe(33);
    expect(percentOf(999, 1000)).toBe(99);
    expect(percentOf(1000, 1000)).toBe(100);
    expect(percentOf(1200, 1000)).toBe(100);
  });
});
