// The library itself, by path (`linkify-it` is aliased to this file in the bundles). It ships no
// types; an instance is used here only as a set of methods.
// @ts-expect-error no declaration file
import LinkifyIt from '../../node_modules/linkify-it/index.mjs';

/**
 * linkify-it for the mail functions' bundles, built when first asked to find a link rather than when
 * imported. lib/bundling.ts (`LAMBDA_BUNDLE.alias`) points `linkify-it` here, for the bundles only.
 *
 * mailparser configures one linkify instance when it is imported: the full list of ~1,500
 * top-level domains, `.onion`, `git:`, a Twitter handle rule. Each of those calls recompiles the
 * instance's regular expressions, which took about 15 ms of every mail function's cold start. It
 * uses the instance only to turn links in plain-text mail into HTML links, which our intake skips
 * (`skipTextLinks`). So the configuration calls are recorded, and the instance is built and
 * configured, in the same order, on the first call that reads text; after that every call goes
 * straight to it. With links turned on the results are the library's own
 * (tests/unit/lazy-linkify.test.ts compares them).
 */
const CONFIGURE = ['add', 'set', 'tlds'] as const;
const READ = ['test', 'pretest', 'testSchemaAt', 'match', 'matchAtStart', 'normalize', 'onCompile'] as const;
type Method = (...args: unknown[]) => unknown;
type Linkify = Record<(typeof CONFIGURE)[number] | (typeof READ)[number], Method>;

export default function lazyLinkify(...init: unknown[]): Linkify {
  let real: Linkify | undefined;
  const recorded: [(typeof CONFIGURE)[number], unknown[]][] = [];
  const instance = (): Linkify => {
    if (!real) {
      real = new LinkifyIt(...init) as Linkify;
      for (const [method, args] of recorded) real[method](...args);
      recorded.length = 0;
    }
    return real;
  };
  const lazy = {} as Linkify;
  for (const method of CONFIGURE) {
    lazy[method] = (...args) => {
      if (real) real[method](...args);
      else recorded.push([method, args]);
      return lazy;
    };
  }
  for (const method of READ) lazy[method] = (...args) => instance()[method](...args);
  return lazy;
}
