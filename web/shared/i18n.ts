import { fill, type Locale } from '../../lambdas/core/messages.ts';

/**
 * Strings that only the screens need (labels, buttons, hints). Everything keyed by an API code —
 * errors, statuses, events, documents, causes, checks — comes from the shared catalogue in
 * `lambdas/core/messages.ts` so the API, the emails and both web apps say the same thing.
 */
type Entry = { vi: string; en: string };

export const UI = {
  appName: { vi: 'Bồi thường trực tuyến', en: 'Online claims' },
  appTagline: {
    vi: 'Thông báo tổn thất và theo dõi hồ sơ bồi thường',
    en: 'Report a loss and follow your claim',
  },
  skipToContent: { vi: 'Chuyển tới nội dung chính', en: 'Skip to main content' },
  language: { vi: 'Ngôn ngữ', en: 'Language' },
  signOut: { vi: 'Đăng xuất', en: 'Sign out' },
  signedInAs: { vi: 'Đang đăng nhập: {name}', en: 'Signed in as {name}' },
  loading: { vi: 'Đang tải…', en: 'Loading…' },
  retry: { vi: 'Thử lại', en: 'Try again' },
  back: { vi: 'Quay lại', en: 'Back' },
  backToClaims: { vi: 'Hồ sơ của tôi', en: 'My claims' },
  notFoundTitle: { vi: 'Không tìm thấy trang', en: 'Page not found' },
  referenceId: { vi: 'Mã tra cứu: {id}', en: 'Reference: {id}' },
  networkError: {
    vi: 'Không kết nối được tới máy chủ. Vui lòng kiểm tra mạng và thử lại.',
    en: 'Could not reach the server. Please check your connection and try again.',
  },
  configError: {
    vi: 'Không tải được cấu hình ứng dụng. Vui lòng tải lại trang.',
    en: 'The app configuration could not be loaded. Please reload the page.',
  },
  unknownError: { vi: 'Đã có lỗi xảy ra ({code}).', en: 'Something went wrong ({code}).' },

  // Sign-in
  signInTitle: { vi: 'Đăng nhập', en: 'Sign in' },
  signInIntro: {
    vi: 'Đăng nhập để báo tổn thất, tải giấy tờ và theo dõi hồ sơ bồi thường của bạn.',
    en: 'Sign in to report a loss, upload documents and follow your claims.',
  },
  username: { vi: 'Tên đăng nhập', en: 'Username' },
  signInButton: { vi: 'Đăng nhập', en: 'Sign in' },
  signInWithAccount: { vi: 'Đăng nhập bằng tài khoản', en: 'Sign in with your account' },
  signingIn: { vi: 'Đang đăng nhập…', en: 'Signing in…' },
  demoUsers: { vi: 'Tài khoản dùng thử', en: 'Demo accounts' },
  demoUsersHint: { vi: 'Chọn nhanh một khách hàng mẫu:', en: 'Pick a sample customer:' },
  signInStateMismatch: {
    vi: 'Phiên đăng nhập không hợp lệ (state không khớp). Vui lòng đăng nhập lại.',
    en: 'The sign-in response did not match this browser session. Please sign in again.',
  },
  signInFailed: { vi: 'Đăng nhập không thành công ({reason}).', en: 'Sign-in failed ({reason}).' },
  localModeNote: {
    vi: 'Chế độ chạy thử trên máy: không cần mật khẩu.',
    en: 'Local demo mode: no password needed.',
  },

  // Claims list
  myClaims: { vi: 'Hồ sơ bồi thường của tôi', en: 'My claims' },
  reportLoss: { vi: 'Báo tổn thất', en: 'Report a loss' },
  noClaims: { vi: 'Bạn chưa có hồ sơ bồi thường nào.', en: 'You have no claims yet.' },
  noClaimsHint: {
    vi: 'Khi có sự cố, hãy báo cho chúng tôi càng sớm càng tốt.',
    en: 'If something happens, tell us as soon as you can.',
  },
  loadMore: { vi: 'Xem thêm', en: 'Show more' },
  lossOn: { vi: 'Ngày tổn thất', en: 'Date of loss' },
  submittedOn: { vi: 'Ngày gửi', en: 'Submitted' },
  estimated: { vi: 'Ước tính', en: 'Estimate' },
  missingCount: { vi: 'Thiếu {count} giấy tờ', en: '{count} document(s) missing' },
  dossierComplete: { vi: 'Đủ giấy tờ', en: 'Documents complete' },

  // FNOL form
  newClaimTitle: { vi: 'Báo tổn thất', en: 'Report a loss' },
  newClaimIntro: {
    vi: 'Điền các thông tin dưới đây. Các trường có dấu * là bắt buộc. Bạn có thể bổ sung giấy tờ sau khi gửi.',
    en: 'Fill in the details below. Fields marked * are required. You can add documents after submitting.',
  },
  stepPolicy: { vi: 'Hợp đồng bảo hiểm', en: 'Policy' },
  choosePolicy: { vi: 'Chọn hợp đồng liên quan đến tổn thất', en: 'Choose the policy this loss falls under' },
  noPolicies: { vi: 'Không tìm thấy hợp đồng nào của bạn.', en: 'We could not find any policies for you.' },
  policyPeriod: { vi: 'Hiệu lực {from} – {to}', en: 'In force {from} – {to}' },
  policyStatus_in_force: { vi: 'Đang hiệu lực', en: 'In force' },
  policyStatus_cancelled: { vi: 'Đã hủy', en: 'Cancelled' },
  policyStatus_lapsed: { vi: 'Hết hiệu lực', en: 'Lapsed' },
  stepWhatHappened: { vi: 'Sự việc', en: 'What happened' },
  lossDate: { vi: 'Ngày xảy ra', en: 'Date' },
  lossTime: { vi: 'Giờ xảy ra (giờ Việt Nam)', en: 'Time (Vietnam time)' },
  address: { vi: 'Địa điểm (số nhà, đường, phường/xã)', en: 'Place (street address, ward)' },
  province: { vi: 'Tỉnh / thành phố', en: 'Province / city' },
  cause: { vi: 'Nguyên nhân', en: 'Cause' },
  chooseCause: { vi: '— Chọn nguyên nhân —', en: '— Choose a cause —' },
  causeHint: {
    vi: 'Chỉ hiển thị các nguyên nhân thuộc phạm vi bảo hiểm của hợp đồng.',
    en: 'Only causes covered by this policy are listed.',
  },
  description: { vi: 'Mô tả diễn biến', en: 'Describe what happened' },
  descriptionHint: { vi: 'Ít nhất 10 ký tự.', en: 'At least 10 characters.' },
  stepDetails: { vi: 'Chi tiết', en: 'Details' },
  vehiclePlate: { vi: 'Biển số xe', en: 'Vehicle plate' },
  driverName: { vi: 'Người điều khiển xe', en: 'Driver' },
  policeAttended: { vi: 'Công an đã có mặt / lập biên bản', en: 'The police attended or made a report' },
  otherPartyInvolved: {
    vi: 'Có phương tiện hoặc người khác liên quan',
    en: 'Another vehicle or person was involved',
  },
  otherPartyTitle: { vi: 'Bên liên quan', en: 'Other party' },
  otherName: { vi: 'Họ tên', en: 'Name' },
  otherPlate: { vi: 'Biển số xe', en: 'Vehicle plate' },
  otherPhone: { vi: 'Số điện thoại', en: 'Phone' },
  otherInsurer: { vi: 'Công ty bảo hiểm', en: 'Insurer' },
  damagedItems: { vi: 'Tài sản bị thiệt hại', en: 'Damaged items' },
  itemDescription: { vi: 'Mô tả tài sản', en: 'Item' },
  itemAmount: { vi: 'Giá trị ước tính (VND)', en: 'Estimated value (VND)' },
  addItem: { vi: 'Thêm tài sản', en: 'Add an item' },
  removeItem: { vi: 'Xóa tài sản {n}', en: 'Remove item {n}' },
  itemN: { vi: 'Tài sản {n}', en: 'Item {n}' },
  patientName: { vi: 'Người được bảo hiểm điều trị', en: 'Patient' },
  hospital: { vi: 'Cơ sở y tế', en: 'Hospital or clinic' },
  diagnosis: { vi: 'Chẩn đoán', en: 'Diagnosis' },
  admittedOn: { vi: 'Ngày nhập viện', en: 'Admitted on' },
  dischargedOn: { vi: 'Ngày ra viện', en: 'Discharged on' },
  country: { vi: 'Quốc gia xảy ra sự kiện', en: 'Country' },
  tripStart: { vi: 'Ngày bắt đầu chuyến đi', en: 'Trip start' },
  tripEnd: { vi: 'Ngày kết thúc chuyến đi', en: 'Trip end' },
  carrier: { vi: 'Hãng vận chuyển', en: 'Carrier' },
  optional: { vi: '(không bắt buộc)', en: '(optional)' },
  stepAmount: { vi: 'Thiệt hại ước tính', en: 'Estimated loss' },
  estimatedAmount: { vi: 'Số tiền ước tính (VND)', en: 'Estimated amount (VND)' },
  estimatedAmountHint: {
    vi: 'Ước tính của bạn; số tiền bồi thường sẽ được xác định sau giám định.',
    en: 'Your own estimate; the amount payable is set after assessment.',
  },
  stepContact: { vi: 'Liên hệ', en: 'Contact' },
  phone: { vi: 'Số điện thoại', en: 'Phone' },
  email: { vi: 'Email', en: 'Email' },
  stepPayout: { vi: 'Tài khoản nhận tiền bồi thường', en: 'Account for the payout' },
  bankName: { vi: 'Ngân hàng', en: 'Bank' },
  accountNumber: { vi: 'Số tài khoản', en: 'Account number' },
  accountHolder: { vi: 'Chủ tài khoản', en: 'Account holder' },
  submitClaim: { vi: 'Gửi thông báo tổn thất', en: 'Submit the claim' },
  submitting: { vi: 'Đang gửi…', en: 'Submitting…' },
  fixErrors: {
    vi: 'Vui lòng sửa {count} lỗi được đánh dấu bên dưới.',
    en: 'Please fix the {count} marked problem(s) below.',
  },
  selectPolicyFirst: { vi: 'Chọn một hợp đồng để tiếp tục.', en: 'Choose a policy to continue.' },
  submittedNotice: {
    vi: 'Chúng tôi đã nhận thông báo tổn thất {number}. Thư xác nhận sẽ được gửi tới email của bạn.',
    en: 'We have received claim {number}. A confirmation will be sent to your email.',
  },

  // Claim page
  claimTitle: { vi: 'Hồ sơ {number}', en: 'Claim {number}' },
  status: { vi: 'Trạng thái', en: 'Status' },
  policy: { vi: 'Hợp đồng', en: 'Policy' },
  product: { vi: 'Sản phẩm', en: 'Product' },
  refresh: { vi: 'Làm mới', en: 'Refresh' },
  refreshing: { vi: 'Đang cập nhật…', en: 'Updating…' },
  updatedAt: { vi: 'Cập nhật lúc {time}', en: 'Updated at {time}' },
  nextStepTitle: { vi: 'Bước tiếp theo', en: 'Next step' },
  dueBy: { vi: 'Hạn: {date}', en: 'Due by {date}' },
  basis: { vi: 'Căn cứ: {basis}', en: 'Basis: {basis}' },
  checksTitle: { vi: 'Kết quả kiểm tra tự động', en: 'Automatic checks' },
  checksPending: { vi: 'Đang kiểm tra…', en: 'Checking…' },
  checksPassed: { vi: 'Không phát hiện vấn đề nào.', en: 'No problems found.' },
  severity_block: { vi: 'Cần cán bộ xem xét', en: 'Needs a person to review' },
  severity_warn: { vi: 'Lưu ý', en: 'Note' },
  docsYouWillNeed: { vi: 'Giấy tờ bạn sẽ cần gửi sau', en: 'Documents you will need to send' },
  uploadThis: { vi: 'Tải lên', en: 'Upload' },
  missingTitle: { vi: 'Giấy tờ còn thiếu', en: 'Documents still needed' },
  nothingMissing: { vi: 'Bạn đã gửi đủ giấy tờ cần thiết.', en: 'You have sent every required document.' },
  uploadTitle: { vi: 'Tải giấy tờ lên', en: 'Upload documents' },
  docType: { vi: 'Loại giấy tờ', en: 'Document type' },
  chooseFile: { vi: 'Chọn tệp', en: 'Choose a file' },
  invoiceAmount: { vi: 'Tổng tiền trên hóa đơn (gồm VAT, đồng)', en: 'Invoice total (VAT included, VND)' },
  invoiceAmountHint: {
    vi: 'Nhập đúng tổng tiền ghi trên hóa đơn/biên lai. Nếu có hóa đơn điện tử, hãy tải cả tệp XML: hệ thống đọc số tiền từ đó.',
    en: 'Enter the total printed on the invoice or receipt. If you have the e-invoice, upload its XML file too: the amount is read from it.',
  },
  takePhoto: { vi: 'Chụp ảnh', en: 'Take a photo' },
  fileHint: {
    vi: 'Ảnh (JPEG, PNG, WebP, HEIC) hoặc PDF, tối đa 15 MB mỗi tệp.',
    en: 'Images (JPEG, PNG, WebP, HEIC) or PDF, up to 15 MB each.',
  },
  uploading: { vi: 'Đang tải lên {name}', en: 'Uploading {name}' },
  uploadProgress: { vi: 'Tiến độ tải lên {name}', en: 'Upload progress for {name}' },
  verifying: { vi: 'Đã tải lên. Đang kiểm tra tài liệu…', en: 'Uploaded. Checking the document…' },
  uploadReceived: { vi: 'Đã nhận {name}.', en: '{name} received.' },
  uploadRejected: { vi: '{name} bị từ chối: {reason}', en: '{name} was rejected: {reason}' },
  uploadStillChecking: {
    vi: '{name} đã tải lên; kết quả kiểm tra sẽ hiện sau ít phút.',
    en: '{name} is uploaded; the check result will appear shortly.',
  },
  uploadFailed: { vi: 'Không tải lên được {name}: {reason}', en: 'Could not upload {name}: {reason}' },
  documentsTitle: { vi: 'Giấy tờ đã gửi', en: 'Documents sent' },
  noDocuments: { vi: 'Chưa có giấy tờ nào.', en: 'No documents yet.' },
  docStatus_VERIFIED: { vi: 'Đã nhận', en: 'Received' },
  docStatus_QUARANTINED: { vi: 'Bị từ chối', en: 'Rejected' },
  docStatus_PENDING_UPLOAD: { vi: 'Đang xử lý', en: 'Processing' },
  timelineTitle: { vi: 'Diễn biến hồ sơ', en: 'Timeline' },
  by: { vi: 'Bởi: {who}', en: 'By: {who}' },
  reportTitle: { vi: 'Thông tin bạn đã khai báo', en: 'What you reported' },
  classifiedAs: { vi: 'Nhóm: {line} · mức độ {band}', en: 'Line: {line} · severity {band}' },
  checksSummaryNone: { vi: 'Không có vấn đề', en: 'No issues' },
  checksSummarySome: { vi: '{count} điểm cần lưu ý', en: '{count} point(s) to note' },
  yes: { vi: 'Có', en: 'Yes' },
  no: { vi: 'Không', en: 'No' },

  // Payout calculation (both apps show the payout engine's steps)
  payoutStep: { vi: 'Bước', en: 'Step' },
  payoutAmount: { vi: 'Số tiền', en: 'Amount' },
  payoutDetail: { vi: 'Chi tiết', en: 'Detail' },
  payoutNotApplied: { vi: '(không áp dụng)', en: '(not applied)' },

  // Decision, information requests and inspections on the customer's claim page
  decisionTitle: { vi: 'Quyết định bồi thường', en: 'Claim decision' },
  decision_approve: { vi: 'Chấp thuận bồi thường', en: 'Approved' },
  decision_partial: { vi: 'Chấp thuận một phần', en: 'Approved in part' },
  decision_reject: { vi: 'Từ chối bồi thường', en: 'Rejected' },
  decisionAmount: { vi: 'Số tiền bồi thường: {amount}', en: 'Amount payable: {amount}' },
  decidedOn: { vi: 'Ngày quyết định: {date}', en: 'Decided on {date}' },
  decisionReasons: { vi: 'Lý do', en: 'Reasons' },
  payoutHowTitle: { vi: 'Cách tính số tiền bồi thường', en: 'How the amount was worked out' },
  infoRequestTitle: { vi: 'Chúng tôi cần thêm thông tin', en: 'We need more information' },
  infoRequestDocs: { vi: 'Giấy tờ cần gửi thêm: {docs}', en: 'Documents to send: {docs}' },
  infoRequestDue: { vi: 'Vui lòng trả lời trước {date}.', en: 'Please answer by {date}.' },
  yourAnswer: { vi: 'Câu trả lời của bạn', en: 'Your answer' },
  sendAnswer: { vi: 'Gửi trả lời', en: 'Send the answer' },
  answerSent: { vi: 'Đã gửi câu trả lời. Cảm ơn bạn!', en: 'Your answer was sent. Thank you!' },
  answeredOn: { vi: 'Bạn đã trả lời ngày {date}:', en: 'You answered on {date}:' },
  inspectionTitle: { vi: 'Lịch giám định', en: 'Inspection appointment' },
  inspectionWhen: { vi: 'Thời gian: {date}', en: 'When: {date}' },
  inspectionWhere: { vi: 'Địa điểm: {place}', en: 'Where: {place}' },
  confirmInspection: { vi: 'Xác nhận lịch hẹn', en: 'Confirm the appointment' },
  askOtherTime: { vi: 'Đề nghị thời gian khác', en: 'Ask for another time' },
  proposedDate: { vi: 'Ngày bạn đề nghị', en: 'Date you propose' },
  proposedTime: { vi: 'Giờ bạn đề nghị', en: 'Time you propose' },
  rescheduleComment: { vi: 'Ghi chú (không bắt buộc)', en: 'Comment (optional)' },
  sendProposal: { vi: 'Gửi đề nghị', en: 'Send the proposal' },
  inspectionConfirmed: { vi: 'Bạn đã xác nhận lịch hẹn này.', en: 'You confirmed this appointment.' },
  inspectionRescheduleAsked: {
    vi: 'Bạn đã đề nghị đổi sang {date}. Chúng tôi sẽ liên hệ lại.',
    en: 'You asked to move it to {date}. We will get back to you.',
  },
  mustBeFuture: { vi: 'Thời gian phải ở tương lai.', en: 'The time must be in the future.' },
  contactConfirmTitle: { vi: 'Xác nhận thông tin liên hệ', en: 'Confirm your contact details' },
  contactConfirmText: {
    vi: 'Hồ sơ này ghi liên hệ {email}, {phone}, khác với thông tin bạn đã đăng ký. Cho đến khi bạn xác nhận, thông báo được gửi tới {registered}.',
    en: 'This claim gives {email}, {phone} as contact, which differs from your registered details. Until you confirm, notices go to {registered}.',
  },
  contactConfirmButton: { vi: 'Đây là liên hệ của tôi', en: 'These are my contact details' },
  // ---- issue 10, the customer's own follow-up (h10): new texts, kept together to move as one ----
  appealTitle: { vi: 'Khiếu nại quyết định từ chối', en: 'Appeal the rejection' },
  appealIntro: {
    vi: 'Nếu bạn không đồng ý với quyết định, bạn có thể khiếu nại đến hết {date}. Hồ sơ sẽ được mở lại và bạn có thể gửi thêm tài liệu, chứng cứ.',
    en: 'If you disagree with the decision, you can appeal until {date}. Your claim is reopened and you can send further documents and evidence.',
  },
  appealReason: { vi: 'Lý do khiếu nại', en: 'Why you disagree' },
  appealReasonHint: {
    vi: 'Ít nhất 10 ký tự. Sau khi gửi, hãy tải lên tài liệu, chứng cứ mới ở mục Tải giấy tờ.',
    en: 'At least 10 characters. After sending, upload the new documents or evidence under Upload documents.',
  },
  appealSend: { vi: 'Gửi khiếu nại', en: 'Send the appeal' },
  appealStatus_open: { vi: 'Đang xem xét lại hồ sơ', en: 'Your claim is being reviewed again' },
  appealStatus_upheld: { vi: 'Giữ nguyên quyết định từ chối', en: 'The rejection was upheld' },
  appealStatus_overturned: { vi: 'Khiếu nại được chấp nhận', en: 'Your appeal succeeded' },
  appealOpenText: {
    vi: 'Chúng tôi sẽ trả lời bằng văn bản chậm nhất vào {date}. Bạn có thể tải lên tài liệu, chứng cứ bổ sung bên dưới.',
    en: 'We will answer in writing by {date} at the latest. You can upload further documents and evidence below.',
  },
  appealFiledOn: { vi: 'Đã gửi lúc {date}', en: 'Sent on {date}' },
  payoutAccountTitle: { vi: 'Tài khoản nhận tiền bồi thường', en: 'Account the claim is paid into' },
  payoutChange: { vi: 'Đổi tài khoản nhận tiền', en: 'Change the account' },
  payoutChangeIntro: {
    vi: 'Chúng tôi sẽ gửi một mã xác nhận tới email và số điện thoại bạn đã đăng ký. Tài khoản mới chỉ được dùng sau khi bạn nhập mã.',
    en: 'We will send a confirmation code to the email and phone number you registered. The new account is used only once you enter the code.',
  },
  payoutBank: { vi: 'Ngân hàng', en: 'Bank' },
  payoutNumber: { vi: 'Số tài khoản', en: 'Account number' },
  payoutHolder: { vi: 'Chủ tài khoản', en: 'Account holder' },
  payoutSendCode: { vi: 'Gửi mã xác nhận', en: 'Send me the code' },
  payoutHeld: {
    vi: 'Bạn đã yêu cầu chuyển tiền vào tài khoản {account}. Để bảo vệ bạn, chúng tôi tạm dừng chi trả cho đến khi bạn nhập mã xác nhận; nếu không phải bạn yêu cầu, hãy liên hệ chúng tôi ngay.',
    en: 'You asked us to pay into {account}. To protect you, we are holding the payment until you enter the confirmation code; if you did not ask for this, contact us straight away.',
  },
  payoutCodeSent: {
    vi: 'Mã 6 chữ số đã được gửi tới liên hệ bạn đăng ký, có hiệu lực đến {date}.',
    en: 'A 6-digit code was sent to your registered contact; it is valid until {date}.',
  },
  payoutCode: { vi: 'Mã xác nhận', en: 'Confirmation code' },
  payoutConfirm: { vi: 'Xác nhận tài khoản mới', en: 'Confirm the new account' },
  payoutChanged: {
    vi: 'Đã đổi tài khoản nhận tiền. Việc chi trả tiếp tục vào tài khoản mới.',
    en: 'The account has been changed. Payment goes ahead to the new account.',
  },
  threadTitle: { vi: 'Trao đổi với Bộ phận Bồi thường', en: 'Messages with the claims team' },
  threadEmpty: { vi: 'Chưa có tin nhắn nào.', en: 'No messages yet.' },
  threadFromCustomer: { vi: 'Khách hàng', en: 'Customer' },
  threadFromStaff: { vi: 'Bộ phận Bồi thường', en: 'Claims team' },
  threadOlder: { vi: 'Xem tin nhắn cũ hơn', en: 'Show older messages' },
  threadWrite: { vi: 'Tin nhắn', en: 'Message' },
  threadSend: { vi: 'Gửi tin nhắn', en: 'Send the message' },
  draftAutosaved: {
    vi: 'Nội dung bạn nhập được tự động lưu trên thiết bị này, kể cả khi mất mạng.',
    en: 'What you type is saved on this device as you go, even without a connection.',
  },
  draftSaved: { vi: 'Đã lưu bản nháp.', en: 'Draft saved.' },
  saveAsDraft: { vi: 'Lưu nháp, làm tiếp sau', en: 'Save as draft for later' },
  draftsTitle: { vi: 'Bản nháp trên thiết bị này', en: 'Drafts on this device' },
  draftUntitled: { vi: 'Báo tổn thất chưa gửi', en: 'Unsent loss report' },
  draftSavedAt: { vi: 'Lưu lúc {date}', en: 'Saved {date}' },
  draftContinue: { vi: 'Làm tiếp', en: 'Continue' },
  draftDelete: { vi: 'Xóa nháp', en: 'Delete draft' },
  // ---- end of issue 10 block ----
} satisfies Record<string, Entry>;

export type UiKey = keyof typeof UI;

export function ui(key: UiKey, locale: Locale, params?: Record<string, unknown>): string {
  return fill(UI[key][locale], params);
}

/** Who acted, as the customer timeline reports it: `system`, `customer`, or a staff role. */
export const ACTOR_TEXT: Record<string, Entry> = {
  system: { vi: 'Hệ thống', en: 'System' },
  customer: { vi: 'Bạn', en: 'You' },
  staff: { vi: 'Nhân viên bảo hiểm', en: 'Insurer staff' },
  adjuster: { vi: 'Giám định viên', en: 'Claims adjuster' },
  supervisor: { vi: 'Trưởng nhóm bồi thường', en: 'Claims supervisor' },
  underwriting: { vi: 'Phòng thẩm định', en: 'Underwriting' },
  legal: { vi: 'Phòng pháp chế', en: 'Legal' },
  finance: { vi: 'Phòng tài chính', en: 'Finance' },
  siu: { vi: 'Bộ phận chống trục lợi', en: 'Special investigations' },
  admin: { vi: 'Quản trị hệ thống', en: 'Administrator' },
};

export const NEXT_STEP_TEXT: Record<string, Entry> = {
  PROCESSING: {
    vi: 'Hệ thống đang kiểm tra thông tin bạn gửi. Việc này thường chỉ mất vài giây.',
    en: 'We are checking what you sent. This usually takes a few seconds.',
  },
  UNDER_REVIEW: {
    vi: 'Một cán bộ bồi thường sẽ xem xét hồ sơ và liên hệ với bạn.',
    en: 'A claims handler will review your claim and contact you.',
  },
  UPLOAD_DOCUMENTS: {
    vi: 'Vui lòng tải lên các giấy tờ còn thiếu để chúng tôi giám định.',
    en: 'Please upload the missing documents so we can assess the loss.',
  },
  ASSESSMENT: { vi: 'Chúng tôi đang giám định tổn thất.', en: 'We are assessing the loss.' },
  DECISION: { vi: 'Hồ sơ đang chờ quyết định bồi thường.', en: 'Your claim is waiting for a decision.' },
  PAYMENT: {
    vi: 'Tiền bồi thường đang được chuyển vào tài khoản của bạn.',
    en: 'The payout is on its way to your account.',
  },
  NONE: { vi: 'Bạn không cần làm gì thêm.', en: 'Nothing more is needed from you.' },
};

/**
 * The API's deadline `basis` is free English text from the product configuration; translate the
 * ones we ship and show any other as given.
 */
export const BASIS_TEXT: Record<string, Entry> = {
  'Service standard': { vi: 'Cam kết dịch vụ', en: 'Service standard' },
  'Law on Insurance Business 08/2022/QH15 Art. 31': {
    vi: 'Điều 31 Luật Kinh doanh bảo hiểm 08/2022/QH15',
    en: 'Law on Insurance Business 08/2022/QH15 Art. 31',
  },
  'Decree 67/2023/ND-CP Art. 12': {
    vi: 'Điều 12 Nghị định 67/2023/NĐ-CP',
    en: 'Decree 67/2023/ND-CP Art. 12',
  },
  'Decree 67/2023/ND-CP Art. 14': {
    vi: 'Điều 14 Nghị định 67/2023/NĐ-CP',
    en: 'Decree 67/2023/ND-CP Art. 14',
  },
};

/**
 * Reasons the upload verifier gives for rejecting a file. Most are error codes in the shared
 * catalogue; `TYPE_MISMATCH` and `NO_UPLOAD_INTENT` are verifier-only and live here.
 */
export const REJECTION_TEXT: Record<string, Entry> = {
  TYPE_MISMATCH: {
    vi: 'Nội dung tệp không đúng với loại tệp khai báo.',
    en: 'The file content does not match its declared type.',
  },
  NO_UPLOAD_INTENT: { vi: 'Tệp không gắn với yêu cầu tải lên nào.', en: 'The file was not expected.' },
  SIZE_MISMATCH: {
    vi: 'Kích thước tệp nhận được khác với kích thước đã khai báo; vui lòng tải lại.',
    en: 'The file that arrived is not the size declared; please upload it again.',
  },
  REPLAYED_UPLOAD: {
    vi: 'Tệp gửi lại bằng liên kết tải lên đã dùng; tệp đã xác minh được giữ nguyên.',
    en: 'A file sent again through a used upload link; the verified file is kept.',
  },
  EINVOICE_MALFORMED: { vi: 'Tệp XML không đọc được.', en: 'The XML file could not be read.' },
  EINVOICE_NOT_AN_INVOICE: {
    vi: 'Tệp XML không phải hóa đơn điện tử theo định dạng của cơ quan thuế.',
    en: 'The XML file is not an e-invoice in the tax authority’s format.',
  },
  EINVOICE_FIELD_MISSING: {
    vi: 'Hóa đơn điện tử thiếu thông tin bắt buộc.',
    en: 'The e-invoice lacks a required field.',
  },
  EINVOICE_FIELD_INVALID: {
    vi: 'Hóa đơn điện tử có thông tin không hợp lệ.',
    en: 'The e-invoice has an invalid field.',
  },
  EINVOICE_CURRENCY_NOT_VND: {
    vi: 'Hóa đơn không ghi bằng đồng Việt Nam.',
    en: 'The invoice is not in VND.',
  },
  EINVOICE_TOTALS_INCONSISTENT: {
    vi: 'Tổng tiền trên hóa đơn không khớp (tiền hàng + thuế).',
    en: 'The invoice totals do not add up.',
  },
  EINVOICE_TOO_MANY_LINES: { vi: 'Hóa đơn có quá nhiều dòng.', en: 'The invoice has too many lines.' },
  EINVOICE_TOO_LARGE: { vi: 'Tệp XML quá lớn.', en: 'The XML file is too large.' },
};

export const LINE_TEXT: Record<string, Entry> = {
  motor: { vi: 'Xe cơ giới', en: 'Motor' },
  property: { vi: 'Tài sản', en: 'Property' },
  health: { vi: 'Sức khỏe', en: 'Health' },
  travel: { vi: 'Du lịch', en: 'Travel' },
};

export const SEVERITY_BAND_TEXT: Record<string, Entry> = {
  low: { vi: 'thấp', en: 'low' },
  medium: { vi: 'trung bình', en: 'medium' },
  high: { vi: 'cao', en: 'high' },
  large_loss: { vi: 'tổn thất lớn', en: 'large loss' },
};

/** Looks a code up in a loose table, falling back to the code itself (never a blank). */
export function lookup(table: Record<string, Entry>, key: string, locale: Locale): string {
  return table[key]?.[locale] ?? key;
}
