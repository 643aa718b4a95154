import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, apiAs, eventually, fileClaim, motorReport, waitForWaiting } from './helpers/api.ts';
import { type E2eBrowser, launchBrowser, shot } from './helpers/browser.ts';
import { type E2eStack, startE2eStack } from './helpers/stack.ts';

/**
 * The claim header in the console names the deadline its red flag belongs to. A motor TPL claim
 * misses its 24-hour assessment deadline (Decree 67/2023 Art. 12) while the 3-working-day advance
 * payment deadline still runs: the queue sorts on the advance, but "Overdue" must point at the
 * assessment, not sit beside the advance's countdown. This file has its own stack, hence its own
 * virtual Scheduler clock.
 */
let stack: E2eStack;
let browser: E2eBrowser;
let an: Api;
let hai: Api;

beforeAll(async () => {
  stack = await startE2eStack();
  browser = await launchBrowser();
  [an, hai] = await Promise.all([apiAs(stack.apiUrl, 'an.nguyen'), apiAs(stack.apiUrl, 'hai.do')]);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('the claim header', () => {
  it('shows the missed deadline the red flag belongs to, and the next one due beside it', async () => {
    const claim = await fileClaim(an, {
      ...motorReport({ amount: 20_000_000, daysAgo: 1, cause: 'third_party_property' }),
      policyNumber: 'TPL-2026-0001',
    });
    await waitForWaiting(hai, claim.claimId, 'assessment');
    const r = await fetch(`${stack.schedulerUrl}/local/advance-time`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ seconds: 25 * 3600 }),
    });
    expect(r.status).toBe(200);
    const view = await eventually('the assessment deadline breached', async () => {
      const c = (await hai.get(`/claims/${claim.claimId}`)).body;
      return c.deadlineFlag === 'breached' ? c : undefined;
    });
    expect(view.flaggedDeadline).toMatchObject({ kind: 'assessment', status: 'breached' });
    expect(view.nextDeadline.kind).toBe('advance_payment');

    const { page } = await browser.newPage();
    await page.goto(stack.consoleUrl);
    await page.waitForURL(/#\/signin$/);
    await page.locator('[data-username="hai.do"]').click();
    await page.waitForURL(/#\/queue/);
    await page.goto(`${stack.consoleUrl}#/claims/${claim.claimId}`);
    await page.waitForSelector(`.claim-page[data-claim-id="${claim.claimId}"]`);

    const header = page.locator('.deadline-summary');
    expect(await header.getAttribute('data-flag')).toBe('breached');
    expect(await header.getAttribute('data-flag-kind')).toBe('assessment');
    expect(await header.getAttribute('data-flag-due')).toBe(view.flaggedDeadline.dueAt);
    expect(await header.locator('dt').textContent()).toBe('Thời hạn cần xử lý ngay');
    const text = (await header.locator('dd').textContent()) ?? '';
    // The flagged deadline leads, with its own due time; the advance payment is shown as next.
    expect(text.startsWith('Giám định')).toBe(true);
    expect(await header.locator('.flag-badge').textContent()).toBe('Quá hạn');
    expect(await header.locator('.flag-badge').getAttribute('title')).toContain('Quá hạn: Giám định, hạn ');
    expect(await header.getByTestId('next-deadline').textContent()).toContain(
      'Tiếp theo: Tạm ứng bồi thường',
    );
    expect(await header.locator('time').getAttribute('datetime')).toBe(view.flaggedDeadline.dueAt);
    await shot(page, 'console-header-flagged-deadline', false);
  });
});
