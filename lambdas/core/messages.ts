import type { ErrorCode } from './errors.ts';
import type { CheckCode, ClaimStatus } from './claim.ts';
import type { EventType } from './events.ts';
import type { RedFlagCode } from './fraud/red-flags.ts';
import type { Cause, DocumentType } from './products.ts';

/**
 * Texts people read, in Vietnamese (default) and English, keyed by the stable codes the API
 * returns. Shared by the API (emails, letters), the customer web app and the console.
 */
export type Locale = 'vi' | 'en';
export const LOCALES: readonly Locale[] = ['vi', 'en'];
type Texts<K extends string> = Record<K, { vi: string; en: string }>;

export const ERROR_TEXT: Texts<ErrorCode> = {
  VALIDATION_FAILED: {
    vi: 'Thông tin chưa hợp lệ, vui lòng kiểm tra các trường được đánh dấu.',
    en: 'Some details are not valid; please check the marked fields.',
  },
  MALFORMED_JSON: { vi: 'Dữ liệu gửi lên không đọc được.', en: 'The request body could not be read.' },
  UNSUPPORTED_MEDIA_TYPE: { vi: 'Định dạng dữ liệu không được hỗ trợ.', en: 'Unsupported content type.' },
  BODY_TOO_LARGE: { vi: 'Dữ liệu gửi lên quá lớn.', en: 'The request is too large.' },
  IDEMPOTENCY_KEY_REQUIRED: {
    vi: 'Thiếu khóa chống gửi trùng (Idempotency-Key).',
    en: 'The Idempotency-Key header is required.',
  },
  IDEMPOTENCY_KEY_REUSED: {
    vi: 'Khóa chống gửi trùng đã được dùng cho một yêu cầu khác.',
    en: 'This Idempotency-Key was already used for a different request.',
  },
  IDEMPOTENCY_IN_PROGRESS: {
    vi: 'Yêu cầu này đang được xử lý, vui lòng chờ.',
    en: 'This request is already being processed.',
  },
  UNAUTHENTICATED: { vi: 'Vui lòng đăng nhập.', en: 'Please sign in.' },
  TOKEN_EXPIRED: {
    vi: 'Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại.',
    en: 'Your session has expired; please sign in again.',
  },
  FORBIDDEN: { vi: 'Bạn không có quyền thực hiện thao tác này.', en: 'You are not allowed to do this.' },
  ROUTE_NOT_FOUND: { vi: 'Không tìm thấy địa chỉ yêu cầu.', en: 'No such address.' },
  INVALID_CURSOR: {
    vi: 'Liên kết trang không còn hợp lệ; vui lòng tải lại từ trang đầu.',
    en: 'This page link is no longer valid; please start again from the first page.',
  },
  CLAIM_NOT_FOUND: { vi: 'Không tìm thấy hồ sơ bồi thường.', en: 'Claim not found.' },
  POLICY_NOT_FOUND: { vi: 'Không tìm thấy hợp đồng bảo hiểm.', en: 'Policy not found.' },
  DOCUMENT_NOT_FOUND: { vi: 'Không tìm thấy tài liệu.', en: 'Document not found.' },
  USER_NOT_FOUND: { vi: 'Không tìm thấy người dùng.', en: 'User not found.' },
  PRODUCT_NOT_FOUND: { vi: 'Không tìm thấy sản phẩm bảo hiểm.', en: 'Product not found.' },
  TEMPLATE_NOT_FOUND: { vi: 'Không tìm thấy mẫu thông báo.', en: 'Notification template not found.' },
  FACTS_DO_NOT_MATCH_PRODUCT: {
    vi: 'Thông tin chi tiết không phù hợp với loại bảo hiểm của hợp đồng.',
    en: 'The details do not match the policy’s product.',
  },
  DOCUMENT_TYPE_NOT_IN_CHECKLIST: {
    vi: 'Loại tài liệu không thuộc danh mục của sản phẩm.',
    en: 'This document type is not on the product’s checklist.',
  },
  FILE_TYPE_NOT_ALLOWED: {
    vi: 'Chỉ nhận ảnh (JPEG, PNG, WebP, HEIC) hoặc PDF.',
    en: 'Only images (JPEG, PNG, WebP, HEIC) or PDF are accepted.',
  },
  FILE_TOO_LARGE: { vi: 'Tệp quá lớn (tối đa 15 MB).', en: 'The file is too large (15 MB at most).' },
  FILE_EMPTY: { vi: 'Tệp rỗng.', en: 'The file is empty.' },
  INVALID_TRANSITION: {
    vi: 'Hồ sơ không ở trạng thái cho phép thao tác này.',
    en: 'The claim is not in a state that allows this.',
  },
  VERSION_CONFLICT: {
    vi: 'Hồ sơ vừa được người khác cập nhật; vui lòng tải lại.',
    en: 'Someone else changed this claim; please reload.',
  },
  DUPLICATE_VOTE: { vi: 'Bạn đã cho ý kiến về hồ sơ này.', en: 'You have already voted on this claim.' },
  AUTHORITY_LIMIT_EXCEEDED: {
    vi: 'Số tiền vượt hạn mức phê duyệt của bạn.',
    en: 'The amount exceeds your authority limit.',
  },
  CONFIG_INVALID: { vi: 'Cấu hình không hợp lệ.', en: 'The configuration is not valid.' },
  WORKFLOW_NOT_WAITING: { vi: 'Hồ sơ không chờ thao tác này.', en: 'The claim is not waiting for this.' },
  CONTACT_NOT_REGISTERED: {
    vi: 'Chưa có email đăng ký để xác nhận; vui lòng liên hệ tổng đài.',
    en: 'No registered email to confirm with; please call us.',
  },
  NO_PENDING_ACCOUNT_CHANGE: {
    vi: 'Không có yêu cầu đổi tài khoản nào đang chờ xác nhận.',
    en: 'No account change is waiting for confirmation.',
  },
  ADVANCE_NOT_AVAILABLE: {
    vi: 'Sản phẩm này không có tạm ứng bồi thường.',
    en: 'This product has no advance payment.',
  },
  PAYOUT_IN_BATCH: {
    vi: 'Khoản chi đã chuyển sang ngân hàng; không thể đổi tài khoản nhận tiền nữa.',
    en: 'The payout is already with the bank; the payout account can no longer change.',
  },
  CONFIRMATION_CODE_WRONG: { vi: 'Mã xác nhận không đúng.', en: 'The confirmation code is not right.' },
  CONFIRMATION_CODE_EXPIRED: {
    vi: 'Mã xác nhận đã hết hạn hoặc nhập sai quá nhiều lần; vui lòng yêu cầu mã mới.',
    en: 'The code has expired or was entered wrongly too often; please ask for a new one.',
  },
  NOTHING_TO_REDELIVER: {
    vi: 'Không có tín hiệu quy trình nào đang chờ gửi lại.',
    en: 'No workflow signal is waiting to be redelivered.',
  },
  NOTHING_TO_ACKNOWLEDGE: {
    vi: 'Hồ sơ không có lỗi quy trình nào đang chờ tiếp nhận.',
    en: 'No workflow failure is waiting to be acknowledged on this claim.',
  },
  DOCUMENT_CONTENT_NOT_ACCEPTED: {
    vi: 'Loại tệp này không phù hợp với loại tài liệu đã chọn (ví dụ: ảnh chụp không thay được giấy đăng ký xe; tệp XML chỉ dành cho hóa đơn điện tử).',
    en: 'This kind of file does not fit the document type chosen (e.g. XML is only for e-invoices).',
  },
  DECLARED_AMOUNT_NOT_ALLOWED: {
    vi: 'Chỉ khai số tiền khi tải lên hóa đơn hoặc biên lai.',
    en: 'An amount can only be declared with an invoice or receipt.',
  },
  SIU_CASE_NOT_FOUND: {
    vi: 'Hồ sơ này không được chuyển bộ phận điều tra.',
    en: 'This claim was not referred to the SIU.',
  },
  SIU_CASE_NOT_OPEN: {
    vi: 'Bước này không còn áp dụng cho vụ điều tra.',
    en: 'This step no longer applies to the investigation.',
  },
  SIU_HOLD: {
    vi: 'Bộ phận điều tra đã xác nhận dấu hiệu bất thường: hồ sơ chỉ có thể bị từ chối.',
    en: 'The SIU confirmed the indicators: the claim can only be rejected.',
  },
  POST_AUDIT_NOT_PENDING: {
    vi: 'Hồ sơ không chờ hậu kiểm.',
    en: 'This claim is not waiting for a post-audit review.',
  },
  DEPENDENCY_UNAVAILABLE: {
    vi: 'Hệ thống tạm thời gián đoạn, vui lòng thử lại.',
    en: 'A service is temporarily unavailable; please retry.',
  },
  BATCH_NOT_FOUND: { vi: 'Không tìm thấy lô chi.', en: 'Payment batch not found.' },
  RECONCILIATION_NOT_FOUND: { vi: 'Không tìm thấy lần đối soát.', en: 'Reconciliation not found.' },
  POLICY_IMPORT_NOT_FOUND: { vi: 'Không tìm thấy lần nhập hợp đồng.', en: 'Policy import not found.' },
  SAME_MAKER_AND_CHECKER: {
    vi: 'Người lập lô chi không được tự duyệt chi lô đó.',
    en: 'The person who prepared a batch cannot release it.',
  },
  BATCH_NOT_RELEASABLE: {
    vi: 'Lô chi không ở trạng thái chờ duyệt.',
    en: 'The batch is not waiting to be released.',
  },
  BATCH_NOT_RELEASED: {
    vi: 'Chỉ tải được lô chi đã duyệt.',
    en: 'Only a released batch can be downloaded.',
  },
  CONFIRMATION_FILE_INVALID: {
    vi: 'Tệp xác nhận của ngân hàng không đọc được.',
    en: "The bank's confirmation file cannot be read.",
  },
  QUOTA_EXCEEDED: {
    vi: 'Bạn đã đạt giới hạn thao tác trong ngày; vui lòng thử lại sau nửa đêm hoặc liên hệ tổng đài.',
    en: 'You have reached today’s limit for this; please try again after midnight (Vietnam time) or call us.',
  },
  INTERNAL: {
    vi: 'Đã có lỗi xảy ra. Vui lòng thử lại hoặc liên hệ tổng đài.',
    en: 'Something went wrong. Please retry or call us.',
  },
  DOCUMENTS_MISSING: {
    vi: 'Chưa đủ hồ sơ bắt buộc: cần nhận đủ tài liệu hoặc có miễn trừ của cấp có thẩm quyền trước khi chấp thuận.',
    en: 'Required documents are missing: receive them or have them waived by someone with authority before approving.',
  },
  WAIVER_NOT_APPLICABLE: {
    vi: 'Tài liệu này không thể miễn trừ (không bắt buộc, đã nhận hoặc đã được miễn trừ).',
    en: 'This document cannot be waived (not required, already received or already waived).',
  },
  SOD_OWN_FILING: {
    vi: 'Bạn là người lập hồ sơ này nên không được phê duyệt.',
    en: 'You filed this claim, so you cannot approve it.',
  },
  SOD_SINGLE_ASSESSOR: {
    vi: 'Bạn đã giám định hồ sơ một mình; với số tiền này cần người khác phê duyệt.',
    en: 'You assessed this claim alone; at this amount someone else must approve it.',
  },
  SOD_STAFF_PAYOUT_ACCOUNT: {
    vi: 'Tài khoản nhận tiền trùng với tài khoản của cán bộ; không được phê duyệt.',
    en: 'The payout account belongs to a member of staff; it cannot be approved.',
  },
  SOD_STAFF_CONTACT: {
    vi: 'Thông tin liên hệ trên hồ sơ trùng với của cán bộ; không được phê duyệt.',
    en: 'The contact on the claim belongs to a member of staff; it cannot be approved.',
  },
  ACCOUNT_INACTIVE: {
    vi: 'Tài khoản cán bộ đã bị khóa hoặc không còn quyền này.',
    en: 'This staff account is deactivated or no longer has this role.',
  },
  CONTACT_ALREADY_CONFIRMED: {
    vi: 'Thông tin liên hệ đã được xác nhận.',
    en: 'The contact has already been confirmed.',
  },
  INTAKE_RECORD_NOT_FOUND: { vi: 'Không tìm thấy thư tiếp nhận.', en: 'Intake record not found.' },
  INTAKE_ALREADY_CLAIMED: {
    vi: 'Thư này đã được lập hồ sơ bồi thường.',
    en: 'A claim was already made from this message.',
  },
  INTAKE_INCOMPLETE: {
    vi: 'Chưa đủ thông tin để lập hồ sơ; vui lòng bổ sung các mục còn thiếu.',
    en: 'Not enough to make a claim yet; fill in what is missing.',
  },
  // --- Fraud controls: money held while the SIU investigates (issue 9) ---
  SIU_PAYMENT_HELD: {
    vi: 'Hồ sơ đang được bộ phận điều tra (SIU) xem xét: chưa thể chi trả cho đến khi SIU kết luận.',
    en: 'The claim is with the SIU: no money can be paid until the SIU clears it.',
  },
  // ---- issue 10, the customer's own follow-up (h10): new texts, kept together to move as one ----
  APPEAL_NOT_ALLOWED: {
    vi: 'Chỉ có thể khiếu nại hồ sơ đã bị từ chối bồi thường.',
    en: 'Only a rejected claim can be appealed.',
  },
  APPEAL_WINDOW_CLOSED: {
    vi: 'Đã hết thời hạn khiếu nại quyết định từ chối này.',
    en: 'The time to appeal this rejection has passed.',
  },
  APPEAL_ALREADY_FILED: {
    vi: 'Hồ sơ này đã được khiếu nại; mỗi quyết định chỉ được xem xét lại một lần.',
    en: 'This claim has been appealed already; a decision is reviewed once.',
  },
  // ---- end of issue 10 block ----
};

/** Field-level issue codes (zod issue codes plus our format tags) as shown beside a field. */
export const FIELD_ISSUE_TEXT: Record<string, { vi: string; en: string }> = {
  required: { vi: 'Bắt buộc', en: 'Required' },
  invalid_type: { vi: 'Sai kiểu dữ liệu', en: 'Wrong type' },
  too_small: { vi: 'Quá ngắn hoặc quá nhỏ', en: 'Too short or too small' },
  too_big: { vi: 'Quá dài hoặc quá lớn', en: 'Too long or too large' },
  invalid_format: { vi: 'Sai định dạng', en: 'Wrong format' },
  invalid_value: { vi: 'Giá trị không được chấp nhận', en: 'Value not accepted' },
  unrecognized_keys: { vi: 'Có trường không được phép', en: 'Unknown field' },
  file_name: { vi: 'Tên tệp không hợp lệ', en: 'Not a valid file name' },
  invalid_union: { vi: 'Không khớp loại thông tin', en: 'Does not match any allowed shape' },
  phone: { vi: 'Số điện thoại không hợp lệ', en: 'Not a valid phone number' },
  plate: { vi: 'Biển số xe không hợp lệ (ví dụ 30A-123.45)', en: 'Not a valid plate (e.g. 30A-123.45)' },
  account_number: { vi: 'Số tài khoản gồm 6–20 chữ số', en: 'Account number must be 6–20 digits' },
  not_integer: { vi: 'Phải là số nguyên', en: 'Must be a whole number' },
  // Payout engine, configuration rules and staff administration:
  market_value_required: {
    vi: 'Cần giá thị trường khi có thiệt hại vật chất (sửa chữa / thay mới)',
    en: 'A market value is needed for repair or replacement items',
  },
  object_damage_on_several_covers: {
    vi: 'Thiệt hại vật chất chỉ được thuộc một quyền lợi',
    en: 'Repair and replacement items must all be on one cover',
  },
  salvage_without_object_damage: {
    vi: 'Chỉ có giá trị thu hồi khi có thiệt hại vật chất',
    en: 'Salvage only applies with repair or replacement items',
  },
  unknown_cover: { vi: 'Quyền lợi không có trong hợp đồng', en: 'Not a cover of this policy' },
  amounts_too_large: { vi: 'Số tiền quá lớn', en: 'Amounts too large' },
  duplicate: { vi: 'Bị trùng', en: 'Listed twice' },
  duplicate_deadline: {
    vi: 'Thời hạn này đã có với cùng mốc tính',
    en: 'This deadline already exists for that start',
  },
  not_increasing: { vi: 'Phải lớn hơn mức trước', en: 'Must be above the previous band' },
  quorum_exceeds_departments: {
    vi: 'Số phiếu cần có vượt số phòng ban',
    en: 'More approvals than departments',
  },
  exceeds_joint_threshold: {
    vi: 'Trần xử lý tự động phải không vượt ngưỡng quyết định liên phòng',
    en: 'Must not exceed the joint decision threshold',
  },
  unit_not_allowed: {
    vi: 'Thời hạn thanh toán tính theo ngày lịch (Điều 31)',
    en: 'Payment is counted in calendar days (Art. 31)',
  },
  exceeds_legal_maximum: {
    vi: 'Vượt thời hạn tối đa 15 ngày theo Điều 31 Luật KDBH',
    en: 'Above the 15-day legal maximum (Art. 31)',
  },
  payment_deadline_required: {
    vi: 'Phải có thời hạn thanh toán tính từ khi đủ hồ sơ (Điều 31)',
    en: 'A payment deadline from the complete dossier is required (Art. 31)',
  },
  claim_letter_required: {
    vi: 'Danh mục phải luôn yêu cầu giấy yêu cầu bồi thường',
    en: 'The checklist must always require the claim letter',
  },
  cause_not_covered: { vi: 'Nguyên nhân không thuộc phạm vi bảo hiểm', en: 'Not a covered cause' },
  code_mismatch: { vi: 'Mã sản phẩm không khớp', en: 'Product code does not match' },
  line_changed: { vi: 'Không được đổi nghiệp vụ của sản phẩm', en: 'The product line cannot change' },
  customer_role: {
    vi: 'Cán bộ không được mang vai trò khách hàng',
    en: 'Staff cannot hold the customer role',
  },
  immutable: { vi: 'Không thay đổi được', en: 'Cannot change' },
  username_taken: { vi: 'Tên đăng nhập đã có người dùng', en: 'Username taken' },
  email_taken: { vi: 'Email đã có tài khoản', en: 'Email already has an account' },
  in_past: { vi: 'Phải là thời điểm trong tương lai', en: 'Must be in the future' },
  // Notification templates:
  template_syntax: {
    vi: 'Sai cú pháp mẫu (thẻ {{…}} chưa đóng hoặc không hỗ trợ)',
    en: 'Template syntax error (an unclosed or unsupported {{…}} tag)',
  },
  unknown_variable: {
    vi: 'Có biến không thuộc mẫu này',
    en: 'Uses a variable this template does not have',
  },
  sms_too_long: {
    vi: 'Tin nhắn SMS dài quá 320 ký tự (không tính biến)',
    en: 'The SMS is over 320 characters (not counting variables)',
  },
};

export const CHECK_TEXT: Texts<CheckCode> = {
  POLICY_NOT_FOUND: {
    vi: 'Không tìm thấy hợp đồng {policyNumber}.',
    en: 'Policy {policyNumber} was not found.',
  },
  POLICY_NOT_OWNED: {
    vi: 'Hợp đồng {policyNumber} không thuộc khách hàng này.',
    en: 'Policy {policyNumber} does not belong to this customer.',
  },
  POLICY_NOT_IN_FORCE: {
    vi: 'Ngày tổn thất {lossDate} nằm ngoài thời hạn hợp đồng ({effectiveFrom} – {effectiveTo}) hoặc hợp đồng không còn hiệu lực.',
    en: 'The loss date {lossDate} is outside the policy period ({effectiveFrom} – {effectiveTo}) or the policy is not in force.',
  },
  PERIL_NOT_COVERED: {
    vi: 'Nguyên nhân tổn thất không thuộc phạm vi bảo hiểm của hợp đồng.',
    en: 'The cause of loss is not covered by the policy.',
  },
  LOSS_IN_FUTURE: { vi: 'Thời điểm tổn thất ở tương lai.', en: 'The loss time is in the future.' },
  LEGAL_WINDOW_EXPIRED: {
    vi: 'Đã quá thời hạn yêu cầu bồi thường 1 năm kể từ ngày xảy ra sự kiện ({deadline}) theo Điều 30 Luật Kinh doanh bảo hiểm 2022.',
    en: 'Filed after the one-year claim period ({deadline}) under Art. 30 of the Law on Insurance Business 2022.',
  },
  LATE_NOTICE: {
    vi: 'Thông báo tổn thất chậm {daysLate} ngày so với thời hạn {noticeDays} ngày của hợp đồng.',
    en: 'Notice was {daysLate} days later than the policy’s {noticeDays}-day notice period.',
  },
  POSSIBLE_DUPLICATE: {
    vi: 'Có thể trùng với hồ sơ {otherClaimNumber} (cùng hợp đồng, ngày và nguyên nhân).',
    en: 'May duplicate claim {otherClaimNumber} (same policy, date and cause).',
  },
};

export const STATUS_TEXT: Texts<ClaimStatus> = {
  SUBMITTED: { vi: 'Đã tiếp nhận', en: 'Received' },
  REFERRED: { vi: 'Chuyển cán bộ xem xét', en: 'Referred for review' },
  AWAITING_DOCUMENTS: { vi: 'Chờ bổ sung hồ sơ', en: 'Waiting for documents' },
  UNDER_ASSESSMENT: { vi: 'Đang giám định', en: 'Under assessment' },
  INFO_REQUESTED: { vi: 'Cần bổ sung thông tin', en: 'Information requested' },
  ASSESSED: { vi: 'Đã giám định', en: 'Assessed' },
  PENDING_APPROVAL: { vi: 'Chờ phê duyệt', en: 'Awaiting approval' },
  JOINT_REVIEW: { vi: 'Hội đồng đang xem xét', en: 'Under joint review' },
  APPROVED: { vi: 'Đã chấp thuận bồi thường', en: 'Approved' },
  PARTIALLY_APPROVED: { vi: 'Chấp thuận một phần', en: 'Partially approved' },
  REJECTED: { vi: 'Từ chối bồi thường', en: 'Rejected' },
  PAYMENT_QUEUED: { vi: 'Đang chuyển tiền', en: 'Payment in progress' },
  PAID: { vi: 'Đã thanh toán', en: 'Paid' },
  CLOSED: { vi: 'Đã đóng', en: 'Closed' },
  CLOSED_NO_RESPONSE: { vi: 'Đóng do không phản hồi', en: 'Closed for no response' },
};

export const EVENT_TEXT: Texts<EventType> = {
  ClaimSubmitted: { vi: 'Hồ sơ được gửi', en: 'Claim submitted' },
  ClaimChecked: { vi: 'Kiểm tra tự động hoàn tất', en: 'Automatic checks completed' },
  ClaimReferred: { vi: 'Chuyển cán bộ xem xét', en: 'Referred to a person' },
  ClaimClassified: { vi: 'Phân loại hồ sơ', en: 'Claim classified' },
  AcknowledgementSent: { vi: 'Đã gửi thư xác nhận', en: 'Acknowledgement sent' },
  DocumentUploadRequested: { vi: 'Bắt đầu tải tài liệu', en: 'Document upload started' },
  DocumentVerified: { vi: 'Đã nhận tài liệu', en: 'Document received' },
  DocumentQuarantined: { vi: 'Tài liệu bị từ chối', en: 'Document rejected' },
  DossierCompleted: { vi: 'Hồ sơ đầy đủ', en: 'Dossier complete' },
  AssessmentAwaited: { vi: 'Chờ giám định', en: 'Waiting for assessment' },
  ClaimAssigned: { vi: 'Phân công cán bộ', en: 'Assigned' },
  ClaimReassigned: { vi: 'Phân công lại', en: 'Reassigned' },
  InfoRequested: { vi: 'Yêu cầu bổ sung thông tin', en: 'Information requested' },
  InfoProvided: { vi: 'Đã bổ sung thông tin', en: 'Information provided' },
  InspectionScheduled: { vi: 'Hẹn giám định hiện trường', en: 'Inspection scheduled' },
  AssessmentRecorded: { vi: 'Ghi nhận kết quả giám định', en: 'Assessment recorded' },
  PayoutCalculated: { vi: 'Tính số tiền bồi thường', en: 'Payout calculated' },
  ApprovalRequested: { vi: 'Trình phê duyệt', en: 'Approval requested' },
  DepartmentVoted: { vi: 'Phòng ban cho ý kiến', en: 'Department voted' },
  ClaimApproved: { vi: 'Chấp thuận bồi thường', en: 'Approved' },
  ClaimPartiallyApproved: { vi: 'Chấp thuận một phần', en: 'Partially approved' },
  ClaimRejected: { vi: 'Từ chối bồi thường', en: 'Rejected' },
  PaymentQueued: { vi: 'Lệnh chi đã lập', en: 'Payment queued' },
  DeadlineScheduled: { vi: 'Đặt thời hạn xử lý', en: 'Deadline set' },
  DeadlineAtRisk: { vi: 'Sắp đến hạn xử lý', en: 'Deadline at risk' },
  DeadlineBreached: { vi: 'Quá hạn xử lý', en: 'Deadline missed' },
  DeadlineMet: { vi: 'Hoàn thành đúng hạn', en: 'Deadline met' },
  DeadlineCancelled: { vi: 'Hủy thời hạn không còn áp dụng', en: 'Deadline no longer applies' },
  ReminderSent: { vi: 'Đã gửi nhắc nhở', en: 'Reminder sent' },
  InspectionConfirmed: { vi: 'Khách hàng xác nhận lịch giám định', en: 'Inspection confirmed' },
  InspectionRescheduleRequested: {
    vi: 'Khách hàng đề nghị đổi lịch giám định',
    en: 'Another inspection time requested',
  },
  ApprovalSentBack: { vi: 'Cấp phê duyệt trả lại hồ sơ', en: 'Sent back by the approver' },
  ClaimSentBack: { vi: 'Hội đồng trả lại hồ sơ', en: 'Sent back by a department' },
  NoteAdded: { vi: 'Ghi chú', en: 'Note added' },
  ClaimClosed: { vi: 'Đóng hồ sơ', en: 'Claim closed' },
  WorkflowStepFailed: {
    vi: 'Quy trình tự động dừng do một bước bị lỗi (chờ giám sát viên xử lý)',
    en: 'Workflow stopped: a step failed (awaiting a supervisor)',
  },
  WorkflowFailureAcknowledged: {
    vi: 'Giám sát viên đã tiếp nhận lỗi quy trình',
    en: 'Workflow failure acknowledged by a supervisor',
  },
  WorkflowSignalsRedelivered: {
    vi: 'Gửi lại tín hiệu quy trình bị kẹt',
    en: 'Stalled workflow signals redelivered',
  },
  AdvancePaymentApproved: { vi: 'Chấp thuận tạm ứng bồi thường', en: 'Advance payment approved' },
  PayoutAccountChangeRequested: {
    vi: 'Yêu cầu đổi tài khoản nhận tiền (chờ xác nhận, tạm giữ thanh toán)',
    en: 'Payout account change requested (awaiting confirmation, payment on hold)',
  },
  PayoutAccountChanged: { vi: 'Đã đổi tài khoản nhận tiền', en: 'Payout account changed' },
  PayoutAccountRevealed: { vi: 'Xem đầy đủ số tài khoản nhận tiền', en: 'Full payout account number viewed' },
  InvoiceFlagged: { vi: 'Hóa đơn trùng với hồ sơ khác', en: 'Invoice also on another claim' },
  PostAuditSampled: { vi: 'Chọn mẫu hậu kiểm', en: 'Sampled for post-audit' },
  PostAuditReviewed: { vi: 'Đã hậu kiểm', en: 'Post-audit reviewed' },
  IndicatorsScored: { vi: 'Đã chấm điểm dấu hiệu bất thường', en: 'Indicators scored' },
  ClaimReferredToSiu: { vi: 'Chuyển bộ phận điều tra (SIU)', en: 'Referred to the SIU' },
  SiuInvestigationStarted: { vi: 'SIU bắt đầu điều tra', en: 'SIU investigation started' },
  SiuOutcomeRecorded: { vi: 'SIU ghi nhận kết luận', en: 'SIU outcome recorded' },
  DocumentWaived: { vi: 'Miễn trừ tài liệu', en: 'Document waived' },
  ContactConfirmed: { vi: 'Khách hàng xác nhận thông tin liên hệ', en: 'Contact confirmed by the customer' },
  PaymentConfirmed: { vi: 'Ngân hàng xác nhận đã chuyển tiền', en: 'Bank confirmed the transfer' },
  PaymentFailed: { vi: 'Ngân hàng từ chối chuyển tiền', en: 'Bank rejected the transfer' },
  ClaimPaid: { vi: 'Đã thanh toán bồi thường', en: 'Claim paid' },
  ProductConfigChanged: { vi: 'Thay đổi cấu hình sản phẩm', en: 'Product configuration changed' },
  CalendarChanged: { vi: 'Thay đổi lịch ngày nghỉ', en: 'Holiday calendar changed' },
  TemplateChanged: { vi: 'Thay đổi mẫu thông báo', en: 'Notification template changed' },
  StaffChanged: { vi: 'Thay đổi tài khoản cán bộ', en: 'Staff account changed' },
  QuotasChanged: { vi: 'Thay đổi giới hạn thao tác theo ngày', en: 'Daily write quotas changed' },
  // ---- issue 10, the customer's own follow-up (h10): new texts, kept together to move as one ----
  ClaimAppealed: { vi: 'Khách hàng khiếu nại quyết định từ chối', en: 'Rejection appealed by the customer' },
  AppealDecided: { vi: 'Đã giải quyết khiếu nại', en: 'Appeal decided' },
  MessagePosted: { vi: 'Tin nhắn', en: 'Message' },
  // ---- end of issue 10 block ----
};

export const DOCUMENT_TEXT: Texts<DocumentType> = {
  claim_letter: { vi: 'Giấy yêu cầu bồi thường', en: 'Claim letter' },
  vehicle_registration: { vi: 'Giấy đăng ký xe', en: 'Vehicle registration' },
  driving_licence: { vi: 'Giấy phép lái xe', en: 'Driving licence' },
  insurance_certificate: { vi: 'Giấy chứng nhận bảo hiểm', en: 'Insurance certificate' },
  repair_invoice: { vi: 'Hóa đơn sửa chữa', en: 'Repair invoices' },
  police_report: { vi: 'Kết luận của cơ quan công an', en: 'Police conclusion' },
  damage_photos: { vi: 'Ảnh chụp thiệt hại', en: 'Photos of the damage' },
  ownership_proof: { vi: 'Giấy tờ chứng minh quyền sở hữu', en: 'Proof of ownership' },
  loss_inventory: { vi: 'Bảng kê thiệt hại', en: 'Inventory of losses' },
  fire_brigade_report: { vi: 'Biên bản của cơ quan PCCC/công an', en: 'Fire brigade or police report' },
  medical_report: { vi: 'Hồ sơ bệnh án / giấy ra viện', en: 'Medical report' },
  hospital_invoice: { vi: 'Hóa đơn viện phí', en: 'Hospital invoices' },
  discharge_paper: { vi: 'Giấy ra viện', en: 'Discharge paper' },
  prescription: { vi: 'Đơn thuốc', en: 'Prescription' },
  boarding_pass: { vi: 'Thẻ lên máy bay / vé', en: 'Boarding pass or ticket' },
  passport: { vi: 'Hộ chiếu', en: 'Passport' },
  carrier_report: { vi: 'Xác nhận của hãng vận chuyển', en: 'Carrier’s report' },
  other: { vi: 'Tài liệu khác', en: 'Other document' },
};

export const CAUSE_TEXT: Texts<Cause> = {
  collision: { vi: 'Va chạm', en: 'Collision' },
  theft: { vi: 'Mất cắp', en: 'Theft' },
  fire: { vi: 'Cháy', en: 'Fire' },
  flood: { vi: 'Ngập nước, lũ lụt', en: 'Flood' },
  storm: { vi: 'Bão, gió lốc', en: 'Storm' },
  glass_breakage: { vi: 'Vỡ kính', en: 'Glass breakage' },
  vandalism: { vi: 'Phá hoại', en: 'Vandalism' },
  third_party_injury: { vi: 'Thương tật bên thứ ba', en: 'Third-party injury' },
  third_party_property: { vi: 'Thiệt hại tài sản bên thứ ba', en: 'Third-party property damage' },
  explosion: { vi: 'Nổ', en: 'Explosion' },
  lightning: { vi: 'Sét đánh', en: 'Lightning' },
  illness: { vi: 'Ốm bệnh', en: 'Illness' },
  accident: { vi: 'Tai nạn', en: 'Accident' },
  maternity: { vi: 'Thai sản', en: 'Maternity' },
  trip_cancellation: { vi: 'Hủy chuyến đi', en: 'Trip cancellation' },
  baggage_loss: { vi: 'Mất hành lý', en: 'Baggage loss' },
  medical_abroad: { vi: 'Chi phí y tế ở nước ngoài', en: 'Medical costs abroad' },
  flight_delay: { vi: 'Chuyến bay bị hoãn', en: 'Flight delay' },
};

/**
 * Fraud red flags as staff read them (never shown to customers), filled with the claim's feature
 * values (core/fraud/features.ts names).
 */
export const RED_FLAG_TEXT: Texts<RedFlagCode> = {
  LOSS_SOON_AFTER_INCEPTION: {
    vi: 'Tổn thất xảy ra {Days_Policy_Accident} ngày sau ngày hợp đồng có hiệu lực',
    en: 'Loss {Days_Policy_Accident} days after the policy started',
  },
  LOSS_NEAR_EXPIRY: {
    vi: 'Tổn thất xảy ra {Days_To_Policy_End} ngày trước khi hợp đồng hết hạn',
    en: 'Loss {Days_To_Policy_End} days before the policy ends',
  },
  LATE_REPORTING: {
    vi: 'Khai báo muộn {Days_Loss_Report} ngày sau ngày tổn thất',
    en: 'Reported {Days_Loss_Report} days after the loss',
  },
  REPEAT_CLAIMANT: {
    vi: 'Khách hàng đã có {Claims_Last_12_Months} yêu cầu bồi thường trong 12 tháng trước',
    en: 'The customer made {Claims_Last_12_Months} claims in the previous 12 months',
  },
  JUST_UNDER_THRESHOLD: {
    vi: 'Số tiền {ClaimAmount} ₫ chỉ thấp hơn hạn mức phê duyệt {Threshold_Gap}',
    en: 'The amount VND {ClaimAmount} is only {Threshold_Gap} below an authority limit',
  },
  ROUND_AMOUNT: {
    vi: 'Số tiền yêu cầu là số tròn ({ClaimAmount} ₫)',
    en: 'The amount claimed is a round figure (VND {ClaimAmount})',
  },
  CLAIM_CLUSTER: {
    vi: 'Khách hàng có {Claims_In_Window} yêu cầu khác với ngày tổn thất gần ngày này',
    en: 'The customer has {Claims_In_Window} other claims with a loss close to this one',
  },
  SHARED_ATTRIBUTE: {
    vi: 'Giấy tờ, tài khoản, số điện thoại, email hoặc biển số trùng với {Linked_Claims} hồ sơ của khách hàng khác',
    en: 'A document, bank account, phone, email or plate is shared with {Linked_Claims} claims of other customers',
  },
};

/** Fills `{name}` placeholders. */
export function fill(template: string, params: Record<string, unknown> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) =>
    params[k] === undefined ? `{${k}}` : String(params[k]),
  );
}

export function t<K extends string>(
  table: Texts<K>,
  key: K,
  locale: Locale,
  params?: Record<string, unknown>,
) {
  const entry = table[key];
  return fill(entry ? entry[locale] : key, params);
}

/** Claims by email: what a reply says is missing (core/inbound-email.ts EMAIL_MISSING). */
export const EMAIL_MISSING_TEXT: Texts<
  | 'known_sender'
  | 'policy_number'
  | 'policy_match'
  | 'claim_match'
  | 'loss_date'
  | 'loss_place'
  | 'cause'
  | 'payout_account'
  | 'claim_details'
  | 'estimated_amount'
> = {
  known_sender: {
    vi: 'Địa chỉ email này chưa được đăng ký cho chủ hợp đồng nào; vui lòng gửi từ email đã đăng ký với chúng tôi',
    en: 'This address is not registered for any policyholder; please write from the address you registered with us',
  },
  policy_number: {
    vi: 'Số hợp đồng bảo hiểm (ví dụ: MOT-2026-0001)',
    en: 'Your policy number (e.g. MOT-2026-0001)',
  },
  policy_match: {
    vi: 'Số hợp đồng không khớp với hợp đồng nào của Quý khách; vui lòng kiểm tra lại',
    en: 'The policy number does not match any of your policies; please check it',
  },
  claim_match: {
    vi: 'Số hồ sơ trong tiêu đề không thuộc về địa chỉ email này',
    en: 'The claim number in the subject does not belong to this address',
  },
  loss_date: {
    vi: 'Ngày xảy ra sự cố (ví dụ: "Ngày xảy ra: 12/03/2026")',
    en: 'The date of the loss (e.g. "Date of loss: 12/03/2026")',
  },
  loss_place: {
    vi: 'Địa điểm xảy ra sự cố, có tỉnh/thành phố (ví dụ: "Địa điểm: 123 Láng Hạ, Đống Đa, Hà Nội")',
    en: 'Where it happened, with the province or city (e.g. "Place: 12 Le Loi, District 1, Ho Chi Minh City")',
  },
  cause: {
    vi: 'Nguyên nhân thiệt hại (va chạm, mất cắp, cháy, ngập nước…)',
    en: 'What caused the loss (collision, theft, fire, flood…)',
  },
  payout_account: {
    vi: 'Tài khoản nhận tiền bồi thường: "Số tài khoản:" và "Ngân hàng:"',
    en: 'The account to pay into: "Account number:" and "Bank:"',
  },
  claim_details: {
    vi: 'Thông tin chi tiết theo loại bảo hiểm (biển số xe; bệnh viện và chẩn đoán; …)',
    en: 'The details your kind of policy needs (vehicle plate; hospital and diagnosis; …)',
  },
  estimated_amount: {
    vi: 'Số tiền thiệt hại ước tính (không bắt buộc)',
    en: 'An estimate of the loss (optional)',
  },
};

/** Claims by email: the automatic replies (subject and text; `{name}` placeholders). */
export const EMAIL_REPLY_TEXT: Texts<
  | 'claim_subject'
  | 'claim_intro'
  | 'still_missing'
  | 'nothing_missing'
  | 'documents_subject'
  | 'documents_intro'
  | 'info_answered'
  | 'attachments'
  | 'attachment_checking'
  | 'attachment_refused'
  | 'intake_subject'
  | 'intake_intro'
  | 'intake_outro'
  | 'track'
  | 'sign_off'
> = {
  claim_subject: {
    vi: '[{claimNumber}] Đã nhận yêu cầu bồi thường qua email',
    en: '[{claimNumber}] Your claim by email is received',
  },
  claim_intro: {
    vi: 'Chúng tôi đã lập hồ sơ bồi thường số {claimNumber} cho hợp đồng {policyNumber} từ email của Quý khách.',
    en: 'We have opened claim {claimNumber} on policy {policyNumber} from your email.',
  },
  still_missing: { vi: 'Còn thiếu:', en: 'Still missing:' },
  nothing_missing: { vi: 'Hồ sơ đã đủ tài liệu.', en: 'Your file is complete.' },
  documents_subject: {
    vi: '[{claimNumber}] Đã nhận thư bổ sung hồ sơ',
    en: '[{claimNumber}] We received your message on this claim',
  },
  documents_intro: {
    vi: 'Chúng tôi đã nhận thư của Quý khách về hồ sơ {claimNumber}.',
    en: 'We received your message about claim {claimNumber}.',
  },
  info_answered: {
    vi: 'Thư này được ghi nhận là câu trả lời cho yêu cầu bổ sung thông tin.',
    en: 'It is recorded as your answer to our request for information.',
  },
  attachments: { vi: 'Tệp đính kèm:', en: 'Attachments:' },
  attachment_checking: { vi: '{fileName}: đang kiểm tra', en: '{fileName}: being checked' },
  attachment_refused: { vi: '{fileName}: không nhận ({reason})', en: '{fileName}: not accepted ({reason})' },
  intake_subject: {
    vi: 'Chưa thể lập hồ sơ bồi thường từ email của Quý khách',
    en: 'We could not open a claim from your email yet',
  },
  intake_intro: {
    vi: 'Chúng tôi đã nhận email "{subject}" nhưng chưa thể lập hồ sơ bồi thường vì còn thiếu:',
    en: 'We received your email "{subject}" but cannot open a claim yet because we still need:',
  },
  intake_outro: {
    vi: 'Vui lòng trả lời email này với các thông tin trên, hoặc khai báo trực tuyến. Bộ phận Bồi thường cũng đã nhận được thư và sẽ liên hệ nếu cần.',
    en: 'Please reply with the details above, or report the loss online. Our claims team has your message too and will contact you if needed.',
  },
  track: { vi: 'Theo dõi hồ sơ: {url}', en: 'Follow your claim: {url}' },
  sign_off: { vi: 'Trân trọng,\nBộ phận Bồi thường', en: 'Kind regards,\nClaims department' },
};
