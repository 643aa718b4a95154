import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

/**
 * zod's English issue messages ("Too small: expected string to have >=3 characters"), which the API
 * answers with beside each field's code (core/field-issues.ts) and policy-import rows and logs carry.
 * Classic zod loads them on import; `zod/mini`, which the Lambdas use so zod tree-shakes (README
 * "Performance"), leaves every message "Invalid input" until a locale is configured, and
 * core/field-issues.ts reads a value missing without `reportInput` from the English one. Imported for
 * its effect by http/body.ts, the server's door to `zodFieldIssues` that the HTTP and task wrappers
 * import, so every function configures it once at cold start; the web apps do not (they parse with
 * `reportInput` and show `fieldIssueText` by code, so they keep the bytes).
 */
z.config(en());
