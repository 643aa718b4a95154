import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { ASSETS_DIR } from './hosting.ts';
import { cataloguePlugin } from './catalogue-plugin.ts';

/**
 * Builds every web app: each folder `web/<app>/` holding `index.html` and `src/main.tsx` becomes
 * a static site in `web/dist/<app>/` — one minified ES2020 bundle and one stylesheet, both with
 * content hashes in their names (so the HTML is the only file a CDN must not cache), plus source
 * maps. `config.json` is deliberately not produced: whoever serves the files (the local stack, or
 * the deployment) provides it, so one build runs against any environment.
 *
 *   npx tsx web/build.ts            # all apps
 *   npx tsx web/build.ts customer   # just one
 */
const WEB_DIR = path.dirname(fileURLToPath(import.meta.url));
export const DIST_DIR = path.join(WEB_DIR, 'dist');
/** Left in place when an app's output folder is cleaned, in case a deployment put it there. */
const KEEP = new Set(['config.json']);

export async function discoverApps(): Promise<string[]> {
  const entries = await readdir(WEB_DIR, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory() && e.name !== 'dist' && e.name !== 'shared')
    .map((e) => e.name)
    .filter(
      (name) =>
        existsSync(path.join(WEB_DIR, name, 'index.html')) &&
        existsSync(path.join(WEB_DIR, name, 'src', 'main.tsx')),
    )
    .sort();
}

export interface BuiltApp {
  app: string;
  outDir: string;
  js: string;
  css?: string;
  bytes: number;
  /** Every JavaScript file written (relative to `outDir`) and what it imports, statically or on demand. */
  scripts: { file: string; imports: { file: string; dynamic: boolean }[] }[];
}

async function cleanOutDir(outDir: string): Promise<void> {
  await mkdir(outDir, { recursive: true });
  for (const name of await readdir(outDir)) {
    if (!KEEP.has(name)) await rm(path.join(outDir, name), { recursive: true, force: true });
  }
}

export async function buildApp(app: string): Promise<BuiltApp> {
  const srcDir = path.join(WEB_DIR, app);
  const outDir = path.join(DIST_DIR, app);
  await cleanOutDir(outDir);

  const stylesheet = path.join(srcDir, 'styles.css');
  const entryPoints: Record<string, string> = { main: path.join(srcDir, 'src', 'main.tsx') };
  if (existsSync(stylesheet)) entryPoints.styles = stylesheet;

  const result = await build({
    entryPoints,
    outdir: path.join(outDir, ASSETS_DIR),
    entryNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    chunkNames: 'chunks/[name]-[hash]',
    // Code loaded on demand (a language the bundle leaves out, web/catalogue-plugin.ts) is a chunk.
    splitting: true,
    // Vietnamese as it is rather than \u-escaped (6 bytes a letter): module scripts are UTF-8 always.
    charset: 'utf8',
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: true,
    sourcemap: 'linked',
    legalComments: 'linked',
    metafile: true,
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
    loader: { '.svg': 'file', '.png': 'file', '.woff2': 'file' },
    plugins: [cataloguePlugin(app)],
  });
  if (result.warnings.length > 0) {
    throw new Error(
      `${app}: esbuild warnings are errors here (see above): ${result.warnings[0]?.text ?? ''}`,
    );
  }

  const outputs = Object.entries(result.metafile.outputs);
  const outputFor = (entry: string) => {
    const rel = path.relative(process.cwd(), entry).split(path.sep).join('/');
    const hit = outputs.find(([file, o]) => o.entryPoint === rel && !file.endsWith('.map'));
    return hit ? path.relative(outDir, path.resolve(hit[0])).split(path.sep).join('/') : undefined;
  };
  const js = outputFor(entryPoints.main ?? '');
  if (!js) throw new Error(`${app}: esbuild produced no bundle for src/main.tsx`);
  const css = entryPoints.styles ? outputFor(entryPoints.styles) : undefined;

  // index.html references the sources (./styles.css, ./src/main.tsx); point it at the hashed files.
  let html = await readFile(path.join(srcDir, 'index.html'), 'utf8');
  html = html.replace(/src="\.\/src\/main\.tsx"/, `src="./${js}"`);
  if (css) html = html.replace(/href="\.\/styles\.css"/, `href="./${css}"`);
  if (!html.includes(js)) throw new Error(`${app}/index.html must load ./src/main.tsx`);
  await writeFile(path.join(outDir, 'index.html'), html);

  // Static files that need no processing (icons, robots.txt) go across as they are.
  const publicDir = path.join(srcDir, 'public');
  if (existsSync(publicDir)) await cp(publicDir, outDir, { recursive: true });

  // Every chunk is precached too: a language switched to offline still has its messages.
  const chunks = outputs
    .map(([file]) => path.relative(outDir, path.resolve(file)).split(path.sep).join('/'))
    .filter((f) => f.startsWith(`${ASSETS_DIR}/chunks/`) && f.endsWith('.js'));
  if (existsSync(path.join(publicDir, 'manifest.webmanifest')))
    await buildServiceWorker(outDir, [js, css, ...chunks]);

  const bytes = outputs.filter(([f]) => !f.endsWith('.map')).reduce((n, [, o]) => n + o.bytes, 0);
  const rel = (f: string) => path.relative(outDir, path.resolve(f)).split(path.sep).join('/');
  const scripts = outputs
    .filter(([f]) => f.endsWith('.js'))
    .map(([f, o]) => ({
      file: rel(f),
      imports: o.imports
        .filter((i) => !i.external)
        .map((i) => ({ file: rel(i.path), dynamic: i.kind === 'dynamic-import' })),
    }));
  return { app, outDir, js, css, bytes, scripts };
}

/** Files under `dir` (relative, `/`-separated), skipping source maps and licence notes. */
async function filesUnder(dir: string, prefix = ''): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const rel = `${prefix}${e.name}`;
    if (e.isDirectory()) out.push(...(await filesUnder(path.join(dir, e.name), `${rel}/`)));
    else if (!/\.(map|LEGAL\.txt)$/.test(e.name)) out.push(rel);
  }
  return out;
}

/**
 * An installable app (one that ships `public/manifest.webmanifest`) gets `sw.js` at its root:
 * web/shared/service-worker.ts with the app shell to precache and a version that changes with the
 * hashed bundle names, so a new build replaces the old cache.
 */
async function buildServiceWorker(outDir: string, hashed: (string | undefined)[]): Promise<void> {
  const shell = [
    './',
    'config.json',
    ...hashed.filter((f): f is string => Boolean(f)),
    ...(await filesUnder(path.join(outDir, 'icons'), 'icons/')),
    'manifest.webmanifest',
  ];
  const version = createHash('sha256').update(shell.join('\n')).digest('hex').slice(0, 12);
  const result = await build({
    entryPoints: [path.join(WEB_DIR, 'shared', 'service-worker.ts')],
    outfile: path.join(outDir, 'sw.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    logLevel: 'warning',
    define: { __PRECACHE__: JSON.stringify(shell), __VERSION__: JSON.stringify(version) },
  });
  if (result.warnings.length > 0) throw new Error(`service worker: ${result.warnings[0]?.text ?? ''}`);
}

export async function buildWeb(apps?: readonly string[]): Promise<BuiltApp[]> {
  const all = await discoverApps();
  const wanted = apps && apps.length > 0 ? apps : all;
  for (const a of wanted)
    if (!all.includes(a)) throw new Error(`No web app "${a}" (have: ${all.join(', ')})`);
  return Promise.all(wanted.map(buildApp));
}

const invokedDirectly = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const started = performance.now();
  buildWeb(process.argv.slice(2))
    .then((built) => {
      for (const b of built) {
        console.log(
          `web/dist/${b.app}/  ${b.js}${b.css ? `, ${b.css}` : ''}  (${(b.bytes / 1024).toFixed(0)} KiB)`,
        );
      }
      console.log(`built ${built.length} app(s) in ${Math.round(performance.now() - started)} ms`);
    })
    .catch((err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exitCode = 1;
    });
}
