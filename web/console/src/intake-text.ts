import { EMAIL_MISSING_TEXT, type Locale } from '../../../lambdas/core/messages.ts';

/** Console strings for the intake records of claims by email (kept beside the feature). */
type Entry = { vi: string; en: string };

export const INTAKE_TEXT = {
  navIntake: { vi: 'Thư tiếp nhận', en: 'Email intake' },
  title: { vi: 'Thư yêu cầu bồi thường chưa lập được hồ sơ', en: 'Claim emails awaiting staff' },
  intro: {
    vi: 'Email gửi tới hộp thư bồi thường mà hệ thống chưa tự lập được hồ sơ: người gửi chưa đăng ký, thiếu số hợp đồng hay ngày xảy ra, hoặc không qua được kiểm tra SPF/DKIM/DMARC.',
    en: 'Mail to the claims address that could not become a claim on its own: unknown sender, no policy number or loss date, or failed SPF/DKIM/DMARC.',
  },
  none: { vi: 'Không có thư nào.', en: 'Nothing here.' },
  colReceived: { vi: 'Nhận lúc', en: 'Received' },
  colFrom: { vi: 'Người gửi', en: 'From' },
  colSubject: { vi: 'Tiêu đề', en: 'Subject' },
  colReasons: { vi: 'Còn thiếu / lý do', en: 'Missing / why' },
  open: { vi: 'Mở', en: 'Open' },
  customerId: { vi: 'Mã khách hàng', en: 'Customer id' },
  policyNumber: { vi: 'Số hợp đồng', en: 'Policy number' },
  link: { vi: 'Gắn khách hàng và hợp đồng', en: 'Link customer and policy' },
  linked: { vi: 'Đã gắn {customerId} / {policyNumber}', en: 'Linked to {customerId} / {policyNumber}' },
  lossDate: { vi: 'Ngày xảy ra (YYYY-MM-DD)', en: 'Date of loss (YYYY-MM-DD)' },
  address: { vi: 'Địa điểm', en: 'Place' },
  province: { vi: 'Tỉnh/thành phố', en: 'Province' },
  cause: { vi: 'Nguyên nhân (mã)', en: 'Cause (code)' },
  bankName: { vi: 'Ngân hàng', en: 'Bank' },
  accountNumber: { vi: 'Số tài khoản', en: 'Account number' },
  accountHolder: { vi: 'Chủ tài khoản', en: 'Account holder' },
  makeClaim: { vi: 'Lập hồ sơ bồi thường', en: 'Make it a claim' },
  claimMade: { vi: 'Đã lập hồ sơ {claimNumber}', en: 'Claim {claimNumber} made' },
} satisfies Record<string, Entry>;

export const intakeText =
  (locale: Locale) =>
  (key: keyof typeof INTAKE_TEXT, params: Record<string, string> = {}) =>
    INTAKE_TEXT[key][locale].replace(/\{(\w+)\}/g, (_, k: string) => params[k] ?? `{${k}}`);

/** A reason code as people read it: the reply's wording where there is one. */
export const reasonText = (code: string, locale: Locale) =>
  (EMAIL_MISSING_TEXT as Record<string, Entry | undefined>)[code]?.[locale] ?? code;
