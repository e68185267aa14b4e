/** A page of the web console, which is served at the platform's root and routes on the URL's hash (`/#/datasets/dst_…`). */
export function consolePageUrl(baseUrl: string, path = '/'): string {
  const base = baseUrl.replace(/\/+$/, '');
  return path === '/' ? `${base}/` : `${base}/#${path}`;
}
