import { describe, expect, it } from 'vitest';
import { ChildChannel, ChildCrashedError } from '../../electron/engine/process/childChannel.js';

const echo = new URL('../helpers/echoWorker.ts', import.meta.url);

describe('ChildChannel', () => {
  it('matches replies to requests, even when they interleave', async () => {
    const channel = new ChildChannel<{ value: string }, { value: string }>(echo);
    const replies = await Promise.all(['a', 'b', 'c'].map((value) => channel.request({ value })));
    expect(replies.map((r) => r.value)).toEqual(['a', 'b', 'c']);
    await channel.close();
  });

  it('rejects what was in flight when the child crashes, then starts a new child', async () => {
    const channel = new ChildChannel<{ value: string }, { value: string; pid: number }>(echo);
    const first = await channel.request({ value: 'before' });
    const results = await Promise.allSettled([channel.request({ value: 'crash' })]);
    expect(results[0].status).toBe('rejected');
    const reason = (results[0] as PromiseRejectedResult).reason as ChildCrashedError;
    expect(reason).toBeInstanceOf(ChildCrashedError);
    expect(reason.signal).toBe('SIGSEGV');
    const after = await channel.request({ value: 'after' });
    expect(after.value).toBe('after');
    expect(after.pid).not.toBe(first.pid);
    await channel.close();
  });

  it('refuses requests once closed', async () => {
    const channel = new ChildChannel<{ value: string }, unknown>(echo);
    await channel.request({ value: 'x' });
    await channel.close();
    await expect(channel.request({ value: 'y' })).rejects.toThrow(/closed/);
  });
});
