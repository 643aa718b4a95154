import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_FLAGS, shot } from './helpers/browser.ts';
import { type E2eStack, startE2eStack } from './helpers/stack.ts';

/**
 * The customer app as a Progressive Web App on a phone: Chromium finds it installable (its own
 * installability check, over the DevTools protocol), and once opened it opens again with the
 * network gone: the app shell comes from the service worker and says the server cannot be reached
 * instead of the browser's offline page. A persistent profile, because Chromium never offers to
 * install from an incognito context (which every other browser test uses).
 */
let stack: E2eStack;
let profile: string;
let context: BrowserContext;
let page: Page;
const errors: string[] = [];

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

beforeAll(async () => {
  stack = await startE2eStack();
  profile = await mkdtemp(path.join(tmpdir(), 'claims-pwa-profile-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...CHROMIUM_FLAGS, '--lang=vi-VN'],
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    ...PHONE,
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
});

afterAll(async () => {
  await context?.close();
  await stack?.stop();
  if (profile) await rm(profile, { recursive: true, force: true });
});

describe('customer app as a PWA', () => {
  it('is installable: manifest, icons and a service worker that controls the page', async () => {
    await page.goto(stack.webUrl);
    await page.waitForURL(/#\/signin$/);
    await page.getByLabel('Tên đăng nhập').fill('an.nguyen');
    await page.locator('form button[type=submit]').click();
    await page.waitForURL(/#\/claims$/);
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    expect(scope).toBe(`${new URL(stack.webUrl).origin}/customer/`);

    const cdp = await context.newCDPSession(page);
    const manifest = (await cdp.send('Page.getAppManifest')) as { url: string; errors: unknown[] };
    expect(manifest.url).toMatch(/\/customer\/manifest\.webmanifest$/);
    expect(manifest.errors).toEqual([]);
    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
      installabilityErrors: { errorId: string }[];
    };
    expect(installabilityErrors.map((e) => e.errorId)).toEqual([]);
  });

  it('opens without a network and says the server cannot be reached', async () => {
    // The page must be controlled before going offline (the first load only installs the worker).
    await page.reload();
    await expect.poll(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true);
    await context.setOffline(true);
    try {
      await page.reload();
      await page.waitForURL(/#\/claims$/);
      await expect
        .poll(async () => (await page.locator('body').textContent()) ?? '', { timeout: 15_000 })
        .toContain('Không kết nối được tới máy chủ');
      expect(await page.locator('header').textContent()).toContain('Bồi thường trực tuyến');
      await shot(page, 'phone-offline', true, 'current');
    } finally {
      await context.setOffline(false);
    }
    expect(errors).toEqual([]);
  });
});
