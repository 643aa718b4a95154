import { fill, type Locale } from '../../../lambdas/core/messages.ts';

/** Console strings for straight-through evidence and the post-audit queue (kept beside the feature). */
type Entry = { vi: string; en: string };

export const STP_TEXT = {
  navPostAudit: { vi: 'Hậu kiểm', en: 'Post-audit' },
  postAuditTitle: { vi: 'Hậu kiểm bồi thường tự động', en: 'Post-audit of straight-through payments' },
  postAuditIntro: {
    vi: 'Các khoản bồi thường tự động được chọn mẫu theo tỷ lệ cấu hình của sản phẩm, chờ giám sát viên xem lại.',
    en: 'Straight-through payments sampled at the product’s configured share, for a supervisor to review.',
  },
  pending: { vi: 'Chờ hậu kiểm', en: 'Pending' },
  reviewed: { vi: 'Đã hậu kiểm', en: 'Reviewed' },
  none: { vi: 'Không có hồ sơ nào.', en: 'Nothing here.' },
  colClaim: { vi: 'Hồ sơ', en: 'Claim' },
  colProduct: { vi: 'Sản phẩm', en: 'Product' },
  colAmount: { vi: 'Số tiền', en: 'Amount' },
  colBasis: { vi: 'Căn cứ', en: 'Basis' },
  colSampled: { vi: 'Chọn mẫu lúc', en: 'Sampled' },
  colOutcome: { vi: 'Kết quả', en: 'Outcome' },
  basis_einvoice: { vi: 'Hóa đơn điện tử', en: 'E-invoice' },
  basis_declared: { vi: 'Số tiền khách hàng kê khai', en: 'Amount declared by the customer' },
  outcome_confirmed: { vi: 'Đúng', en: 'Confirmed' },
  outcome_irregular: { vi: 'Bất thường', en: 'Irregular' },
  evidenceTitle: { vi: 'Căn cứ chi trả tự động', en: 'Straight-through evidence' },
  evidenceAmount: { vi: 'Số tiền có chứng từ', en: 'Evidenced amount' },
  evidenceNone: { vi: 'Chưa có chứng từ nêu số tiền.', en: 'No document states an amount yet.' },
  invoice: { vi: 'Hóa đơn {series} số {number}', en: 'Invoice {series} no. {number}' },
  issuedOn: { vi: 'Ngày lập', en: 'Issued on' },
  seller: { vi: 'Người bán', en: 'Seller' },
  total: { vi: 'Tổng cộng (gồm VAT)', en: 'Total (VAT included)' },
  declared: { vi: 'Khách hàng kê khai: {amount}', en: 'Declared by the customer: {amount}' },
  flagDuplicate: {
    vi: 'Hóa đơn {series} số {number} của MST {mst} cũng có trong hồ sơ khác',
    en: 'Invoice {series} no. {number} of tax code {mst} is also on another claim',
  },
  postAuditStatus: { vi: 'Hậu kiểm', en: 'Post-audit' },
  review: { vi: 'Ghi nhận kết quả hậu kiểm', en: 'Record the post-audit review' },
  note: { vi: 'Nhận xét', en: 'Note' },
  submit: { vi: 'Lưu', en: 'Save' },
} satisfies Record<string, Entry>;

export type StpKey = keyof typeof STP_TEXT;

export const stpText = (locale: Locale) => (key: StpKey, params?: Record<string, unknown>) =>
  fill(STP_TEXT[key][locale], params ?? {});
