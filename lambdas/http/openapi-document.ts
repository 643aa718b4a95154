import { buildOpenApi } from './openapi.ts';

/**
 * The API's OpenAPI document, imported as `#openapi` (package.json "imports"): built here from the
 * route table and the zod schemas under tsx and vitest; in a Lambda bundle the same document written
 * as JSON by lib/lambda-inputs.ts. The document is the same on every request, so the OpenApi
 * function serves it without carrying the route table, every request schema and zod's JSON Schema
 * conversion, or building the document at each cold start.
 */
export default buildOpenApi();
