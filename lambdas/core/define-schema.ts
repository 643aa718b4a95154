/**
 * Builds a schema constant so that a bundle in which nothing reads it leaves it out:
 * `export const X = <the @__PURE__ mark> defineSchema(() => z.strictObject({ … }))`.
 *
 * esbuild keeps every call at a module's top level that it cannot prove pure, and it does not carry
 * zod's own no-side-effects marks across modules, so each module built every schema it exports in
 * every function that imported it for anything (measured: an unused `z.object(…)` stays whole). A
 * call marked pure whose only argument is a function has nothing left to keep when its result is
 * unused; when the result is used, the schema is built at import exactly as before.
 */
export const defineSchema = <T>(build: () => T): T => build();
