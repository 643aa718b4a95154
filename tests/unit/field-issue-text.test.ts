import { describe, expect, it } from 'vitest';
import { SubmitClaimRequest } from '../../lambdas/core/claim.ts';
import { zodFieldIssues } from '../../lambdas/core/field-issues.ts';
import { fieldIssueText } from '../../lambdas/core/field-text.ts';
import { format, LOCALES } from '../../lambdas/core/i18n.ts';
import { DecisionBody, RecordAssessmentBody, StaffClaimBody } from '../../lambdas/core/staff-schemas.ts';
import { leafViolations } from '../helpers/schema-violations.ts';

/** The old one-size-fits-all texts ("Quá ngắn hoặc quá nhỏ"): a field error must never be one. */
const GENERIC = new Set(
  LOCALES.flatMap((l) =>
    [
      'too_small',
      'too_big',
      'invalid_value',
      'invalid_format',
      'required',
      'not_integer',
      'phone',
      'plate',
    ].map((c) => format(l, `field.${c}`)),
  ),
);

const SCHEMAS = {
  fnol: SubmitClaimRequest,
  phone: StaffClaimBody,
  assessment: RecordAssessmentBody,
  decision: DecisionBody,
};

describe('field errors name the field and its own rule', () => {
  for (const [name, schema] of Object.entries(SCHEMAS)) {
    it(`every field of the ${name} schema, in both languages`, () => {
      const issues = leafViolations(schema);
      expect(issues.length).toBeGreaterThan(5);
      const bad: string[] = [];
      for (const issue of issues)
        for (const locale of LOCALES) {
          const text = fieldIssueText(issue, locale);
          if (GENERIC.has(text) || /\{|\}|field\.|label\./.test(text) || text === '')
            bad.push(`${locale} ${issue.path} ${issue.rule ?? issue.code}: ${text}`);
        }
      expect(bad).toEqual([]);
    });
  }

  it('says what is wrong, with the limit, the way each language says it', () => {
    const short = SubmitClaimRequest.safeParse({ description: 'ngắn' }, { reportInput: true });
    const issue = zodFieldIssues(short.error!).find((i) => i.path === 'description');
    expect(issue?.rule).toBe('min_length');
    expect(fieldIssueText(issue!, 'vi')).toBe('Mô tả cần ít nhất 10 ký tự');
    expect(fieldIssueText(issue!, 'en')).toBe('Description needs at least 10 characters');
    expect(fieldIssueText({ path: 'lossAt', code: 'too_big', rule: 'not_future' }, 'vi')).toBe(
      'Ngày tổn thất không thể ở tương lai',
    );
    const item = RecordAssessmentBody.safeParse(
      { items: [{}, { assessedAmount: -5 }] },
      { reportInput: true },
    );
    const amount = zodFieldIssues(item.error!).find((i) => i.path === 'items.1.assessedAmount');
    expect(fieldIssueText(amount!, 'vi')).toBe('Số tiền giám định của hạng mục 2 phải từ 0 trở lên');
  });
});
