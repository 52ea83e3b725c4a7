/**
 * What the browser tests share: launching Debian's headless Chromium on a running `clipsort serve`, waiting on the
 * page, collecting what went wrong in it, and saving screenshots to test/artifacts/ for people to look at.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterEach } from 'vitest';
import { startServe, type ServeOptions, type ServeProcess } from '../api/serveProcess.js';
import { repoRoot } from '../helpers/sharedFixtures.js';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
const artifacts = path.join(repoRoot, 'test/artifacts');

/** A describe title that says why the tests skip where Chromium is missing. */
export const browserTitle = (title: string) =>
  hasChromium ? title : `${title} (skipped: no Chromium at ${CHROMIUM})`;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A page whose console errors, uncaught exceptions and failed responses are collected in `problems`: a refused
 * script or style under the strict CSP shows up there.
 */
export async function openPage(browser: Browser): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
  });
  return { page, problems };
}

/** A page open on a running `clipsort serve`, with what went wrong in it (see `openPage`). */
export interface ServedPage {
  serve: ServeProcess;
  page: Page;
  problems: string[];
}

/**
 * Starts `clipsort serve <root>` (on the colour model unless `options` say otherwise) and a Chromium page at its
 * address; the browser and the server are closed after each test.
 */
export function useServedPage(): (root: string, options?: ServeOptions) => Promise<ServedPage> {
  let serve: ServeProcess | undefined;
  let browser: Browser | undefined;
  afterEach(async () => {
    await browser?.close().catch(() => undefined);
    await serve?.stop().catch(() => undefined);
    browser = serve = undefined;
  });
  return async (root, options = {}) => {
    serve = await startServe(root, [], 30_000, options);
    browser = await launchChromium();
    const { page, problems } = await openPage(browser);
    await page.goto(serve.url);
    return { serve, page, problems };
  };
}

/** Resolves once the page's connection indicator shows `state`. */
export const connection = (page: Page, state: 'online' | 'offline') =>
  page.locator(`[data-testid="connection"][data-state="${state}"]`).waitFor({ timeout: 10_000 });

/** Saves a full-page screenshot as test/artifacts/<name>.png. */
export async function shot(page: Page, name: string): Promise<void> {
  await mkdir(artifacts, { recursive: true });
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
}

/** Resolves once `check` returns true; rejects with `what` after `ms`. */
export async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  ms = 30_000,
): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const textOf = async (page: Page, testId: string) =>
  (await page.getByTestId(testId).textContent({ timeout: 5_000 }))?.trim() ?? '';

/** Whether every image of the page has loaded, and none failed (in the page: the tests have no DOM types). */
export const thumbnailsLoaded = async (page: Page) =>
  (await page.evaluate(
    '[...document.images].length > 0 && [...document.images].every((i) => i.complete && i.naturalWidth > 0)',
  )) === true;

/** The RGB of the map's shown picture at a page position. */
export async function pixelAt(page: Page, x: number, y: number): Promise<number[]> {
  return page.evaluate<number[]>(`(() => {
    const shown = [...document.querySelectorAll('canvas.points')].find((c) => c.style.visibility === 'visible');
    const box = shown.getBoundingClientRect();
    const at = (v, start) => Math.round((v - start) * devicePixelRatio);
    return [...shown.getContext('2d').getImageData(at(${x}, box.left), at(${y}, box.top), 1, 1).data].slice(0, 3);
  })()`);
}
