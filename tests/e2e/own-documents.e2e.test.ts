import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Api, apiAs, fileClaim, motorReport, uploadDocuments, waitForWaiting } from './helpers/api.ts';
import { type E2eBrowser, hasHorizontalScroll, launchBrowser, shot } from './helpers/browser.ts';
import { type E2eStack, startE2eStack } from './helpers/stack.ts';

/**
 * The customer's own uploads on a phone (issue 10): a thumbnail of the photo they sent, opening it,
 * and removing it after confirming — the checklist then asks for it again.
 */
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
let stack: E2eStack;
let browser: E2eBrowser;
let an: Api;
let hai: Api;
const pages: Page[] = [];

beforeAll(async () => {
  stack = await startE2eStack();
  browser = await launchBrowser();
  [an, hai] = await Promise.all([apiAs(stack.apiUrl, 'an.nguyen'), apiAs(stack.apiUrl, 'hai.do')]);
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state !== 'fail') return;
  for (const [i, page] of pages.entries())
    await shot(page, `failed-own-documents-${i}`).catch(() => undefined);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe("the customer's own documents on a phone", () => {
  it('shows the photo, opens it, removes it after confirming, and asks for it again', async () => {
    const claim = await fileClaim(an, motorReport({ amount: 41_000_000, daysAgo: 6, cause: 'collision' }));
    await waitForWaiting(hai, claim.claimId, 'assessment');
    await uploadDocuments(an, claim.claimId, ['damage_photos']);

    const { page } = await browser.newPage(PHONE);
    pages.push(page);
    await page.goto(stack.webUrl);
    await page.waitForURL(/#\/signin$/);
    await page.getByLabel('Tên đăng nhập').fill('an.nguyen');
    await page.locator('form button[type=submit]').click();
    await page.waitForURL(/#\/claims$/);
    await page.goto(`${stack.webUrl}#/claims/${claim.claimId}`);

    const missing = page.locator('.missing-list');
    await missing.waitFor();
    expect(await missing.textContent()).not.toContain('Ảnh chụp thiệt hại');

    // The thumbnail: the photo itself, loaded lazily at a fixed size.
    const item = page
      .locator('.doc-item[data-doc-status="VERIFIED"]')
      .filter({ hasText: 'damage_photos.png' });
    const thumb = item.locator('.doc-thumb img');
    await thumb.scrollIntoViewIfNeeded();
    await expect
      .poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBe(8);
    expect(await thumb.getAttribute('loading')).toBe('lazy');
    expect(await thumb.getAttribute('width')).toBe('56');
    expect(await thumb.getAttribute('alt')).toBe('Ảnh xem trước: damage_photos.png');
    expect(await item.locator('.badge').textContent()).toBe('Đã nhận');
    expect(await hasHorizontalScroll(page)).toBe(false);
    await shot(page, 'customer-own-documents');

    // Open: a new tab with the photo, shown inline.
    const openLink = item.locator('a.doc-open');
    expect(await openLink.textContent()).toBe('Mở: damage_photos.png');
    expect(await openLink.getAttribute('target')).toBe('_blank');
    const popupOpened = page.waitForEvent('popup', { timeout: 15_000 });
    await openLink.click({ timeout: 10_000 });
    const popup = await popupOpened;
    await popup.waitForLoadState();
    expect(popup.url()).toContain(`claims/${claim.claimId}/`);
    expect(await popup.evaluate(() => document.contentType)).toBe('image/png');
    await popup.close();

    // Remove: asked first; keeping it changes nothing.
    const removeButton = item.locator('button.doc-remove');
    expect(await removeButton.textContent()).toBe('Gỡ bỏ: damage_photos.png');
    await removeButton.click();
    expect(await item.locator('.doc-confirm').textContent()).toContain(
      'Gỡ bỏ damage_photos.png? Chúng tôi sẽ không dùng giấy tờ này',
    );
    await item.getByRole('button', { name: 'Giữ lại' }).click();
    expect(await item.locator('.doc-confirm').count()).toBe(0);
    await removeButton.click();
    await item.getByRole('button', { name: 'Gỡ bỏ giấy tờ' }).click();

    const removed = page
      .locator('.doc-item[data-doc-status="WITHDRAWN"]')
      .filter({ hasText: 'damage_photos.png' });
    await removed.waitFor();
    expect(await removed.locator('.badge').textContent()).toBe('Đã gỡ bỏ');
    expect(await removed.locator('img').count()).toBe(0);
    expect(await removed.locator('button.doc-remove').count()).toBe(0);
    await expect.poll(() => missing.textContent()).toContain('Ảnh chụp thiệt hại');
    expect(await page.locator('.timeline').textContent()).toContain('Khách hàng đã gỡ bỏ tài liệu');
    await shot(page, 'customer-own-document-removed');

    // The same, in English.
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await expect.poll(() => removed.locator('.badge').textContent()).toBe('Removed');
    expect(await missing.textContent()).toContain('Photos of the damage');

    const after = (await an.get(`/claims/${claim.claimId}`)).body;
    expect(after.missingDocuments).toContain('damage_photos');
  });
});
