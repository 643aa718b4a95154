import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, type FiledClaim, fileClaim, motorReport } from './helpers/api.ts';
import { seriousViolations } from './helpers/axe.ts';
import { type E2eBrowser, launchBrowser } from './helpers/browser.ts';
import { type E2eStack, startE2eStack } from './helpers/stack.ts';

/**
 * axe-core (WCAG 2.1 A/AA) on every main screen of both apps, in both languages where the screen
 * has text: no serious or critical violation. The customer app on a phone, the console on a desktop.
 */
let stack: E2eStack;
let browser: E2eBrowser;
let claim: FiledClaim;

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

beforeAll(async () => {
  stack = await startE2eStack();
  browser = await launchBrowser();
  const an = await apiAs(stack.apiUrl, 'an.nguyen');
  claim = await fileClaim(an, motorReport({ amount: 9_000_000, daysAgo: 3, cause: 'vandalism' }));
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function customerSignedIn(): Promise<Page> {
  const { page } = await browser.newPage(PHONE);
  await page.goto(stack.webUrl);
  await page.waitForURL(/#\/signin$/);
  expect(await seriousViolations(page), 'customer sign-in').toEqual([]);
  await page.getByLabel('Tên đăng nhập').fill('an.nguyen');
  await page.locator('form button[type=submit]').click();
  await page.waitForURL(/#\/claims$/);
  return page;
}

async function consoleAs(username: string): Promise<Page> {
  const { page } = await browser.newPage();
  await page.goto(stack.consoleUrl);
  await page.waitForURL(/#\/signin$/);
  await page.locator(`[data-username="${username}"]`).click();
  await page.waitForURL(/#\/queue/);
  return page;
}

const settled = (page: Page) => page.waitForLoadState('networkidle').catch(() => undefined);

describe('accessibility (axe-core, WCAG 2.1 AA)', () => {
  it('customer app on a phone: sign-in, claims, the form with its errors, a claim, in both languages', async () => {
    const page = await customerSignedIn();
    await page.locator(`a[href="#/claims/${claim.claimId}"]`).first().waitFor();
    expect(await seriousViolations(page), 'claims list').toEqual([]);

    await page.goto(`${stack.webUrl}#/claims/new`);
    await page.getByLabel(/MOT-2026-0001/).check();
    expect(await seriousViolations(page), 'new claim form').toEqual([]);
    await page.getByRole('button', { name: 'Gửi thông báo tổn thất' }).click();
    await page.getByRole('alert').first().waitFor();
    expect(await seriousViolations(page), 'form with field errors').toEqual([]);

    await page.goto(`${stack.webUrl}#/claims/${claim.claimId}`);
    await page.locator('h1').filter({ hasText: claim.claimNumber }).waitFor();
    await settled(page);
    expect(await seriousViolations(page), 'claim page (vi)').toEqual([]);
    await page.getByRole('button', { name: 'EN' }).click();
    await page
      .locator('h1')
      .filter({ hasText: `Claim ${claim.claimNumber}` })
      .waitFor();
    expect(await seriousViolations(page), 'claim page (en)').toEqual([]);
  });

  it("an English-speaking customer's app opens in English (the language of her record)", async () => {
    const { page } = await browser.newPage(PHONE);
    await page.goto(stack.webUrl);
    await page.waitForURL(/#\/signin$/);
    await page.getByLabel('Tên đăng nhập').fill('chi.le');
    await page.locator('form button[type=submit]').click();
    await page.waitForURL(/#\/claims$/);
    await expect.poll(() => page.locator('h1').textContent()).toBe('My claims');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await seriousViolations(page), 'claims list (en)').toEqual([]);
  });

  it('console: sign-in, queue, claim, phone intake', async () => {
    const { page: signIn } = await browser.newPage();
    await signIn.goto(stack.consoleUrl);
    await signIn.waitForURL(/#\/signin$/);
    expect(await seriousViolations(signIn), 'console sign-in').toEqual([]);

    const hai = await consoleAs('hai.do');
    await settled(hai);
    expect(await seriousViolations(hai), 'queue').toEqual([]);
    await hai.goto(`${stack.consoleUrl}#/claims/${claim.claimId}`);
    await hai.locator('.claim-page').waitFor();
    await settled(hai);
    expect(await seriousViolations(hai), 'claim page').toEqual([]);
    await hai.goto(`${stack.consoleUrl}#/phone`);
    await settled(hai);
    expect(await seriousViolations(hai), 'phone intake').toEqual([]);
  });

  it('console: finance, and the administration pages', async () => {
    const minh = await consoleAs('minh.dang');
    await minh.goto(`${stack.consoleUrl}#/finance`);
    await settled(minh);
    expect(await seriousViolations(minh), 'finance').toEqual([]);

    const admin = await consoleAs('admin');
    for (const page of ['staff', 'products', 'templates', 'audit', 'changes']) {
      await admin.goto(`${stack.consoleUrl}#/admin/${page}`);
      await admin.locator('h1').waitFor();
      await settled(admin);
      expect(await seriousViolations(admin), `admin ${page}`).toEqual([]);
    }
  });
});
