/**
 * The explorer in a real browser (Debian's Chromium driven by playwright-core): it loads with no
 * request leaving the machine, a preset fills in the headers, and running the sample query shows
 * the household. Skipped with a printed reason where no Chromium is installed, unless
 * REQUIRE_BROWSER=1 (CI), where it fails instead.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import type { RunningPlatform } from '../../gateway/platform.ts';
import { startTestPlatform, testStorage, type TestStorage } from '../helpers/platform.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available) {
  if (process.env.REQUIRE_BROWSER === '1')
    throw new Error(`Chromium is not at ${CHROMIUM}, and REQUIRE_BROWSER=1 requires it`);
  console.warn(
    `SKIPPED: the explorer browser test needs Chromium at ${CHROMIUM} (apt-get install chromium)`,
  );
}

describe.skipIf(!available)('explorer in a browser', () => {
  let storage: TestStorage;
  let platform: RunningPlatform;
  let browser: Browser;

  beforeAll(async () => {
    storage = testStorage();
    platform = await startTestPlatform(storage, { NODE_ENV: 'development' });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.close();
    await storage?.cleanup();
  });

  it('runs the sample query as a caseworker preset and shows the household', async () => {
    const page = await browser.newPage();
    const origin = new URL(platform.gateway.url).origin;
    const foreign: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(origin) && !request.url().startsWith('data:'))
        foreign.push(request.url());
    });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));

    await page.goto(platform.gateway.url);
    await page.waitForSelector('.graphiql-container', { timeout: 20_000 });
    await page.selectOption('#preset', { index: 1 });
    await page.waitForSelector('.graphiql-container');
    await page.click('.graphiql-execute-button');
    const result = page.locator('.result-window');
    await expect
      .poll(async () => (await result.textContent()) ?? '', { timeout: 20_000 })
      .toContain(platform.sample!.household);
    const text = (await result.textContent()) ?? '';
    expect(text).toContain('relationToHead');
    expect(text).toContain('HEAD');
    await page.screenshot({ path: `${storage.dataDir}/explorer.png` });
    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
  });
});
