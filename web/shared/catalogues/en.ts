/**
 * The app's messages in this language when its build defers them (web/catalogue-plugin.ts,
 * `DEFERRED_LOCALES`): the build fills this module in, and `loadLocale` (web/shared/i18n.ts) imports
 * it dynamically, so it is a chunk of its own that only a person reading this language downloads.
 * Outside such a build (tests, tools, the console) the catalogue JSON is imported whole, hence empty.
 */
const messages: Record<string, unknown> = {};
export default messages;
