import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '../../local/stack.ts';
import { PRIVACY_NOTICE_VERSION } from '../../lambdas/core/privacy-notice.ts';
import { inOtherLanguage, shot } from './helpers/browser.ts';
import { buildWeb } from '../../web/build.ts';

/**
 * The customer web app in headless Chromium against the whole local stack: sign in, report a motor
 * loss through the form, upload a photo, follow the claim, switch language, and use it on a phone.
 * The tests run in order and share one claim.
 */
const SCREENSHOTS = path.join(import.meta.dirname, '..', '..', 'docs', 'screenshots');
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

type Stack = Awaited<ReturnType<typeof startLocalStack>>;
let stack: Stack;
const profiles: string[] = [];
const contexts: BrowserContext[] = [];
let page: Page;
const pageErrors: string[] = [];
let claimUrl = '';
let claimNumber = '';

/** Each browser gets a fresh profile folder, removed afterwards. */
async function openBrowser(options: Parameters<typeof chromium.launchPersistentContext>[1] = {}) {
  const profile = await mkdtemp(path.join(tmpdir(), 'claims-e2e-'));
  profiles.push(profile);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_FLAGS,
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    ...options,
  });
  contexts.push(context);
  const p = context.pages()[0] ?? (await context.newPage());
  p.on('pageerror', (e) => pageErrors.push(e.message));
  return { context, page: p };
}

/** True when the page is wider than the viewport (the thing phones must never do). */
const hasHorizontalScroll = (p: Page) =>
  p.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1);

/** Controls smaller than a comfortable thumb target (44 px design, 40 px floor for compact ones). */
const smallTapTargets = (p: Page) =>
  p.evaluate(() =>
    [
      ...document.querySelectorAll<HTMLElement>(
        'main button, main .btn, main select, main input[type=text], main input[type=tel], main input[type=email], header button',
      ),
    ]
      .filter((el) => el.offsetParent !== null)
      .map((el) => ({
        el: `${el.tagName}.${el.className}:${el.textContent?.trim().slice(0, 20)}`,
        h: el.getBoundingClientRect().height,
      }))
      .filter((x) => x.h < 40),
  );

async function signIn(p: Page, username: string, via: 'form' | 'chip') {
  await p.goto(stack.webUrl);
  await p.waitForURL(/#\/signin$/);
  if (via === 'form') {
    await p.getByLabel('Tên đăng nhập').fill(username);
    await p.locator('form button[type=submit]').click();
  } else {
    await p.getByRole('button', { name: username }).click();
  }
  await p.waitForURL(/#\/claims$/);
}

/** Yesterday in Vietnam as YYYY-MM-DD: a loss time that can never be "in the future". */
const yesterdayInVietnam = () => new Date(Date.now() + 7 * 3600_000 - 86_400_000).toISOString().slice(0, 10);

/** A real, small PNG (24×16, solid colour), built byte by byte so the server's sniffing sees a PNG. */
function makePng(width = 24, height = 16): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc32 = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = (crcTable[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, Buffer.from([200, 60, 40]))]);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  await buildWeb(['customer']);
  stack = await startLocalStack({ apiPort: 0, webPort: 0, quiet: true });
  ({ page } = await openBrowser({ viewport: { width: 1280, height: 900 } }));
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await stack?.stop();
  for (const p of profiles) await rm(p, { recursive: true, force: true });
});

describe('customer web app', () => {
  it('signs in and files a motor claim, showing a Vietnamese field error first', async () => {
    await signIn(page, 'an.nguyen', 'form');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Hồ sơ bồi thường của tôi');
    await expect.poll(() => page.locator('.header-user').textContent()).toContain('Nguyễn Văn An');

    await page.getByRole('link', { name: 'Báo tổn thất' }).click();
    await page.waitForURL(/#\/claims\/new$/);
    await page.getByLabel(/MOT-2026-0001/).check();

    // Only the product's covered causes are offered.
    const causes = await page
      .locator('select[name=cause] option')
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
    expect(causes).toEqual([
      'collision',
      'theft',
      'fire',
      'flood',
      'storm',
      'glass_breakage',
      'vandalism',
      'explosion',
    ]);

    await page.getByLabel('Ngày xảy ra').fill(yesterdayInVietnam());
    await page.getByLabel('Giờ xảy ra').fill('08:30');
    await page
      .getByLabel('Địa điểm (số nhà, đường, phường/xã)')
      .fill('Ngã tư Láng Hạ – Thái Hà, phường Láng');
    await page.getByLabel('Tỉnh / thành phố').fill('Hà Nội');
    // The documents it will need follow the cause: a stolen car needs the police report, not photos.
    const preview = async () => (await page.locator('.doc-preview').textContent()) ?? '';
    await page.getByLabel('Nguyên nhân').selectOption('theft');
    await expect.poll(preview).toContain('Kết luận của cơ quan công an');
    expect(await preview()).not.toContain('Ảnh chụp thiệt hại');
    await page.getByLabel('Nguyên nhân').selectOption('collision');
    await expect.poll(preview).toContain('Ảnh chụp thiệt hại');
    expect(await preview()).not.toContain('Kết luận của cơ quan công an');
    await page.getByLabel('Mô tả diễn biến').fill('Xe bị xe máy va vào cửa sau bên phải khi dừng đèn đỏ.');
    // The plate and the contact details come from the policy and the profile.
    expect(await page.getByLabel('Biển số xe').inputValue()).toBe('30A-123.45');
    expect(await page.getByLabel('Email').inputValue()).toBe('an.nguyen@example.vn');
    await page.getByLabel('Số tiền ước tính (VND)').fill('15000000');
    expect(await page.getByLabel('Số tiền ước tính (VND)').inputValue()).toBe('15.000.000');
    await page.getByLabel('Ngân hàng').fill('Vietcombank');
    await page.getByLabel('Số tài khoản').fill('0011004455667');

    // A wrong phone number is caught by the shared schema and explained beside the field, in Vietnamese.
    const phone = page.getByLabel('Số điện thoại');
    await phone.fill('12345');
    await page.getByRole('button', { name: 'Gửi thông báo tổn thất' }).click();
    await expect
      .poll(() => page.locator('#f-contact\\.phone-error').textContent())
      .toBe('Số điện thoại liên hệ không hợp lệ');
    expect(await page.getByRole('alert').first().textContent()).toContain('Vui lòng sửa 1 lỗi');
    expect(await phone.getAttribute('aria-invalid')).toBe('true');
    expect(await phone.getAttribute('aria-describedby')).toContain('f-contact.phone-error');
    // Focus went to the field to fix.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-contact.phone');
    await shot(page, 'desktop-form-errors');

    await phone.fill('0912345678');
    expect(await page.locator('#f-contact\\.phone-error').count()).toBe(0);
    // Submitting confirms the privacy notice, one link away (Decree 13/2023 Art. 13); the claim is
    // accepted only with the version in force, which the API records on it.
    const notice = page.getByRole('link', { name: 'thông báo xử lý dữ liệu cá nhân' });
    const noticeUrl = new URL((await notice.getAttribute('href')) ?? '', page.url()).href;
    expect(noticeUrl).toBe(`${stack.webUrl}privacy.vi.html`);
    expect(await (await fetch(noticeUrl)).text()).toContain(`<strong>${PRIVACY_NOTICE_VERSION}</strong>`);
    await page.getByRole('button', { name: 'Gửi thông báo tổn thất' }).click();

    await page.waitForURL(/#\/claims\/[A-Za-z0-9-]+$/);
    const heading = page.locator('h1');
    await expect.poll(() => heading.textContent()).toMatch(/^Hồ sơ BT-\d{4}-\d{6}$/);
    claimNumber = ((await heading.textContent()) ?? '').replace('Hồ sơ ', '');
    // Claim numbers count per business year of submission.
    const year = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 4);
    expect(claimNumber).toMatch(new RegExp(`^BT-${year}-\\d{6}$`));
    claimUrl = page.url();
    expect(await page.locator('.banner-success').textContent()).toContain(claimNumber);
    expect(pageErrors).toEqual([]);
  });

  it('uploads a photo of the damage with a progress bar and sees it received', async () => {
    expect(claimUrl).not.toBe('');
    // A file type the API would refuse is stopped in the browser, with the shared message.
    await page
      .locator('#upload-file')
      .setInputFiles({ name: 'ghi-chu.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    const refused = page.locator('.upload-job[data-state=failed]');
    await expect
      .poll(() => refused.locator('.upload-job-msg').textContent())
      .toContain('Chỉ nhận ảnh (JPEG, PNG, WebP, HEIC) hoặc PDF.');

    await page.getByLabel('Loại giấy tờ').selectOption('damage_photos');
    await page
      .locator('#upload-file')
      .setInputFiles({ name: 'cua-sau.png', mimeType: 'image/png', buffer: makePng() });

    const job = page.locator('.upload-job').first();
    // A loaded machine (CI) may take longer than expect.poll's default second to send the file.
    await expect
      .poll(() => job.locator('progress').evaluate((el) => (el as HTMLProgressElement).value), {
        timeout: 15_000,
      })
      .toBe(100);
    await expect.poll(() => job.locator('.progress-pct').textContent()).toBe('100%');
    await expect.poll(() => job.getAttribute('data-state'), { timeout: 20_000 }).toBe('received');
    expect(await job.locator('.upload-job-msg').textContent()).toBe('Đã nhận cua-sau.png.');

    const doc = page.locator('.doc-item', { hasText: 'cua-sau.png' });
    expect(await doc.getAttribute('data-doc-status')).toBe('VERIFIED');
    expect(await doc.locator('.doc-type').textContent()).toBe('Ảnh chụp thiệt hại');
    expect(await doc.locator('.badge').textContent()).toBe('Đã nhận');
    // It is no longer listed as missing.
    expect(await page.locator('.missing-list').textContent()).not.toContain('Ảnh chụp thiệt hại');
    expect(pageErrors).toEqual([]);
  });

  it('shows the timeline: submitted, checked, classified and acknowledged', async () => {
    const events = page.locator('.timeline-item');
    const types = () => events.evaluateAll((els) => els.map((e) => e.getAttribute('data-event')));
    await expect
      .poll(types, { timeout: 15_000 })
      .toEqual(
        expect.arrayContaining(['ClaimSubmitted', 'ClaimChecked', 'ClaimClassified', 'AcknowledgementSent']),
      );
    const text = (await page.locator('.timeline').textContent()) ?? '';
    for (const label of [
      'Hồ sơ được gửi',
      'Kiểm tra tự động hoàn tất',
      'Phân loại hồ sơ',
      'Đã gửi thư xác nhận',
      'Đã nhận tài liệu',
    ]) {
      expect(text).toContain(label);
    }
    expect(text).toContain('Bởi: Bạn');
    expect(text).toContain('Bởi: Hệ thống');
    // Next step and what is still missing are spelled out.
    expect(await page.locator('.next-step').textContent()).toContain(
      'Vui lòng tải lên các giấy tờ còn thiếu',
    );
    expect(await page.locator('.missing-list').textContent()).toContain('Giấy yêu cầu bồi thường');
    // The stepper: reported, now at the documents (in the badge's own words), assessment next.
    const current = page.locator('.stepper-step[aria-current=step]');
    expect(await current.getAttribute('data-stage')).toBe('documents');
    expect(await current.locator('.stepper-status').textContent()).toBe(
      await page.locator('.claim-head .badge').textContent(),
    );
    expect(await page.locator('.stepper-step.is-done').getAttribute('data-stage')).toBe('reported');
    expect(await page.locator('.stepper-next').textContent()).toBe('Bước kế tiếp: Giám định');
    // The entry that put the claim where it is says so in the badge's words (it once read
    // "Chờ giám định" under a "Chờ bổ sung hồ sơ" badge).
    await expect.poll(types, { timeout: 15_000 }).toContain('AssessmentAwaited');
    expect(
      await page.locator('.timeline-item[data-event=AssessmentAwaited] .timeline-title').textContent(),
    ).toBe(await page.locator('.claim-head .badge').textContent());
    await shot(page, 'desktop-claim-vi', true, 'current');
  });

  it('switches to English, and remembers the choice', async () => {
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe(`Claim ${claimNumber}`);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.getByRole('button', { name: 'EN', exact: true }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    const body = (await page.locator('main').textContent()) ?? '';
    for (const label of [
      'Next step',
      'Documents still needed',
      'Timeline',
      'Claim submitted',
      'Photos of the damage',
      'Refresh',
    ]) {
      expect(body).toContain(label);
    }

    await page.reload();
    await expect.poll(() => page.locator('h1').textContent()).toBe(`Claim ${claimNumber}`);
    await shot(page, 'desktop-claim-en', true, 'current');

    await page.goto(`${stack.webUrl}#/claims/new`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Report a loss');
    await page.getByLabel(/MOT-2026-0001/).check();
    for (const label of ['Cause', 'Vehicle plate', 'Estimated amount (VND)', 'Account number']) {
      expect(await page.getByLabel(label).count()).toBe(1);
    }
    await page.getByLabel('Phone').fill('123');
    await page.getByRole('button', { name: 'Submit the claim' }).click();
    await expect
      .poll(() => page.locator('#f-contact\\.phone-error').textContent())
      .toBe('Contact phone is not a valid phone number');
    expect(await page.locator('#f-description-error').textContent()).toBe('Description is required');
    await page.getByRole('button', { name: 'VI', exact: true }).click();
    expect(pageErrors).toEqual([]);
  });

  it('fits a phone: no horizontal scroll on the form and claim pages, big tap targets', async () => {
    const phone = await openBrowser({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    const p = phone.page;
    await signIn(p, 'an.nguyen', 'chip');
    await expect.poll(() => p.locator('.claim-card').count()).toBeGreaterThan(0);
    expect(await hasHorizontalScroll(p)).toBe(false);
    await shot(p, 'phone-claims-list');

    await p.getByRole('link', { name: 'Báo tổn thất' }).click();
    await p.getByLabel(/MOT-2026-0001/).check();
    // Two days ahead is in the future in Vietnam whatever the hour here.
    await p.getByLabel('Ngày xảy ra').fill(new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10));
    await p.getByLabel('Mô tả diễn biến').fill('ngắn');
    await p.getByLabel('Có phương tiện hoặc người khác liên quan').check();
    await p.getByRole('button', { name: 'Gửi thông báo tổn thất' }).click();
    await expect.poll(() => p.locator('.field-error').count()).toBeGreaterThan(0);
    // Each error names the field and its own rule, not a generic "too short or too small".
    expect(await p.locator('#f-cause-error').textContent()).toBe('Vui lòng nhập Nguyên nhân tổn thất');
    expect(await p.locator('#f-description-error').textContent()).toBe('Mô tả cần ít nhất 10 ký tự');
    expect(await p.locator('#f-lossAt-error').textContent()).toBe('Ngày tổn thất không thể ở tương lai');
    expect(await hasHorizontalScroll(p)).toBe(false);
    expect(await smallTapTargets(p)).toEqual([]);
    await shot(p, 'phone-form-errors');

    await p.goto(claimUrl);
    await expect.poll(() => p.locator('h1').textContent()).toBe(`Hồ sơ ${claimNumber}`);
    await expect.poll(() => p.locator('.timeline-item').count()).toBeGreaterThan(3);
    expect(await hasHorizontalScroll(p)).toBe(false);
    expect(await smallTapTargets(p)).toEqual([]);
    // On a touch screen the camera button is offered next to the file picker.
    expect(await p.locator('label[for=upload-camera]').isVisible()).toBe(true);
    await p
      .locator('.upload-buttons')
      .screenshot({ path: path.join(SCREENSHOTS, 'phone-upload-buttons.png') });
    await inOtherLanguage(p, (other) =>
      p
        .locator('.upload-buttons')
        .screenshot({ path: path.join(SCREENSHOTS, `phone-upload-buttons.${other}.png`) }),
    );
    await shot(p, 'phone-claim');

    // And at 360 px, the narrowest phone we support.
    await p.setViewportSize({ width: 360, height: 740 });
    expect(await hasHorizontalScroll(p)).toBe(false);
    await p.goto(`${stack.webUrl}#/claims/new`);
    await p.getByLabel(/MOT-2026-0001/).check();
    expect(await hasHorizontalScroll(p)).toBe(false);
    await shot(p, 'phone-360-form');
    expect(pageErrors).toEqual([]);
  });

  it('says a policy is no longer in force as soon as it is chosen, before the claim is written', async () => {
    const phone = await openBrowser({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const p = phone.page;
    // Lê Minh Chi's profile is in English; her motor policy lapsed a month ago.
    await p.goto(stack.webUrl);
    await p.waitForURL(/#\/signin$/);
    await p.getByLabel('Tên đăng nhập').fill('chi.le');
    await p.locator('form button[type=submit]').click();
    await p.waitForURL(/#\/claims$/);
    await p.goto(`${stack.webUrl}#/claims/new`);
    await p.getByLabel(/MOT-2025-0042/).check();
    const warning = p.locator('.policy-lapsed');
    await expect.poll(() => warning.textContent()).toContain('Policy MOT-2025-0042 is no longer in force');
    expect(await warning.textContent()).toContain('A loss after that is not covered');
    await p.getByRole('button', { name: 'VI', exact: true }).click();
    await expect.poll(() => warning.textContent()).toContain('Hợp đồng MOT-2025-0042 đã hết hiệu lực');
    // A policy in force says nothing of the kind.
    await p.getByLabel(/HLT-2026-0007/).check();
    await expect.poll(() => warning.count()).toBe(0);
  });

  it('puts the acknowledgement email for the claim in the local mailbox', async () => {
    type Mail = {
      destination?: { to?: string[] };
      subject?: string;
      body?: { text?: string; html?: string };
    };
    const find = async () => {
      const res = await fetch(`${stack.mailUrl}/store`);
      const { emails } = (await res.json()) as { emails: Mail[] };
      // The customer's, not the assigned adjuster's notice about the same claim (either may come first).
      return emails.find(
        (m) => m.destination?.to?.includes('an.nguyen@example.vn') && JSON.stringify(m).includes(claimNumber),
      );
    };
    await expect.poll(find, { timeout: 15_000 }).toBeDefined();
    const mail = (await find()) as Mail;
    expect(`${mail.subject} ${mail.body?.text ?? mail.body?.html ?? ''}`).toContain(claimNumber);
    // Greeted by name, the time written the one Vietnamese way (lambdas/core/format.ts).
    expect(mail.body?.text).toMatch(/^Kính gửi anh\/chị Nguyễn Văn An,/);
    expect(mail.body?.text).toMatch(/lúc \d{2}:\d{2} ngày \d{2}\/\d{2}\/\d{4}\./);
  });
});
