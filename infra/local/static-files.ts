import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { consoleSettings, tileOrigin, type ConsoleSettings } from '../../schemas/console-settings.ts';
import { consoleContentSecurityPolicy, EMBED_PAGE, SETTINGS_FILE } from '../console-headers.ts';

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
  private readonly csp: string;
  private readonly embedCsp: string;

  /** `storageOrigin`: where browsers upload dataset bytes (the S3 emulator), allowed by the CSP as S3 is in the cloud; `settings`: served as `/config.json`. */
  constructor(
    private readonly root: string,
    storageOrigin: string,
    private readonly settings: ConsoleSettings = consoleSettings(),
  ) {
    this.csp = consoleContentSecurityPolicy(storageOrigin, { tileOrigin: tileOrigin(settings) });
    this.embedCsp = consoleContentSecurityPolicy(storageOrigin, { tileOrigin: tileOrigin(settings), frameable: true });
  }

  /** Answers a GET for `pathname` if it names a file under the root; false when it does not. */
  async serve(pathname: string, res: ServerResponse, headOnly = false): Promise<boolean> {
    let relative: string;
    try {
      relative = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
    } catch {
      // A malformed escape names no file: the caller answers 404.
      return false;
    }
    if (relative === SETTINGS_FILE) return this.serveSettings(res, headOnly);
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
      ...(relative === 'index.html' ? { 'content-security-policy': this.csp, 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer' } : {}),
      // Framed by other sites: no X-Frame-Options, which would forbid what frame-ancestors allows.
      ...(relative === EMBED_PAGE ? { 'content-security-policy': this.embedCsp, 'referrer-policy': 'no-referrer' } : {}),
    });
    if (headOnly) {
      res.end();
      return true;
    }
    // A file removed by a rebuild mid-response ends that response, never the server.
    await pipeline(createReadStream(file), res).catch(() => res.destroy());
    return true;
  }

  /** The console's settings, as the deployment writes them beside the console in the cloud. */
  private serveSettings(res: ServerResponse, headOnly: boolean): true {
    const body = JSON.stringify(this.settings);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' });
    res.end(headOnly ? undefined : body);
    return true;
  }
}
