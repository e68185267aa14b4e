/**
 * The console's Content-Security-Policy: nothing but its own origin, plus the storage origin the browser
 * uploads dataset bytes to through presigned URLs (S3 in the cloud, the emulator on a laptop), and the
 * origin of the map tiles (the configured basemap).
 */
export function consoleContentSecurityPolicy(storageOrigin: string, options: { readonly tileOrigin?: string; readonly frameable?: boolean } = {}): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "font-src 'self' data:",
    `img-src 'self' data:${options.tileOrigin ? ` ${options.tileOrigin}` : ''}`,
    `connect-src 'self' ${storageOrigin}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    // Only the embeddable views of open data may be framed, by any site; the console never.
    `frame-ancestors ${options.frameable ? '*' : "'none'"}`,
  ].join('; ');
}

/** The page other sites frame: one view of an open dataset (`/embed.html#/datasets/{id}/{view}`). */
export const EMBED_PAGE = 'embed.html';
/** The console's run-time settings, read by the browser (`ConsoleSettings`). */
export const SETTINGS_FILE = 'config.json';
