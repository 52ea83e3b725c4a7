/**
 * Folders on another device than the temporary folder, for moves across devices: /dev/shm is a tmpfs on Linux.
 * Where it is missing or on the same device, the tests that need it are skipped.
 */
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';

const FAR = '/dev/shm';

/** True when /dev/shm is on another device than the temporary folder the libraries are made in. */
export const acrossDevices = existsSync(FAR) && statSync(FAR).dev !== statSync(os.tmpdir()).dev;

/** Why the cross-device tests are skipped, for their titles. */
export const acrossDevicesNote = acrossDevices
  ? ''
  : ` (skipped: ${FAR} is missing or on the same device as ${os.tmpdir()})`;

/** A fresh folder in /dev/shm per call, removed after the test. */
export function useFarDirs(): () => Promise<string> {
  const made: string[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return async () => {
    const dir = await mkdtemp(path.join(FAR, 'clipsort-far-'));
    made.push(dir);
    return dir;
  };
}
