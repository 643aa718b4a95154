import { useCallback } from 'preact/hooks';
import { fill } from '../../../../../lambdas/core/messages.ts';
import { useLocale } from '../../../../shared/locale.tsx';

/** Strings of the finance page (kept beside it; codes from the API come from lambdas/core/messages.ts). */
const FINANCE_UI = {
  navFinance: { vi: 'Chi trả', en: 'Payments' },
  financeTitle: { vi: 'Chi trả bồi thường qua ngân hàng', en: 'Claim payments through the bank' },
  awaitingTitle: { vi: 'Chờ chi', en: 'Awaiting payment' },
  awaitingSummary: { vi: '{count} khoản, tổng {total}', en: '{count} payouts, {total} in total' },
  noneAwaiting: { vi: 'Không có khoản nào chờ chi.', en: 'Nothing is awaiting payment.' },
  colClaim: { vi: 'Hồ sơ', en: 'Claim' },
  colBeneficiary: { vi: 'Người thụ hưởng', en: 'Beneficiary' },
  colAccount: { vi: 'Tài khoản', en: 'Account' },
  colAmount: { vi: 'Số tiền', en: 'Amount' },
  colQueued: { vi: 'Lập lệnh lúc', en: 'Queued' },
  colReturned: { vi: 'Bị trả lại', en: 'Returned' },
  prepareTitle: { vi: 'Lập lô chi', en: 'Prepare a batch' },
  cutoff: { vi: 'Gồm các khoản lập lệnh đến', en: 'Include payouts queued up to' },
  prepare: { vi: 'Lập lô chi', en: 'Prepare batch' },
  building: {
    vi: 'Đang lập lô {batchId}: {count} khoản, {total}…',
    en: 'Building {batchId}: {count} payouts, {total}…',
  },
  batchesTitle: { vi: 'Các lô chi', en: 'Batches' },
  noBatches: { vi: 'Chưa có lô chi nào.', en: 'No batches yet.' },
  colBatch: { vi: 'Lô', en: 'Batch' },
  colStatus: { vi: 'Trạng thái', en: 'Status' },
  colCount: { vi: 'Số khoản', en: 'Payouts' },
  colTotal: { vi: 'Tổng tiền', en: 'Total' },
  colPeople: { vi: 'Lập / Duyệt', en: 'Prepared / released by' },
  colBank: { vi: 'Ngân hàng xác nhận', en: 'Bank confirmed' },
  colActions: { vi: 'Thao tác', en: 'Actions' },
  bankCounts: { vi: '{paid} đã chi, {failed} bị từ chối', en: '{paid} paid, {failed} rejected' },
  release: { vi: 'Duyệt chi', en: 'Release' },
  makerCannotRelease: { vi: 'Người lập không tự duyệt', en: 'Needs a second person' },
  download: { vi: 'Lấy đường dẫn tải', en: 'Get download links' },
  downloadCsv: { vi: 'Tải CSV', en: 'Download CSV' },
  downloadXlsx: { vi: 'Tải XLSX', en: 'Download XLSX' },
  linkValid: { vi: 'Đường dẫn có hiệu lực 5 phút.', en: 'Links are valid for 5 minutes.' },
  importTitle: { vi: 'Nhập tệp xác nhận của ngân hàng', en: "Import the bank's confirmation" },
  importHint: {
    vi: 'Tệp CSV có các cột: Ma tham chieu (reference), So tien (amount), Trang thai (status), Ly do (reason).',
    en: 'A CSV file with the columns reference, amount, status and reason (Vietnamese names also accepted).',
  },
  confirmationFile: { vi: 'Tệp xác nhận (.csv)', en: 'Confirmation file (.csv)' },
  import: { vi: 'Nhập và đối soát', en: 'Import and reconcile' },
  reconSummary: {
    vi: '{lines} dòng: {paid} đã chi, {failed} bị từ chối, {unmatched} không khớp',
    en: '{lines} lines: {paid} paid, {failed} rejected, {unmatched} not matched',
  },
  replay: {
    vi: 'Tệp này đã được nhập trước đó; không có gì thay đổi.',
    en: 'This file was imported before; nothing changed.',
  },
  colLine: { vi: 'Dòng', en: 'Line' },
  colReference: { vi: 'Mã tham chiếu', en: 'Reference' },
  colOutcome: { vi: 'Kết quả', en: 'Outcome' },
  colReason: { vi: 'Lý do', en: 'Reason' },
  historyTitle: { vi: 'Lịch sử đối soát', en: 'Reconciliation history' },
  colFile: { vi: 'Tệp', en: 'File' },
  colImported: { vi: 'Nhập lúc', en: 'Imported' },
} as const;

/** Batch statuses, line outcomes and reasons. */
export const FINANCE_CODE_TEXT: Record<string, { vi: string; en: string }> = {
  building: { vi: 'Đang lập', en: 'Building' },
  prepared: { vi: 'Chờ duyệt', en: 'Awaiting release' },
  released: { vi: 'Đã duyệt', en: 'Released' },
  empty: { vi: 'Không có khoản nào', en: 'Empty' },
  paid: { vi: 'Đã chi', en: 'Paid' },
  failed: { vi: 'Bị từ chối', en: 'Rejected' },
  unmatched: { vi: 'Không khớp', en: 'Not matched' },
  UNKNOWN_REFERENCE: { vi: 'Không có mã tham chiếu này', en: 'Unknown reference' },
  AMOUNT_MISMATCH: { vi: 'Số tiền không khớp', en: 'Wrong amount' },
  DUPLICATE_LINE: { vi: 'Dòng trùng', en: 'Duplicate line' },
  ALREADY_PAID: { vi: 'Đã chi trước đó', en: 'Already paid' },
  NOT_IN_RELEASED_BATCH: { vi: 'Không thuộc lô đã duyệt', en: 'Not in a released batch' },
  BAD_STATUS: { vi: 'Trạng thái không rõ', en: 'Unknown status' },
  ACCOUNT_CLOSED: { vi: 'Tài khoản đã đóng', en: 'Account closed' },
  BANK_REJECTED: { vi: 'Ngân hàng từ chối', en: 'Rejected by the bank' },
};

export type FinanceKey = keyof typeof FINANCE_UI;

export function useFinanceText() {
  const { locale, tr } = useLocale();
  const f = useCallback(
    (key: FinanceKey, params?: Record<string, unknown>) => fill(FINANCE_UI[key][locale], params),
    [locale],
  );
  return { locale, tr, f };
}

export const financeNavLabel = (locale: 'vi' | 'en') => FINANCE_UI.navFinance[locale];
