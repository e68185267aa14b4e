import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { inject } from 'vitest';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Screenshots of a run land here, to be looked at (not committed). */
export const SCREENSHOT_DIR = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));

/** Builds the console with its own Vite config into a fresh folder, as `npm run build:console` does. */
export async function buildConsole(): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), 'comptoir-console-'));
  await build({ configFile: fileURLToPath(new URL('../../console/vite.config.ts', import.meta.url)), logLevel: 'error', build: { outDir, emptyOutDir: true } });
  return outDir;
}

/** The console the run's global setup built once, from the sources under test: every browser test serves it, none deletes it. */
export const builtConsole = (): string => inject('consoleDir');

/** Debian's Chromium, headless, with the network chatter a closed machine refuses turned off. */
export async function launchBrowser(): Promise<Browser> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A new page signed in with `key`; page errors fail the test that reads `errors`. */
export async function signedInPage(browser: Browser, baseUrl: string, key: string): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // The local runtime sends the cloud's Content-Security-Policy: any violation is a defect.
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) errors.push(m.text());
  });
  await page.goto(`${baseUrl}/`);
  await page.getByLabel('Clé d’API').fill(key);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.locator('#signed-in-as').waitFor();
  return { page, errors };
}

export const shoot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });

/** Where a screenshot the README shows is written: docs/screenshots/ with COMPTOIR_UPDATE_SCREENSHOTS=1, test-results/ otherwise (runs leave tracked files alone). */
export async function readmeScreenshotPath(name: string): Promise<string> {
  const path = process.env.COMPTOIR_UPDATE_SCREENSHOTS === '1' ? fileURLToPath(new URL(`../../docs/screenshots/${name}.png`, import.meta.url)) : join(SCREENSHOT_DIR, `${name}.png`);
  await mkdir(dirname(path), { recursive: true });
  return path;
}

/** Waits until the console shows `path` (its root records the route it rendered last). */
export const rendered = (page: Page, path: string) => page.locator(`#app[data-rendered-path="${path}"]`).waitFor();
