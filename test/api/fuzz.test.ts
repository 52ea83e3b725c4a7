import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { commandNames, parseInput, type CommandName } from '../../electron/api/contract/index.js';
import { startServer, type RunningServer } from '../../electron/api/transports/server.js';
import { colourModelDir, makeColourLibrary } from '../helpers/colourLibrary.js';
import { treeHashes } from '../helpers/tree.js';
import { invoke, postCommand, request } from './http.js';
import { payloadFuzzer, type Payload } from './payloadFuzzer.js';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const PER_COMMAND = 240;
const SEED = 20_240_611;

/** Every file of the library with its sha256, and the sorted list of names (folders included). */
async function snapshot(root: string) {
  const tree = await treeHashes(root);
  return { names: [...tree.keys()].sort(), tree };
}

/** All payloads, generated once: PER_COMMAND per command. */
function allPayloads(): Payload[] {
  const { payload } = payloadFuzzer(SEED);
  return commandNames.flatMap((name) => Array.from({ length: PER_COMMAND }, () => payload(name)));
}

/** Sends messages over one WebSocket and collects the answers by id. */
async function socketSession(url: string, messages: string[]): Promise<unknown[]> {
  const socket = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const answers: unknown[] = [];
  const done = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${answers.length} answers`)), 30_000);
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString('utf8')) as { event?: string };
      if (message.event) return;
      answers.push(message);
      if (answers.length === messages.length) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  for (const message of messages) socket.send(message);
  await done;
  socket.close();
  return answers;
}

describe('malformed payloads', () => {
  let root: string;
  let server: RunningServer;
  const internal: unknown[] = [];
  const payloads = allPayloads();

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'clipsort-fuzz-'));
    await makeColourLibrary(root);
    server = await startServer({
      library: root,
      model: { modelDir: colourModelDir, threads: 1 },
      onInternalError: (error) => internal.push(error),
    });
  });

  afterAll(async () => {
    await server?.close();
    await rm(root, { recursive: true, force: true });
  });

  it(`generates ${PER_COMMAND} payloads for each of the ${commandNames.length} commands, every one refused by its schema`, () => {
    const counts = new Map<CommandName, number>();
    for (const { command, mutation, json } of payloads) {
      counts.set(command, (counts.get(command) ?? 0) + 1);
      const parsed = parseInput(command, JSON.parse(json));
      expect(parsed.ok, `${command}: ${mutation}: ${json.slice(0, 200)}`).toBe(false);
    }
    expect([...counts.values()].every((n) => n >= 200)).toBe(true);
    const mutations = new Set(payloads.map((p) => p.mutation.split(' ')[0]));
    expect([...mutations].sort()).toEqual(
      expect.arrayContaining(['bad', 'missing', 'not', 'prototype', 'traversal', 'unknown']),
    );
  });

  it('refuses each one over HTTP and the WebSocket with a clear error, touches no file, and keeps answering', async () => {
    const before = await snapshot(root);
    const started = performance.now();
    for (let i = 0; i < payloads.length; i += 16) {
      await Promise.all(
        payloads.slice(i, i + 16).map(async ({ command, mutation, json }) => {
          const reply = await postCommand(server.origin, server.token, command, json);
          const where = `${command}: ${mutation}`;
          expect(reply.status, where).toBe(400);
          const error = (reply.json as { error: { code: string; message: string; issues: unknown[] } }).error;
          expect(error.code, where).toBe('invalid-input');
          expect(error.message.startsWith(`${command}: `), where).toBe(true);
          expect(error.issues.length, where).toBeGreaterThan(0);
        }),
      );
    }
    const httpMs = performance.now() - started;

    const overSocket = payloads.filter((_, i) => i % 3 === 0);
    const answers = await socketSession(
      `ws://127.0.0.1:${server.port}/ws?token=${server.token}`,
      overSocket.map(
        ({ command, json }, id) => `{"id":${id},"command":${JSON.stringify(command)},"input":${json}}`,
      ),
    );
    for (const answer of answers as { id: number; error?: { code: string } }[]) {
      expect(answer.error?.code, overSocket[answer.id]?.mutation).toBe('invalid-input');
    }

    expect(internal).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const after = await snapshot(root);
    expect(after.names).toEqual(before.names);
    expect(after.tree).toEqual(before.tree);
    const status = await invoke<{ inbox: number }>(server.origin, server.token, 'library.status');
    expect(status.inbox).toBe(12);
    console.log(
      `${payloads.length} payloads over HTTP in ${Math.round(httpMs)} ms ` +
        `(${(httpMs / payloads.length).toFixed(2)} ms each, 16 at a time); ${overSocket.length} over the WebSocket`,
    );
  });

  it('refuses malformed requests and messages around the payloads too', async () => {
    const before = await snapshot(root);
    const { origin, token } = server;
    const auth = { Authorization: `Bearer ${token}` };
    const json = { ...auth, 'Content-Type': 'application/json' };
    for (const name of [
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      '../library.status',
      'x'.repeat(5000),
    ]) {
      const reply = await postCommand(origin, token, name, {});
      expect(reply.status, name.slice(0, 20)).toBe(404);
      expect((reply.json as { error: { code: string } }).error.code).toBe('unknown-command');
    }
    expect(
      (await request(origin, '/api/library.status', { method: 'POST', headers: json, body: '{"a":' })).status,
    ).toBe(400);
    expect(
      (await request(origin, '/api/library.status', { method: 'POST', headers: auth, body: '{}' })).status,
    ).toBe(415);
    expect((await request(origin, '/api/library.status', { headers: auth })).status).toBe(405);
    const huge = await request(origin, '/api/review.assign', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ file: 'x'.repeat(2 * 1024 * 1024), class: 'red' }),
    });
    expect((huge.json as { error: { code: string } }).error.code).toBe('too-large');
    expect(huge.status).toBe(413);

    const messages = [
      'not json',
      '[]',
      'null',
      '{"command":"library.status"}',
      '{"id":{"a":1},"command":"library.status"}',
      '{"id":1,"command":7}',
      '{"id":2,"command":"library.status","input":{},"__proto__":{"polluted":true}}',
      '{"id":3,"command":"__proto__","input":{}}',
      '{"id":4,"command":"review.assign","input":{"file":"../../etc/passwd","class":"red"}}',
    ];
    const answers = (await socketSession(`ws://127.0.0.1:${server.port}/ws?token=${token}`, messages)) as {
      error?: { code: string };
    }[];
    expect(answers.map((a) => a.error?.code)).toEqual([
      'invalid-json',
      'invalid-message',
      'invalid-message',
      'invalid-message',
      'invalid-message',
      'invalid-message',
      'invalid-message',
      'unknown-command',
      'invalid-input',
    ]);
    expect(internal).toEqual([]);
    expect((await snapshot(root)).tree).toEqual(before.tree);
    expect((await postCommand(origin, token, 'library.status', {})).status).toBe(200);
  });
});
