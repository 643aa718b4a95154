import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

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
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'content-length': info.size,
      // Like the deployment: the page and the service worker are revalidated on every load.
      'cache-control': /(index\.html|sw\.js)$/.test(file) ? 'no-cache' : 'public, max-age=300',
      ...security,
    });
    createReadStream(file).pipe(res);
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
