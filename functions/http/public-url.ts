import { ConfigError } from '../wiring/env.ts';

/**
 * The platform's public address (`COMPTOIR_PUBLIC_URL`, `comptoir:publicUrl` in CDK): an absolute http(s) URL with no query,
 * fragment or credentials, returned without its trailing slash; anything else throws, so a bad
 * setting stops the function at load instead of minting wrong URIs.
 */
export function parsePublicUrl(value: string | undefined, setting = 'COMPTOIR_PUBLIC_URL'): string | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`${setting} must be an absolute URL such as https://donnees.example.fr, not '${text}'`);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.hash || text.includes('#') || url.username || url.password) {
    throw new ConfigError(`${setting} must be a plain http(s) address without query, fragment or credentials, not '${text}'`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
