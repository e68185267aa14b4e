import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaticFiles } from '../../infra/local/static-files.ts';
import { consoleContentSecurityPolicy } from '../../infra/console-headers.ts';
import { consoleSettings, DEFAULT_TILE_URL, tileOrigin } from '../../schemas/console-settings.ts';

describe('the console settings (the basemap) and the headers they shape', () => {
  it('default to the IGN plan, and take another tile template with its origin', () => {
    expect(consoleSettings()).toEqual({ tileUrl: DEFAULT_TILE_URL, tileAttribution: '© IGN — Plan IGN' });
    expect(tileOrigin(consoleSettings())).toBe('https://data.geopf.fr');
    const own = consoleSettings('http://127.0.0.1:8080/tiles/{z}/{x}/{y}.png', 'Tuiles locales');
    expect(tileOrigin(own)).toBe('http://127.0.0.1:8080');
    expect(own.tileAttribution).toBe('Tuiles locales');
  });

  it.each([
    ['https://tuiles.example.fr/plan.png', 'no {z}/{x}/{y}'],
    ['ftp://tuiles.example.fr/{z}/{x}/{y}.png', 'not http(s)'],
    ['/tiles/{z}/{x}/{y}.png', 'no origin'],
  ])('refuse %s (%s)', (url) => {
    expect(() => consoleSettings(url)).toThrow(/tile URL/);
  });

  it('let the tile origin into img-src, and only the embeddable page be framed', () => {
    const console = consoleContentSecurityPolicy('http://s3.local', { tileOrigin: 'https://data.geopf.fr' });
    expect(console).toContain("img-src 'self' data: https://data.geopf.fr;");
    expect(console).toContain("frame-ancestors 'none'");
    expect(consoleContentSecurityPolicy('http://s3.local', { tileOrigin: 'https://data.geopf.fr', frameable: true })).toContain('frame-ancestors *');
  });

  describe('served by the local runtime', () => {
    let dir: string;
    let server: Server;
    let base: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'console-'));
      await Promise.all([writeFile(join(dir, 'index.html'), '<p>console</p>'), writeFile(join(dir, 'embed.html'), '<p>embed</p>')]);
      const files = new StaticFiles(dir, 'http://s3.local', consoleSettings('http://127.0.0.1:9/t/{z}/{x}/{y}.png', 'Tuiles'));
      server = createServer((req, res) => void files.serve(new URL(req.url!, 'http://x').pathname, res, req.method === 'HEAD').then((served) => served || res.writeHead(404).end()));
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      server.close();
      await rm(dir, { recursive: true, force: true });
    });

    it('answers /config.json with the settings, and the tile origin in both pages\' CSP', async () => {
      // Act
      const [config, index, embed] = await Promise.all(['/config.json', '/', '/embed.html'].map((p) => fetch(base + p)));
      // Assert
      expect(await config!.json()).toEqual({ tileUrl: 'http://127.0.0.1:9/t/{z}/{x}/{y}.png', tileAttribution: 'Tuiles' });
      expect(config!.headers.get('cache-control')).toBe('no-cache');
      for (const page of [index!, embed!]) expect(page.headers.get('content-security-policy')).toContain("img-src 'self' data: http://127.0.0.1:9;");
      expect(index!.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(index!.headers.get('x-frame-options')).toBe('DENY');
      expect(embed!.headers.get('content-security-policy')).toContain('frame-ancestors *');
      expect(embed!.headers.get('x-frame-options')).toBeNull();
    });
  });
});
