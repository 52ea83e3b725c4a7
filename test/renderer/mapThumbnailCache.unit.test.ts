import { describe, expect, it } from 'vitest';
import { ThumbnailCache } from '../../renderer/src/lib/map/thumbnailCache.js';

/** A cache whose loads finish only when the test says so. */
function harness(capacity = 10, parallel = 2) {
  const started: string[] = [];
  const pending = new Map<string, (ok: boolean) => void>();
  let arrivals = 0;
  const cache = new ThumbnailCache<{ file: string }>({
    capacity,
    parallel,
    loaded: () => arrivals++,
    load: (file, done) => {
      started.push(file);
      pending.set(file, done);
      return { file };
    },
  });
  /** Finishes the load of `file`; the cache takes it a microtask later. */
  const finish = async (file: string, ok = true) => {
    const done = pending.get(file);
    if (!done) throw new Error(`${file} is not loading`);
    pending.delete(file);
    done(ok);
    await Promise.resolve();
  };
  return { cache, started, finish, arrivals: () => arrivals };
}

describe('map thumbnail cache', () => {
  it('loads what is wanted a few at a time, most wanted first, and hands it over once loaded', async () => {
    const { cache, started, finish, arrivals } = harness(10, 2);
    expect(cache.want(['a', 'b', 'c']).size).toBe(0);
    expect(started).toEqual(['a', 'b']);
    await finish('a');
    expect(arrivals()).toBe(1);
    expect(started).toEqual(['a', 'b', 'c']);
    const found = cache.want(['a', 'b', 'c']);
    expect([...found.keys()]).toEqual(['a']);
    expect(found.get('a')).toEqual({ file: 'a' });
    // Nothing already loading is loaded twice.
    expect(started).toEqual(['a', 'b', 'c']);
  });

  it('loads only what the latest call wants', async () => {
    const { cache, started, finish } = harness(10, 1);
    cache.want(['a', 'b', 'c']);
    cache.want(['x']);
    await finish('a');
    expect(started).toEqual(['a', 'x']);
  });

  it('forgets the least recently wanted thumbnail past its capacity', async () => {
    const { cache, finish } = harness(2, 3);
    cache.want(['a', 'b', 'c']);
    await finish('a');
    await finish('b');
    cache.want(['a']);
    await finish('c');
    expect(cache.size).toBe(2);
    expect([...cache.want(['a', 'b', 'c']).keys()]).toEqual(['a', 'c']);
  });

  it('does not try a failed thumbnail again', async () => {
    const { cache, started, finish, arrivals } = harness();
    cache.want(['a']);
    await finish('a', false);
    expect(arrivals()).toBe(0);
    expect(cache.want(['a']).size).toBe(0);
    expect(started).toEqual(['a']);
  });

  it('takes a load that finishes before it returns', async () => {
    let arrivals = 0;
    const cache = new ThumbnailCache<string>({
      capacity: 4,
      parallel: 1,
      loaded: () => arrivals++,
      load: (file, done) => {
        done(true);
        return file;
      },
    });
    cache.want(['a', 'b']);
    await Promise.resolve();
    await Promise.resolve();
    expect(arrivals).toBe(2);
    expect([...cache.want(['a', 'b']).values()]).toEqual(['a', 'b']);
  });
});
