import { describe, expect, it } from 'vitest';
import {
  automatedReason,
  composeEmailReply,
  type EmailReply,
  findCause,
  findLossAt,
  fold,
  guessDocumentType,
  parseAmount,
  parseClaimEmail,
  readBack,
  readAuthenticationResults,
  repeatedHeaders,
  repliesSuppressed,
  untrustedVerdicts,
  verdictsFromHeaders,
} from '../../lambdas/core/inbound-email.ts';

const VI = `Kính gửi Phòng Bồi thường,

Tôi là Nguyễn Văn An, số hợp đồng: MOT-2026-0001.
Ngày xảy ra: 12/03/2026 lúc 14h30
Địa điểm: 123 Láng Hạ, Đống Đa, Hà Nội
Mô tả: Xe tôi bị va chạm với xe máy khi đang dừng đèn đỏ, vỡ đèn pha và móp cản trước.
Ước tính thiệt hại: 15.000.000 đ
Số tài khoản: 0123 456 789
Ngân hàng: Vietcombank
Chủ tài khoản: Nguyễn Văn An

Trân trọng,
An`;

const VI_NO_MARKS = `Chao anh chi,
So hop dong: MOT-2026-0001
Ngay xay ra: 12/3/2026
Dia diem: 45 Tran Hung Dao, Hoan Kiem, Ha Noi
Mo ta: xe bi dam vao duoi khi dang do, hu cop sau va den hau.
Uoc tinh: 8 trieu
STK: 9876543210
Ngan hang: Techcombank`;

const EN = `Dear claims team,

My car was rear-ended at a traffic light. Policy number: MOT-2026-0001.
Date of loss: 12 March 2026, 9:15 am
Place: 12 Le Loi, District 1, Ho Chi Minh City
Estimated damage: VND 12,500,000
Account number: 12345678
Bank: ACB
Account holder: Nguyen Van An

> On Mon, 2 Mar 2026 someone wrote:
> Date of loss: 01/01/2020`;

describe('parsing claim emails', () => {
  it('reads a Vietnamese email with diacritics', () => {
    const p = parseClaimEmail('Yêu cầu bồi thường xe ô tô', VI);
    expect(p).toMatchObject({
      policyNumber: 'MOT-2026-0001',
      lossAt: '2026-03-12T14:30:00+07:00',
      lossPlace: { address: '123 Láng Hạ, Đống Đa, Hà Nội', province: 'Hà Nội' },
      estimatedAmount: 15_000_000,
      bankAccount: { accountNumber: '0123456789', bankName: 'Vietcombank', accountHolder: 'Nguyễn Văn An' },
      locale: 'vi',
    });
    expect(p.description).toMatch(/^Xe tôi bị va chạm/);
    expect(findCause(VI, ['collision', 'theft', 'fire'])).toBe('collision');
  });

  it('reads Vietnamese written without diacritics', () => {
    const p = parseClaimEmail('yeu cau boi thuong', VI_NO_MARKS);
    expect(p).toMatchObject({
      policyNumber: 'MOT-2026-0001',
      lossAt: '2026-03-12T00:00:00+07:00',
      lossPlace: { province: 'Hà Nội' },
      estimatedAmount: 8_000_000,
      bankAccount: { accountNumber: '9876543210', bankName: 'Techcombank' },
      locale: 'vi',
    });
    expect(findCause(VI_NO_MARKS, ['collision', 'flood'])).toBe('collision');
  });

  it('reads English, ignoring the quoted reply below', () => {
    const p = parseClaimEmail('Claim for my car', EN);
    expect(p).toMatchObject({
      policyNumber: 'MOT-2026-0001',
      lossAt: '2026-03-12T09:15:00+07:00',
      lossPlace: { province: 'TP. Hồ Chí Minh' },
      estimatedAmount: 12_500_000,
      bankAccount: { accountNumber: '12345678', bankName: 'ACB', accountHolder: 'Nguyen Van An' },
      locale: 'en',
    });
    expect(findCause(EN, ['collision'])).toBe('collision');
  });

  it('takes the policy number from the subject and the claim number of a reply', () => {
    const p = parseClaimEmail('Re: [BT-2026-000042] hồ sơ PRO-2026-0001', 'Gửi thêm ảnh.');
    expect(p.claimNumber).toBe('BT-2026-000042');
    expect(p.policyNumber).toBe('PRO-2026-0001');
  });

  it('finds no loss date where none is written, and rejects impossible dates', () => {
    expect(findLossAt('Xe tôi bị hỏng, xin hướng dẫn.')).toBeUndefined();
    expect(findLossAt('Ngày xảy ra: 31/02/2026')).toBeUndefined();
    expect(findLossAt('Sự việc xảy ra vào ngày 5 tháng 4 năm 2026 lúc 20h')).toBe(
      '2026-04-05T20:00:00+07:00',
    );
  });

  it('reads the time after a date however short the date is written, and never out of a house number', () => {
    expect(findLossAt('Ngày xảy ra: 1/3/2026 14h30')).toBe('2026-03-01T14:30:00+07:00');
    expect(findLossAt('Date of loss: 3/5/2026 21:15')).toBe('2026-05-03T21:15:00+07:00');
    expect(findLossAt('Ngày xảy ra: 5/3/2026 tại 123 Hoàng Hoa Thám')).toBe('2026-03-05T00:00:00+07:00');
    expect(findLossAt('Ngày xảy ra: 12/03/2026 lúc 9 giờ sáng')).toBe('2026-03-12T09:00:00+07:00');
    expect(findLossAt('Date of loss: 12 March 2026, 2:30 pm')).toBe('2026-03-12T14:30:00+07:00');
  });

  it('reads amounts the ways people write them', () => {
    expect(parseAmount('2,5 triệu')).toBe(2_500_000);
    expect(parseAmount('15.000.000đ')).toBe(15_000_000);
    expect(parseAmount('VND 1,200,000')).toBe(1_200_000);
    expect(parseAmount('nothing')).toBeUndefined();
  });

  it('reads decimals as decimals, never as a hundred times the amount, and refuses what is not one sum', () => {
    expect(parseAmount('15,000,000.00 VND')).toBe(15_000_000);
    expect(parseAmount('15.000.000,00 đồng')).toBe(15_000_000);
    expect(parseAmount('15000000.0')).toBe(15_000_000);
    // Whole đồng only: decimals that are not zero are a question for the customer.
    expect(parseAmount('1.234.567,89')).toBeUndefined();
    expect(parseAmount('-15.000.000')).toBeUndefined();
    expect(parseAmount('12tr5')).toBe(12_500_000);
    expect(parseAmount('12tr500')).toBe(12_500_000);
    expect(parseAmount('3 xe, tổng 45 triệu')).toBe(45_000_000);
    expect(parseAmount('2 xe: 15.000.000 đ')).toBe(15_000_000);
    expect(parseAmount('sửa 2 xe hết 15,000,000 VND')).toBe(15_000_000);
    // A comma and a space end a number; spaces alone still group thousands.
    expect(parseAmount('số 123, 5.000.000đ')).toBe(5_000_000);
    expect(parseAmount('15 000 000 đồng')).toBe(15_000_000);
  });

  it('folds Vietnamese letters one for one', () => {
    const s = 'Đường Láng Hạ';
    expect(fold(s)).toBe('duong lang ha');
    expect(fold(s).length).toBe(s.length);
  });

  it('guesses document types from file names within the checklist', () => {
    const list = ['repair_invoice', 'damage_photos', 'police_report'] as const;
    expect(guessDocumentType('hoa-don-sua-chua.pdf', 'application/pdf', list)).toBe('repair_invoice');
    expect(guessDocumentType('IMG_0001.jpg', 'image/jpeg', list)).toBe('damage_photos');
    expect(guessDocumentType('giay-phep-lai-xe.pdf', 'application/pdf', list)).toBe('other');
  });
});

const ses = (ar: string, spam = 'PASS', virus = 'PASS') => [
  { name: 'X-SES-Spam-Verdict', value: spam },
  { name: 'X-SES-Virus-Verdict', value: virus },
  { name: 'Authentication-Results', value: ar },
];

describe('trusting the sender', () => {
  it('trusts mail SES authenticated (DMARC pass)', () => {
    const v = verdictsFromHeaders(
      ses(
        'amazonses.com; spf=pass smtp.mailfrom=x.vn; dkim=pass header.i=@x.vn; dmarc=pass header.from=x.vn;',
      ),
    );
    expect(v).toEqual({ spf: 'PASS', dkim: 'PASS', dmarc: 'PASS', spam: 'PASS', virus: 'PASS' });
    expect(untrustedVerdicts(v)).toEqual([]);
  });

  it('does not trust a failed DKIM/DMARC, spam or a virus', () => {
    expect(
      untrustedVerdicts(verdictsFromHeaders(ses('amazonses.com; spf=fail; dkim=fail; dmarc=fail;'))),
    ).toEqual(['dmarc', 'dkim']);
    expect(
      untrustedVerdicts(verdictsFromHeaders(ses('amazonses.com; spf=pass; dkim=pass; dmarc=pass;', 'FAIL'))),
    ).toEqual(['spam']);
    expect(
      untrustedVerdicts(
        verdictsFromHeaders(ses('amazonses.com; spf=pass; dkim=pass; dmarc=pass;', 'PASS', 'FAIL')),
      ),
    ).toEqual(['virus']);
  });

  it('ignores verdicts a sender wrote below the ones SES added, and any not issued by SES', () => {
    const forged = [
      ...ses('amazonses.com; spf=fail; dkim=fail; dmarc=fail;'),
      { name: 'Authentication-Results', value: 'amazonses.com; spf=pass; dkim=pass; dmarc=pass;' },
    ];
    expect(verdictsFromHeaders(forged).dkim).toBe('FAIL');
    expect(verdictsFromHeaders(ses('mx.attacker.example; spf=pass; dkim=pass; dmarc=pass;')).dmarc).toBe(
      'MISSING',
    );
    expect(untrustedVerdicts(verdictsFromHeaders([]))).toContain('spam');
  });

  // SES's own layout: the sender chooses the envelope-from and the HELO, written before DKIM and DMARC.
  const sesHeader = (envelopeFrom: string, dkim: string, dmarc: string, fromDomain = 'example.vn') =>
    `amazonses.com; spf=pass (spfCheck: domain of attacker.example designates 203.0.113.9 as permitted sender) client-ip=203.0.113.9; envelope-from=${envelopeFrom}; helo=mail.attacker.example; dkim=${dkim} header.i=@attacker.example; dmarc=${dmarc} header.from=${fromDomain};`;

  it('reads no verdict out of what the sender wrote into the envelope-from, a HELO, a comment or a quoted string', () => {
    for (const envelopeFrom of [
      'dkim=pass.dmarc=pass@attacker.example',
      '"x;dkim=pass;dmarc=pass"@attacker.example',
      'x@attacker.example (dmarc=pass; dkim=pass)',
    ]) {
      const v = verdictsFromHeaders(ses(sesHeader(envelopeFrom, 'fail', 'fail')), 'an.nguyen@example.vn');
      expect(v, envelopeFrom).toMatchObject({ dkim: 'FAIL', dmarc: 'FAIL' });
      expect(untrustedVerdicts(v)).toContain('dmarc');
    }
    // The same layout with SES's passes is trusted.
    const ok = verdictsFromHeaders(ses(sesHeader('x@example.vn', 'pass', 'pass')), 'an.nguyen@example.vn');
    expect(untrustedVerdicts(ok)).toEqual([]);
  });

  it('counts a DMARC pass only for the From domain the intake reads', () => {
    const v = verdictsFromHeaders(
      ses(sesHeader('x@attacker.example', 'pass', 'pass', 'attacker.example')),
      'an.nguyen@example.vn',
    );
    expect(v.dmarc).toBe('FROM_MISMATCH');
    expect(untrustedVerdicts(v)).toEqual(['dmarc']);
    // Domain case does not matter.
    expect(
      verdictsFromHeaders(
        ses(sesHeader('x@example.vn', 'pass', 'pass', 'Example.VN')),
        'an.nguyen@example.vn',
      ).dmarc,
    ).toBe('PASS');
  });

  it('reads nested comments and results in any case', () => {
    const parsed = readAuthenticationResults(
      'AmazonSES.com (mx (inner; dmarc=pass)); SPF=Pass smtp.mailfrom=a@b.vn; dmarc=FAIL header.from=b.vn',
    );
    expect(parsed.issuer).toBe('amazonses.com');
    expect(parsed.results.get('spf')?.result).toBe('PASS');
    expect(parsed.results.get('dmarc')).toMatchObject({ result: 'FAIL' });
    expect(parsed.results.get('dmarc')?.props.get('header.from')).toBe('b.vn');
  });
});

describe('machines talking', () => {
  const own = ['boithuong@baohiem.local'];
  it('recognises auto-replies, bulk mail, bounces and loops', () => {
    expect(automatedReason([{ name: 'Auto-Submitted', value: 'auto-replied' }], 'a@x.vn', own)).toBe(
      'AUTO_SUBMITTED',
    );
    expect(automatedReason([{ name: 'Auto-Submitted', value: 'no' }], 'a@x.vn', own)).toBeUndefined();
    expect(automatedReason([{ name: 'Precedence', value: 'bulk' }], 'a@x.vn', own)).toBe('BULK');
    expect(automatedReason([{ name: 'Return-Path', value: '<>' }], 'a@x.vn', own)).toBe('BOUNCE');
    expect(automatedReason([], 'BoiThuong@baohiem.local', own)).toBe('MAIL_LOOP');
    expect(automatedReason([{ name: 'X-Loop', value: 'boithuong@baohiem.local' }], 'a@x.vn', own)).toBe(
      'MAIL_LOOP',
    );
    expect(automatedReason([], 'a@x.vn', own)).toBeUndefined();
    // Outlook writes this on ordinary mail: the message is a person's, only not to be answered.
    const suppress = [{ name: 'X-Auto-Response-Suppress', value: 'OOF, AutoReply' }];
    expect(automatedReason(suppress, 'a@x.vn', own)).toBeUndefined();
    expect(repliesSuppressed(suppress)).toBe(true);
    expect(repliesSuppressed([{ name: 'X-Auto-Response-Suppress', value: 'All' }])).toBe(true);
    expect(repliesSuppressed([{ name: 'X-Auto-Response-Suppress', value: 'DR, RN, NRN' }])).toBe(false);
    expect(repliesSuppressed([])).toBe(false);
  });
});

describe('headers a message may carry once', () => {
  it('names each of From, Sender, Reply-To, To, Subject, Date and Message-ID found twice, in any case, and no other', () => {
    const h = (name: string, value = 'x') => ({ name, value });
    // SES's own hops and verdicts on top, the sender's DKIM signatures: any number of each is fine.
    const ordinary = [
      h('Received'),
      h('Received'),
      h('Authentication-Results'),
      h('DKIM-Signature'),
      h('DKIM-Signature'),
      h('From'),
      h('To'),
      h('Subject'),
      h('Message-ID'),
      h('Date'),
    ];
    expect(repeatedHeaders(ordinary)).toEqual([]);
    // A replay: a new Message-ID and Subject put on top of a signed message.
    expect(repeatedHeaders([h('message-id', '<new@evil>'), h('SUBJECT'), ...ordinary])).toEqual([
      'message-id',
      'subject',
    ]);
    for (const name of ['From', 'Sender', 'Reply-To', 'To', 'Date'])
      expect(repeatedHeaders([h(name), h(name.toLowerCase())])).toEqual([name.toLowerCase()]);
  });
});

describe('causes in the words people use', () => {
  it('finds a broken windscreen, a flood and a theft, only among the covered causes', () => {
    expect(findCause('Kính chắn gió bị vỡ do đá văng', ['collision', 'glass_breakage'])).toBe(
      'glass_breakage',
    );
    expect(findCause('Nha bi ngap nuoc sau mua lon', ['flood', 'fire'])).toBe('flood');
    expect(findCause('My motorbike was stolen', ['theft'])).toBe('theft');
    expect(findCause('My motorbike was stolen', ['collision'])).toBeUndefined();
  });
});

describe('the automatic reply reads back what the claim was filed with', () => {
  const report = {
    lossAt: '2026-12-03T08:15:00+07:00',
    lossPlace: { address: '45 Nguyễn Chí Thanh, Ba Đình', province: 'Hà Nội' },
    cause: 'collision' as const,
    estimatedAmount: { amount: 9_500_000, currency: 'VND' as const },
    payoutAccount: { bankName: 'Vietcombank', accountHolder: 'NGUYEN VAN AN', accountMask: '•••• 6789' },
  };
  const filed = (read: ReturnType<typeof readBack>): EmailReply => ({
    kind: 'claim_received',
    claimNumber: 'BT-2026-000042',
    policyNumber: 'MOT-2026-0001',
    read,
    missingDocuments: [],
    missingDetails: [],
    attachments: [],
    url: 'https://example.vn/#/claims/x',
    appBase: 'https://example.vn/customer/',
  });

  it('gives the privacy notice, in the reply’s language, beside the customer app', () => {
    expect(composeEmailReply(filed(readBack(report)), 'vi').text).toContain(
      'Thông báo xử lý dữ liệu cá nhân: https://example.vn/customer/privacy.vi.html',
    );
    expect(composeEmailReply(filed(readBack(report)), 'en').text).toContain(
      'Privacy notice: https://example.vn/customer/privacy.en.html',
    );
    // The reply to a message that could not be filed gives it too: the data was received all the same.
    const held = composeEmailReply(
      {
        kind: 'intake_incomplete',
        subject: 'Xin bồi thường',
        missing: ['loss_date'],
        appBase: 'https://example.vn/customer',
      },
      'vi',
    );
    expect(held.text).toContain('https://example.vn/customer/privacy.vi.html');
  });

  it('in Vietnamese: time in Vietnam, place with its province, cause, amount and the masked account', () => {
    const { text } = composeEmailReply(filed(readBack(report)), 'vi');
    expect(text).toContain('- Thời gian xảy ra: 08:15 ngày 03/12/2026');
    expect(text).toContain('- Địa điểm: 45 Nguyễn Chí Thanh, Ba Đình, Hà Nội');
    expect(text).toContain('- Nguyên nhân: Va chạm');
    expect(text).toContain('- Thiệt hại ước tính: 9.500.000\u00a0₫');
    expect(text).toContain('- Tài khoản nhận tiền: Vietcombank •••• 6789');
    expect(text).toContain('vui lòng trả lời email này');
    expect(text).not.toContain('NGUYEN VAN AN');
  });

  it('in English, a place already naming its province is not repeated, and no amount is read back when none was given', () => {
    const read = readBack({
      ...report,
      lossAt: '2026-12-02T20:30:00Z',
      lossPlace: { address: '12 Lê Lợi, Quận 1, TP Hồ Chí Minh', province: 'TP Hồ Chí Minh' },
      cause: 'fire',
      estimatedAmount: { amount: 0, currency: 'VND' },
    });
    expect(read.estimatedAmount).toBeUndefined();
    const { text } = composeEmailReply(filed(read), 'en');
    // 20:30 UTC is 03:30 the next day in Vietnam.
    expect(text).toContain('- Date and time of the loss: 03:30, 3 Dec 2026');
    expect(text).toContain('- Place: 12 Lê Lợi, Quận 1, TP Hồ Chí Minh\n');
    expect(text).toContain('- Cause: Fire');
    expect(text).not.toContain('Estimated loss');
  });

  it('matches the province in an address written without diacritics', () => {
    const read = readBack({
      ...report,
      lossPlace: { address: '45 Tran Hung Dao, Hai Chau, Da Nang', province: 'Đà Nẵng' },
    });
    expect(composeEmailReply(filed(read), 'en').text).toContain(
      '- Place: 45 Tran Hung Dao, Hai Chau, Da Nang\n',
    );
  });

  it('lists a document the message brings as being checked, not as missing', () => {
    const photo = {
      fileName: 'hien-truong.jpg',
      contentType: 'image/jpeg',
      size: 1000,
      outcome: 'SUBMITTED',
      docType: 'damage_photos',
    } as const;
    const reply = (missingDocuments: ('damage_photos' | 'vehicle_registration')[]) =>
      composeEmailReply(
        { ...filed(readBack(report)), missingDocuments, attachments: [photo] } as EmailReply,
        'vi',
      ).text;
    const some = reply(['damage_photos', 'vehicle_registration']);
    expect(some).toContain('Còn thiếu:\n- Giấy đăng ký xe\n\n');
    expect(some).toContain('- hien-truong.jpg (Ảnh chụp thiệt hại): đang kiểm tra');
    // Only what is being checked was missing: neither "missing" nor "complete" yet.
    const checking = reply(['damage_photos']);
    expect(checking).not.toContain('Còn thiếu');
    expect(checking).not.toContain('Hồ sơ đã đủ tài liệu');
    expect(reply([])).toContain('Hồ sơ đã đủ tài liệu');
  });

  it('says when a reply on a claim went to its handler as a message', () => {
    const base: Omit<Extract<EmailReply, { kind: 'documents_received' }>, 'messagePosted'> = {
      kind: 'documents_received',
      claimNumber: 'BT-2026-000042',
      infoAnswered: false,
      missingDocuments: [],
      attachments: [],
      url: 'https://example.vn/#/claims/x',
    };
    expect(composeEmailReply({ ...base, messagePosted: true }, 'vi').text).toContain(
      'đã được chuyển đến cán bộ bồi thường',
    );
    expect(composeEmailReply({ ...base, messagePosted: false }, 'vi').text).not.toContain(
      'đã được chuyển đến cán bộ bồi thường',
    );
  });
});

describe('attempts at one message', () => {
  it('are never joined by a second one while the function may still run', async () => {
    const { TAKEOVER_AFTER_MS } = await import('../../lambdas/core/inbound-email.ts');
    const { TASK_FUNCTIONS } = await import('../../lambdas/task-functions.ts');
    const receive = TASK_FUNCTIONS.find((f) => f.id === 'ReceiveEmail');
    expect(receive?.timeoutSeconds).toBeGreaterThan(0);
    expect(TAKEOVER_AFTER_MS).toBeGreaterThan((receive?.timeoutSeconds ?? Infinity) * 1000);
  });
});
