import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presignDownload } from '../../lambdas/adapters/documents-store.ts';

/**
 * The download link is signed in this process (no request is sent): what S3 will answer with is in
 * the link's signed query, so it is read from there.
 */
const ENV = {
  DOCUMENTS_BUCKET: 'claims-documents-test',
  AWS_REGION: 'ap-southeast-1',
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
const before: Record<string, string | undefined> = {};
beforeAll(() => {
  for (const [k, v] of Object.entries(ENV)) {
    before[k] = process.env[k];
    process.env[k] = v;
  }
});
afterAll(() => {
  for (const [k, v] of Object.entries(before)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe('a document download link', () => {
  it('tells browsers and proxies not to keep the file (medical reports, ID cards)', async () => {
    for (const type of ['application/pdf', 'application/xml']) {
      const url = new URL(await presignDownload('claims/c-1/d-1', 'giay-ra-vien.pdf', type));
      expect(url.searchParams.get('response-cache-control')).toBe('private, no-store');
    }
  });
});
