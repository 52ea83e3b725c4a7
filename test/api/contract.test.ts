import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createClient, type Transport } from '../../electron/api/client.js';
import {
  ApiError,
  commandNames,
  commands,
  parseInput,
  type ApiEvent,
  type CommandResult,
} from '../../electron/api/contract/index.js';
import { repoRoot } from '../helpers/sharedFixtures.js';
import { validInputs } from './samples.js';

/** A transport that records what it is asked and answers from a table. */
function fakeTransport(answer: (name: string, input: unknown) => unknown) {
  const sent: { name: string; input: unknown }[] = [];
  const listeners = new Set<(event: ApiEvent) => void>();
  const transport: Transport = {
    invoke(name, input) {
      sent.push({ name, input });
      return Promise.resolve(answer(name, input));
    },
    subscribe(handler) {
      listeners.add(handler);
      return () => void listeners.delete(handler);
    },
  };
  const push = (event: unknown) => listeners.forEach((l) => l(event as ApiEvent));
  return { transport, sent, push };
}

describe('the command contract', () => {
  it('accepts a valid input for every command', () => {
    for (const name of commandNames) expect(parseInput(name, validInputs[name]).ok, name).toBe(true);
  });

  it.each([
    ['review.assign', { file: '../outside.jpg', class: 'red' }, 'file'],
    ['review.assign', { file: 'Images\\..\\x.jpg', class: 'red' }, 'file'],
    ['review.assign', { file: '/etc/passwd', class: 'red' }, 'file'],
    ['review.assign', { file: 'C:/x.jpg', class: 'red' }, 'file'],
    ['review.assign', { file: 'Images/a\u0000.jpg', class: 'red' }, 'file'],
    ['review.assign', { class: 'red' }, 'file'],
    ['moves.undo', { last: 1, all: true }, ''],
    ['moves.recent', { limit: 1.5 }, 'limit'],
    ['settings.set', { mode: 'best' }, 'mode'],
    ['library.status', { __proto__: null, x: 1 }, ''],
    ['library.open', { path: 'relative/folder' }, 'path'],
  ] as const)('%s refuses %j, naming %s', (name, input, where) => {
    const parsed = parseInput(name, input);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.code).toBe('invalid-input');
    expect(parsed.error.issues?.map((i) => i.path)).toContain(where);
    expect(parsed.error.message).toMatch(new RegExp(`^${name.replace('.', '\\.')}: `));
  });

  it('refuses prototype-pollution keys as unknown keys, and pollutes nothing', () => {
    const payload: unknown = JSON.parse(
      '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}}',
    );
    const parsed = parseInput('library.status', payload);
    expect(parsed.ok).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('has a result schema and a description for every command', () => {
    for (const name of commandNames) {
      expect(commands[name].description.length).toBeGreaterThan(10);
      expect(typeof commands[name].result.safeParse).toBe('function');
    }
  });

  it("is importable by the renderer: the contract, client and transports reach only zod and the engine's shared names", async () => {
    const api = path.join(repoRoot, 'electron/api');
    const shared = [
      path.join(api, 'client.ts'),
      path.join(api, 'transports/socketTransport.ts'),
      path.join(api, 'transports/frames.ts'),
      path.join(api, 'transports/ipcTransport.ts'),
      path.join(repoRoot, 'electron/engine/choices.ts'),
      path.join(repoRoot, 'electron/engine/units.ts'),
      path.join(repoRoot, 'electron/engine/library/safeNames.ts'),
    ];
    const mayReach = (file: string) =>
      file.startsWith(path.join(api, 'contract') + path.sep) || shared.includes(file);
    const queue = [path.join(api, 'contract/index.ts'), ...shared];
    const seen = new Set<string>();
    for (const file of queue) {
      if (seen.has(file)) continue;
      seen.add(file);
      const shown = path.relative(repoRoot, file);
      expect(mayReach(file), shown).toBe(true);
      const source = await readFile(file, 'utf8');
      const imports = [...source.matchAll(/^\s*(?:import|export)[^'"]*from\s+'([^']+)'/gm)].map((m) => m[1]!);
      for (const name of imports) {
        if (name === 'zod') continue;
        expect(name, `${shown}: ${name}`).toMatch(/^\.\.?\//);
        queue.push(path.resolve(path.dirname(file), name.replace(/\.js$/, '.ts')));
      }
    }
  });
});

describe('createClient', () => {
  it('checks inputs before sending, and types results from the contract', async () => {
    const { transport, sent } = fakeTransport(() => ({ sorting: true }));
    const client = createClient(transport);
    const result = await client.invoke('sort.start');
    expectTypeOf(result).toEqualTypeOf<CommandResult<'sort.start'>>();
    expect(result).toEqual({ sorting: true });
    expect(sent).toEqual([{ name: 'sort.start', input: {} }]);

    // @ts-expect-error: review.assign needs its input
    const missing = client.invoke('review.assign');
    await expect(missing).rejects.toBeInstanceOf(ApiError);
    // @ts-expect-error: the file must be a string
    const wrong = client.invoke('review.assign', { file: 1, class: 'red' });
    await expect(wrong).rejects.toMatchObject({ code: 'invalid-input', issues: [{ path: 'file' }] });
    expect(sent).toHaveLength(1);
  });

  it('delivers only well-formed events of the kind asked for', () => {
    const { transport, push } = fakeTransport(() => undefined);
    const client = createClient(transport);
    const seen: unknown[] = [];
    const stop = client.on('progress', (data) => {
      expectTypeOf(data).toEqualTypeOf<{ queued: number; done: number; perSecond: number }>();
      seen.push(data);
    });
    push({ event: 'progress', data: { queued: 2, done: 1, perSecond: 3 } });
    push({ event: 'progress', data: { queued: 'two' } });
    push({ event: 'sorted', data: { file: 'a', class: 'b', to: 'c', score: 1, margin: 1 } });
    stop();
    push({ event: 'progress', data: { queued: 3, done: 3, perSecond: 3 } });
    expect(seen).toEqual([{ queued: 2, done: 1, perSecond: 3 }]);
  });
});
