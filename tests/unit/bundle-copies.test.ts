import { describe, expect, it } from 'vitest';
import { duplicatePackages, PINNED_FAMILIES, packagesOf } from '../bench/bundles.ts';

/**
 * The duplicate-package check of `npm run check:bundles`: a bundle carrying two copies of one
 * package within a major version, found from esbuild's metafile (what each output byte came from).
 */
const VERSIONS: Record<string, string> = {
  'node_modules/@aws-sdk/client-s3': '3.1175.0',
  'node_modules/@aws-sdk/s3-presigned-post/node_modules/@aws-sdk/client-s3': '3.1164.0',
  'node_modules/@aws-sdk/s3-presigned-post': '3.1164.0',
  'node_modules/entities': '4.5.0',
  'node_modules/htmlparser2/node_modules/entities': '7.0.1',
  'node_modules/readable-stream': '3.6.2',
  'node_modules/jszip/node_modules/readable-stream': '2.3.8',
  'node_modules/unzipper/node_modules/readable-stream': '2.3.8',
};
const versionAt = (root: string) => VERSIONS[root] ?? '1.0.0';
const bytes = (n: number) => ({ bytesInOutput: n });

describe('duplicate packages in a bundle', () => {
  it('finds a nested second copy of a pinned sibling, with both versions', () => {
    const packages = packagesOf(
      {
        'node_modules/@aws-sdk/client-s3/dist-es/S3Client.js': bytes(900),
        'node_modules/@aws-sdk/client-s3/dist-es/schemas/schemas_0.js': bytes(60_000),
        'node_modules/@aws-sdk/s3-presigned-post/dist-es/createPresignedPost.js': bytes(1_100),
        'node_modules/@aws-sdk/s3-presigned-post/node_modules/@aws-sdk/client-s3/dist-es/schemas/schemas_0.js':
          bytes(68_000),
        'lambdas/adapters/documents-store.ts': bytes(2_000),
      },
      versionAt,
    );
    expect([...(packages.get('@aws-sdk/client-s3')?.keys() ?? [])]).toHaveLength(2);
    expect(duplicatePackages({ packages }, PINNED_FAMILIES)).toEqual([
      '@aws-sdk/client-s3: node_modules/@aws-sdk/client-s3@3.1175.0, node_modules/@aws-sdk/s3-presigned-post/node_modules/@aws-sdk/client-s3@3.1164.0',
    ]);
  });

  it('ignores a copy esbuild left nothing of, and copies of different major versions', () => {
    const packages = packagesOf(
      {
        'node_modules/@aws-sdk/client-s3/dist-es/S3Client.js': bytes(900),
        'node_modules/@aws-sdk/s3-presigned-post/node_modules/@aws-sdk/client-s3/dist-es/index.js': bytes(0),
        'node_modules/entities/lib/esm/encode.js': bytes(3_000),
        'node_modules/htmlparser2/node_modules/entities/dist/esm/decode.js': bytes(9_000),
      },
      versionAt,
    );
    expect(duplicatePackages({ packages })).toEqual([]);
  });

  it('reports copies outside the pinned families, which the check does not fail on', () => {
    const packages = packagesOf(
      {
        'node_modules/readable-stream/lib/_stream_readable.js': bytes(5_000),
        'node_modules/jszip/node_modules/readable-stream/lib/_stream_readable.js': bytes(5_000),
        'node_modules/unzipper/node_modules/readable-stream/lib/_stream_readable.js': bytes(5_000),
      },
      versionAt,
    );
    expect(duplicatePackages({ packages })).toEqual([
      'readable-stream: node_modules/jszip/node_modules/readable-stream@2.3.8, node_modules/unzipper/node_modules/readable-stream@2.3.8',
    ]);
    expect(duplicatePackages({ packages }, PINNED_FAMILIES)).toEqual([]);
  });
});
