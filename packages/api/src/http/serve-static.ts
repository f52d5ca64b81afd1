import { createReadStream, existsSync, realpathSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { sendError } from './send-json';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

const PLACEHOLDER = `<!doctype html><meta charset="utf-8"><title>Runcast</title>
<body style="font-family:sans-serif;max-width:40em;margin:3em auto">
<h1>Runcast API</h1><p>The dashboard build was not found (apps/dashboard/dist). Build it with
<code>pnpm build</code>; the API is at <code>/trpc</code> and <code>/healthz</code>.</p></body>`;

/**
 * Serves the dashboard build from `dir`: files by path, and index.html for any other GET
 * (SPA fallback for /runs/<id>, /compare?runs=...). Paths never escape `dir`.
 */
export function serveStatic(dir: string | null, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const root = dir ? resolve(dir) : null;
  if (!root || !existsSync(join(root, 'index.html'))) {
    res.writeHead(200, { 'content-type': TYPES['.html'] as string });
    res.end(PLACEHOLDER);
    return;
  }
  const pathname = decodePath(url.pathname);
  if (pathname === null) {
    sendError(res, 400, { code: 'INVALID_INPUT', message: 'malformed percent-encoding in path' });
    return;
  }
  let file = resolve(root, `.${normalize(pathname)}`);
  if (!isInside(root, file)) file = join(root, 'index.html');
  // A symlink inside the build must not lead outside it either.
  const isFile =
    existsSync(file) && statSync(file).isFile() && isInside(realpathSync(root), realpathSync(file));
  if (!isFile) file = join(root, 'index.html');
  const type = TYPES[extname(file)] ?? 'application/octet-stream';
  const immutable = isFile && file.includes(`${sep}assets${sep}`);
  res.writeHead(200, {
    'content-type': type,
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
}

function isInside(root: string, file: string): boolean {
  return file === root || file.startsWith(root + sep);
}

/** decodeURIComponent, or null for a malformed escape such as `%E0%A4%A`. */
export function decodePath(path: string): string | null {
  try {
    return decodeURIComponent(path);
  } catch {
    return null;
  }
}
