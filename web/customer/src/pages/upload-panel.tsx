import { useEffect, useRef, useState } from 'preact/hooks';
import { DOCUMENT_TEXT, t } from '../../../../lambdas/core/messages.ts';
import { AMOUNT_DOCUMENT_TYPES, type DocumentType } from '../../../../lambdas/core/product-codes.ts';
import { type ApiClient, isApiError, uploadToPresignedPost } from '../../../shared/api.ts';
import { fieldId, SelectField, TextField } from '../../../shared/components.tsx';
import { errorCodeText } from '../../../shared/errors.ts';
import { formatAmountInput, formatBytes, parseAmount } from '../../../shared/format.ts';
import { lookup, REJECTION_TEXT } from '../../../shared/i18n.ts';
import { useLocale } from '../../../shared/locale.tsx';
import type { ClaimView, ProductItem, UploadTicket } from '../../../shared/types.ts';
import { ACCEPT, ACCEPT_INVOICE, checkUpload } from '../../../shared/upload.ts';

type JobState = 'uploading' | 'verifying' | 'received' | 'rejected' | 'slow' | 'failed';

interface Job {
  id: number;
  name: string;
  size: number;
  docType: DocumentType;
  state: JobState;
  /** 0–100. */
  progress: number;
  /** Error code or rejection reason. */
  reason?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Pick a document type, choose files (or take a photo), and watch each upload: presigned POST with a
 * progress bar, then a few polls until the server has verified the bytes and the document shows up.
 */
export function UploadPanel(props: {
  api: ApiClient;
  claim: ClaimView;
  product: ProductItem | undefined;
  /** Reloads the claim and returns the fresh view. */
  reload: () => Promise<ClaimView | null>;
  /** Set by the missing-documents list: preselect this type and open the picker. */
  request?: { docType: DocumentType; n: number } | null;
}) {
  const { api, claim, product, reload, request } = props;
  const { locale, tr } = useLocale();
  const types: DocumentType[] = [
    ...new Set<DocumentType>([...(product?.documentChecklist.map((d) => d.type) ?? []), 'other']),
  ];
  const [docType, setDocType] = useState<DocumentType>(claim.missingDocuments[0] ?? types[0] ?? 'other');
  const [jobs, setJobs] = useState<Job[]>([]);
  // Invoices and receipts: the customer declares the total they read on it (what straight-through
  // may pay on, never above their estimate); the e-invoice XML, when uploaded, speaks for itself.
  const [amountText, setAmountText] = useState('');
  const isInvoice = (AMOUNT_DOCUMENT_TYPES as readonly string[]).includes(docType);
  const nextId = useRef(1);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!request) return;
    setDocType(request.docType);
    fileInput.current?.click();
  }, [request]);

  const update = (id: number, patch: Partial<Job>) =>
    setJobs((js) => js.map((j) => (j.id === id ? { ...j, ...patch } : j)));

  async function uploadOne(file: File, type: DocumentType) {
    const id = nextId.current++;
    setJobs((js) => [
      { id, name: file.name, size: file.size, docType: type, state: 'uploading', progress: 0 },
      ...js,
    ]);
    const xml = /\.xml$/i.test(file.name) || file.type.endsWith('/xml');
    const declared = isInvoice && !xml ? parseAmount(amountText) : undefined;
    const check = checkUpload(file, type, declared);
    if (!check.ok) {
      update(id, { state: 'failed', reason: check.code });
      return;
    }
    try {
      const ticket = await api.post<UploadTicket>(
        `/claims/${encodeURIComponent(claim.claimId)}/documents`,
        check.body,
      );
      await uploadToPresignedPost(ticket.upload, file, check.body.fileName, (f) =>
        update(id, { progress: Math.round(f * 100) }),
      );
      update(id, { state: 'verifying', progress: 100 });
      // The verifier runs when the object lands; locally that is well under a second.
      for (let i = 0; i < 12; i++) {
        await sleep(i < 4 ? 500 : 1500);
        const view = await reload();
        const doc = view?.documents.find((d) => d.documentId === ticket.documentId);
        if (doc && doc.status !== 'PENDING_UPLOAD') {
          update(
            id,
            doc.status === 'VERIFIED'
              ? { state: 'received' }
              : { state: 'rejected', reason: doc.rejectionReason },
          );
          return;
        }
      }
      update(id, { state: 'slow' });
    } catch (err) {
      update(id, { state: 'failed', reason: isApiError(err) ? err.code : 'INTERNAL' });
    }
  }

  async function onFiles(list: FileList | null, input: HTMLInputElement) {
    const files = list ? Array.from(list) : [];
    input.value = '';
    for (const f of files) await uploadOne(f, docType);
  }

  const reasonText = (code: string | undefined) =>
    code && code in REJECTION_TEXT
      ? lookup(REJECTION_TEXT, code, locale)
      : errorCodeText(code ?? 'INTERNAL', locale);

  const message = (j: Job): string => {
    switch (j.state) {
      case 'uploading':
        return tr('uploading', { name: j.name });
      case 'verifying':
        return tr('verifying');
      case 'received':
        return tr('uploadReceived', { name: j.name });
      case 'rejected':
        return tr('uploadRejected', { name: j.name, reason: reasonText(j.reason) });
      case 'slow':
        return tr('uploadStillChecking', { name: j.name });
      default:
        return tr('uploadFailed', { name: j.name, reason: reasonText(j.reason) });
    }
  };

  return (
    <div class="upload-panel">
      <SelectField
        path="docType"
        label={tr('docType')}
        value={docType}
        options={types.map((d) => ({ value: d, label: t(DOCUMENT_TEXT, d, locale) }))}
        onValue={(v) => setDocType(v as DocumentType)}
      />
      {isInvoice ? (
        <TextField
          path="declaredAmount"
          label={tr('invoiceAmount')}
          hint={tr('invoiceAmountHint')}
          inputMode="numeric"
          value={amountText}
          onValue={(v) => setAmountText(formatAmountInput(v, locale))}
        />
      ) : null}
      <p class="hint" id="upload-hint">
        {tr('fileHint')}
      </p>
      <div class="upload-buttons">
        <input
          ref={fileInput}
          id="upload-file"
          class="visually-hidden"
          type="file"
          multiple
          accept={isInvoice ? ACCEPT_INVOICE : ACCEPT}
          aria-describedby="upload-hint"
          onChange={(e) => void onFiles(e.currentTarget.files, e.currentTarget)}
        />
        <label for="upload-file" class="btn btn-primary">
          {tr('chooseFile')}
        </label>
        <input
          id="upload-camera"
          class="visually-hidden camera-only"
          type="file"
          accept="image/*"
          capture="environment"
          aria-describedby="upload-hint"
          onChange={(e) => void onFiles(e.currentTarget.files, e.currentTarget)}
        />
        <label for="upload-camera" class="btn btn-secondary camera-only">
          {tr('takePhoto')}
        </label>
      </div>
      {jobs.length > 0 ? (
        <ul class="upload-jobs" aria-label={tr('uploadTitle')}>
          {jobs.map((j) => (
            <li key={j.id} class={`upload-job is-${j.state}`} data-state={j.state}>
              <div class="upload-job-head">
                <span class="upload-job-name">{j.name}</span>
                <span class="upload-job-meta">
                  {t(DOCUMENT_TEXT, j.docType, locale)} · {formatBytes(j.size, locale)}
                </span>
              </div>
              {j.state !== 'failed' ? (
                <div class="progress-row">
                  <progress
                    id={fieldId(`upload-${j.id}`)}
                    max={100}
                    value={j.progress}
                    aria-label={tr('uploadProgress', { name: j.name })}
                  />
                  <span class="progress-pct" aria-hidden="true">
                    {j.progress}%
                  </span>
                </div>
              ) : null}
              <p
                class="upload-job-msg"
                role={j.state === 'failed' || j.state === 'rejected' ? 'alert' : 'status'}
              >
                {message(j)}
              </p>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
