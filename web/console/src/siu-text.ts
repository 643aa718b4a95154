import { fill, type Locale } from '../../../lambdas/core/messages.ts';

/** Console strings for the SIU queue and the claim's indicator network (staff only; kept beside the feature). */
type Entry = { vi: string; en: string };

export const SIU_TEXT = {
  navSiu: { vi: 'SIU', en: 'SIU' },
  siuTitle: { vi: 'Hồ sơ chuyển bộ phận điều tra (SIU)', en: 'Claims referred to the SIU' },
  referred: { vi: 'Mới chuyển', en: 'Referred' },
  investigating: { vi: 'Đang điều tra', en: 'Under investigation' },
  closed: { vi: 'Đã kết luận', en: 'Closed' },
  none: { vi: 'Không có hồ sơ nào.', en: 'No claims here.' },
  colClaim: { vi: 'Hồ sơ', en: 'Claim' },
  colScore: { vi: 'Điểm', en: 'Score' },
  colReasons: { vi: 'Lý do', en: 'Reasons' },
  colLinks: { vi: 'Hồ sơ liên quan', en: 'Linked claims' },
  colOutcome: { vi: 'Kết luận', en: 'Outcome' },
  start: { vi: 'Bắt đầu điều tra', en: 'Start investigation' },
  confirmed: { vi: 'Xác nhận', en: 'Confirmed' },
  cleared: { vi: 'Không có vi phạm', en: 'Cleared' },
  note: { vi: 'Ghi chú kết luận', en: 'Outcome note' },
  save: { vi: 'Lưu kết luận', en: 'Record outcome' },
  export: { vi: 'Tải dữ liệu huấn luyện (CSV)', en: 'Download training data (CSV)' },
  networkTitle: { vi: 'Liên kết với hồ sơ của khách hàng khác', en: 'Links to other customers’ claims' },
  scoreLine: {
    vi: 'Điểm {score} (ngưỡng chuyển {threshold})',
    en: 'Score {score} (referral threshold {threshold})',
  },
  DOC: { vi: 'Cùng tệp giấy tờ', en: 'Same document file' },
  BANK: { vi: 'Cùng tài khoản nhận tiền', en: 'Same bank account' },
  PHONE: { vi: 'Cùng số điện thoại', en: 'Same phone' },
  EMAIL: { vi: 'Cùng email', en: 'Same email' },
  PLATE: { vi: 'Cùng biển số xe', en: 'Same vehicle plate' },
  // --- The paid-claims retrospective review and the training export (GET /siu/paid, /siu/export) ---
  paid: { vi: 'Hồ sơ đã chi trả', en: 'Paid claims' },
  paidTitle: { vi: 'Rà soát hồ sơ đã chi trả', en: 'Retrospective review of paid claims' },
  paidProduct: { vi: 'Sản phẩm', en: 'Product' },
  paidAnyProduct: { vi: 'Tất cả sản phẩm', en: 'All products' },
  paidFrom: { vi: 'Chi trả từ ngày', en: 'Paid from' },
  paidTo: { vi: 'Đến ngày', en: 'Paid to' },
  paidMinScore: { vi: 'Điểm tối thiểu (0–1)', en: 'Lowest score (0–1)' },
  paidFlagged: { vi: 'Chỉ hồ sơ có dấu hiệu', en: 'Only claims with red flags' },
  paidSearch: { vi: 'Tìm', en: 'Search' },
  paidMore: { vi: 'Xem thêm', en: 'Show more' },
  paidNone: { vi: 'Không có hồ sơ đã chi trả nào khớp.', en: 'No paid claims match.' },
  colPaidOn: { vi: 'Ngày chi trả', en: 'Paid on' },
  colPaidAmount: { vi: 'Số tiền đã trả', en: 'Amount paid' },
  colFlags: { vi: 'Dấu hiệu', en: 'Red flags' },
  colSiu: { vi: 'SIU', en: 'SIU' },
  exportDone: { vi: 'Đã tải tệp {file}.', en: 'Downloaded {file}.' },
} satisfies Record<string, Entry>;

export type SiuKey = keyof typeof SIU_TEXT;

export const siuText = (locale: Locale) => (key: SiuKey, params?: Record<string, unknown>) =>
  fill(SIU_TEXT[key][locale], params ?? {});
