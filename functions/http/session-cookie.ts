/** Cookie names: `__Host-` (Secure, Path=/, no Domain, so no sibling host can set it) except on plain-http loopback. */
export const cookieNames = (secure: boolean) => ({
  session: secure ? '__Host-comptoir-session' : 'comptoir-session',
  login: secure ? '__Host-comptoir-login' : 'comptoir-login',
});

/** The value of one cookie among API Gateway's `cookies` (payload 2.0: one `name=value` per entry). */
export function readCookie(cookies: readonly string[] | undefined, name: string): string | undefined {
  for (const cookie of cookies ?? []) {
    const at = cookie.indexOf('=');
    if (at > 0 && cookie.slice(0, at).trim() === name) return cookie.slice(at + 1).trim();
  }
  return undefined;
}

/** A `Set-Cookie` value: HttpOnly, SameSite=Lax (the provider's redirect back is a top-level GET), Secure unless told. */
export function setCookie(name: string, value: string, maxAgeSeconds: number, secure: boolean): string {
  return `${name}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

/** A `Set-Cookie` value that deletes the cookie. */
export const clearCookie = (name: string, secure: boolean): string => setCookie(name, '', 0, secure);
