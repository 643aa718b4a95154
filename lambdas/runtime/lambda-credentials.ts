import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * The AWS credentials of a function, in its Lambda bundle. Every SDK client imports its default
 * chain from `@aws-sdk/credential-provider-node`, and lib/bundling.ts (`LAMBDA_BUNDLE.alias`) points
 * that import here, for the bundles only.
 *
 * Lambda gives each function its role's credentials as environment variables
 * (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), and the SDK's own chain takes them
 * from there, its first link. The rest of that chain (SSO, the shared config files, credential
 * processes, web identity, the container and EC2 metadata endpoints) never runs in a function but
 * was bundled into every one: about 130 KB, the STS/SSO clients among it, 40 % of a bundle that
 * does one GetItem (measured: that floor goes from 323 to 191 KB and imports in 42 ms instead of
 * 55). So a bundle reads the environment only, with the SDK's own provider, and a bundle run
 * where those variables are missing fails with the SDK's "Unable to find environment variable
 * credentials" instead of looking further.
 *
 * Everything else keeps the full chain: the local stack and the tests run the handlers from source,
 * and the scripts (`npm run backfill` against AWS) take the operator's profile or SSO session.
 */
export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]) => fromEnv(init);
