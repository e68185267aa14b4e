/**
 * The console's Content-Security-Policy: nothing but its own origin, plus the storage origin the browser
 * uploads dataset bytes to through presigned URLs (S3 in the cloud, the emulator on a laptop).
 */
export function consoleContentSecurityPolicy(storageOrigin: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "font-src 'self' data:",
    "img-src 'self' data:",
    `connect-src 'self' ${storageOrigin}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}
