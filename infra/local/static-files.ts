import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

/** Serves the built console: `/` is index.html; hashed `/assets/` files are cached for good. */
export class StaticFiles {
  constructor(private readonly root: string) {}

  /** Answers a GET for `pathname` if it names a file under the root; false when it does not. */
  async serve(pathname: string, res: ServerResponse, headOnly = false): Promise<boolean> {
    const relative = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
    const file = normalize(join(this.root, relative));
    // Never step outside the console's folder (`/../`, encoded or not).
    if (!file.startsWith(this.root.endsWith(sep) ? this.root : this.root + sep)) return false;
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return false;
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': info.size,
      'cache-control': relative.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      'x-content-type-options': 'nosniff',
      ...(relative === 'index.html' ? { 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer' } : {}),
    });
    if (headOnly) {
      res.end();
      return true;
    }
    createReadStream(file).pipe(res);
    return true;
  }
}
