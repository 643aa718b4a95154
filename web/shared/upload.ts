import { RequestUploadBody } from '../../lambdas/core/requests.ts';
import type { AllowedContentType } from '../../lambdas/core/dossier.ts';
import { UPLOAD_LIMITS } from '../../lambdas/core/dossier.ts';
import type { DocumentType } from '../../lambdas/core/products.ts';

/**
 * Client-side checks before asking for an upload URL, using the API's own limits and body schema.
 * The server checks again (and sniffs the real bytes); this only saves people a wasted upload.
 */
const BY_EXTENSION: Record<string, AllowedContentType> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  heic: 'image/heic',
  heif: 'image/heif',
  pdf: 'application/pdf',
  // E-invoices (Decree 123/2020): the tax authority's XML, accepted for invoices and receipts.
  xml: 'application/xml',
};

/** Phones often give HEIC photos no MIME type; fall back to the extension. */
export function contentTypeOf(file: { name: string; type: string }): AllowedContentType | undefined {
  const allowed = UPLOAD_LIMITS.contentTypes as readonly string[];
  if (file.type && allowed.includes(file.type)) return file.type as AllowedContentType;
  if (file.type && file.type !== 'application/octet-stream') return undefined;
  const ext = file.name.split('.').pop()?.toLowerCase() ?? '';
  return BY_EXTENSION[ext];
}

/** A file name the API accepts: no path separators or control characters, at most 200 characters. */
export function safeFileName(name: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what we strip
  const cleaned = name.replace(/[/\\\u0000-\u001f]/g, '_').trim() || 'document';
  if (cleaned.length <= 200) return cleaned;
  const dot = cleaned.lastIndexOf('.');
  const ext = dot > 0 && cleaned.length - dot <= 10 ? cleaned.slice(dot) : '';
  return cleaned.slice(0, 200 - ext.length) + ext;
}

export type UploadCheck =
  | { ok: true; body: RequestUploadBody }
  | { ok: false; code: 'FILE_TYPE_NOT_ALLOWED' | 'FILE_TOO_LARGE' | 'FILE_EMPTY' | 'VALIDATION_FAILED' };

export function checkUpload(
  file: { name: string; type: string; size: number },
  docType: DocumentType,
  /** The invoice/receipt total the customer read off the document (invoice types only). */
  declaredAmount?: number,
): UploadCheck {
  const contentType = contentTypeOf(file);
  if (!contentType) return { ok: false, code: 'FILE_TYPE_NOT_ALLOWED' };
  if (file.size === 0) return { ok: false, code: 'FILE_EMPTY' };
  if (file.size > UPLOAD_LIMITS.maxBytes) return { ok: false, code: 'FILE_TOO_LARGE' };
  const parsed = RequestUploadBody.safeParse({
    docType,
    fileName: safeFileName(file.name),
    contentType,
    size: file.size,
    ...(declaredAmount !== undefined ? { declaredAmount } : {}),
  });
  return parsed.success ? { ok: true, body: parsed.data } : { ok: false, code: 'VALIDATION_FAILED' };
}

/** What the file picker offers. */
export const ACCEPT = 'image/*,application/pdf,.heic,.heif';
/** What the picker offers for invoices and receipts: the e-invoice XML too. */
export const ACCEPT_INVOICE = `${ACCEPT},.xml,application/xml,text/xml`;
