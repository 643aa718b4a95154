import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { constants, createBrotliCompress, createGzip } from 'node:zlib';
import { ASSETS_DIR, IMMUTABLE_CACHE_CONTROL, REVALIDATE_CACHE_CONTROL } from '../web/hosting.ts';

/**
 * Serves the static web builds (web/dist/<app>/) the way S3 + CloudFront does on AWS, plus each
 * app's runtime config.json (on AWS, BucketDeployment writes the same file).
 */
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
};

/** The types CloudFront compresses (text, JSON, JS, SVG). */
function compressible(type: string): boolean {
  return /^(text\/|application\/(json|manifest\+json)|image\/svg)/.test(type);
}

/** Brotli when the browser takes it, else gzip, as CloudFront chooses. */
function chooseEncoding(accept: string | string[] | undefined): 'br' | 'gzip' | undefined {
  const list = String(accept ?? '')
    .split(',')
    .map((x) => x.trim().split(';')[0]);
  if (list.includes('br')) return 'br';
  if (list.includes('gzip')) return 'gzip';
  return undefined;
}

export async function startWebServer(opts: {
  port: number;
  distDir: string;
  configFor: (app: string) => Record<string, unknown>;
}): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    const security = {
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'strict-origin-when-cross-origin',
      'x-frame-options': 'DENY',
    };
    if (url.pathname === '/' || url.pathname === '') {
      res.writeHead(302, { location: '/customer/', ...security });
      res.end();
      return;
    }
    const [, app = '', ...rest] = url.pathname.split('/');
    if (!/^[a-z0-9-]+$/.test(app)) {
      res.writeHead(404, security).end('Not found');
      return;
    }
    if (rest.join('/') === 'config.json') {
      res.writeHead(200, { 'content-type': TYPES['.json']!, 'cache-control': 'no-store', ...security });
      res.end(JSON.stringify(opts.configFor(app)));
      return;
    }
    const appDir = path.join(opts.distDir, app);
    let file = path.normalize(path.join(appDir, ...rest.map(decodeURIComponent)));
    if (!file.startsWith(appDir)) {
      res.writeHead(403, security).end('Forbidden');
      return;
    }
    let info = await stat(file).catch(() => undefined);
    if (!info || info.isDirectory()) {
      // Single-page apps: unknown paths get index.html, as CloudFront's error rewrite does.
      file = path.join(appDir, 'index.html');
      info = await stat(file).catch(() => undefined);
    }
    if (!info) {
      res
        .writeHead(404, { 'content-type': 'text/plain; charset=utf-8', ...security })
        .end(`No build for ${app}: run npm run build:web`);
      return;
    }
    const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
    const headers = {
      'content-type': type,
      // As the deployment sets it: hashed bundles kept for a year, everything else revalidated.
      'cache-control': file.startsWith(path.join(appDir, ASSETS_DIR) + path.sep)
        ? IMMUTABLE_CACHE_CONTROL
        : REVALIDATE_CACHE_CONTROL,
      vary: 'accept-encoding',
      ...security,
    };
    const encoding = compressible(type) ? chooseEncoding(req.headers['accept-encoding']) : undefined;
    if (!encoding) {
      res.writeHead(200, { ...headers, 'content-length': info.size });
      createReadStream(file).pipe(res);
      return;
    }
    // CloudFront compresses text assets (`compress: true` in lib/web-hosting-stack.ts); so do we.
    res.writeHead(200, { ...headers, 'content-encoding': encoding });
    const encoder =
      encoding === 'br'
        ? createBrotliCompress({ params: { [constants.BROTLI_PARAM_QUALITY]: 5 } })
        : createGzip();
    await pipeline(createReadStream(file), encoder, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(opts.port, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
