import { describe, expect, it, vi } from 'vitest';
import { preferredMediaType } from '../../functions/http/negotiation.ts';
import { parsePublicUrl } from '../../functions/http/public-url.ts';

const OFFERS = ['application/ld+json', 'application/json', 'text/html'] as const;

describe('content negotiation of linked-data URIs', () => {
  // Accept header, then the representation chosen.
  const TABLE: [string | undefined, (typeof OFFERS)[number]][] = [
    [undefined, 'application/ld+json'],
    ['*/*', 'application/ld+json'],
    ['application/ld+json', 'application/ld+json'],
    ['application/json', 'application/json'],
    ['application/json, application/ld+json;q=0.9', 'application/json'],
    // Chromium's and Firefox's navigation headers.
    ['text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7', 'text/html'],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'text/html'],
    ['text/*', 'text/html'],
    ['application/*;q=0.5, text/html;q=0.4', 'application/ld+json'],
    ['text/html;q=0, */*', 'application/ld+json'],
    ['text/turtle', 'application/ld+json'],
    ['garbage', 'application/ld+json'],
  ];
  it.each(TABLE)('Accept %s gets %s', (accept, chosen) => {
    expect(preferredMediaType(accept, OFFERS)).toBe(chosen);
  });
});

describe('the public URL setting', () => {
  it('keeps an absolute http(s) URL without its trailing slash', () => {
    expect(parsePublicUrl('https://donnees.metropole.fr/')).toBe('https://donnees.metropole.fr');
    expect(parsePublicUrl(' http://localhost:3000 ')).toBe('http://localhost:3000');
    expect(parsePublicUrl('')).toBeUndefined();
    expect(parsePublicUrl(undefined)).toBeUndefined();
  });

  it.each(['donnees.metropole.fr', 'ftp://donnees.metropole.fr', 'https://donnees.metropole.fr/?x=1', 'https://donnees.metropole.fr/#/', 'https://u:p@donnees.metropole.fr'])(
    'shouldRefuse_when the URL is %s',
    (value) => {
      expect(() => parsePublicUrl(value, 'comptoir:publicUrl')).toThrow(/comptoir:publicUrl must be/);
    },
  );

  it('refuses to load a handler module with a malformed COMPTOIR_PUBLIC_URL', async () => {
    // Arrange: a fresh module registry and a URL without a scheme
    vi.resetModules();
    vi.stubEnv('COMPTOIR_ORIGIN_SECRET', 'set');
    vi.stubEnv('COMPTOIR_PUBLIC_URL', 'donnees.metropole.fr');
    vi.stubEnv('TABLE_NAME', 'comptoir-test');
    // Act + Assert: the import itself throws, before any request is served
    await expect(import('../../functions/handlers/feeds.ts')).rejects.toThrow(/COMPTOIR_PUBLIC_URL must be an absolute URL/);
    vi.unstubAllEnvs();
  });
});
