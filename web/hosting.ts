/**
 * How the built web apps are served, shared by the CDK deployment (lib/stateless-stack.ts) and the
 * local web server (local/web-server.ts), so both cache the same files the same way.
 */

/** The build writes content-hashed bundles here, under each app's directory. */
export const ASSETS_DIR = 'assets';

/** S3 key pattern (BucketDeployment include/exclude) of the content-hashed bundles. */
export const HASHED_WEB_ASSETS = `*/${ASSETS_DIR}/*`;

/** A file whose name changes with its content can be kept by browsers for a year. */
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';

/** Everything else (index.html, config.json, the service worker, the manifest) is revalidated. */
export const REVALIDATE_CACHE_CONTROL = 'no-cache';
