import type { Principal, Role } from '../domain/model.ts';

// A plain list: the authorizer's bundle stays free of zod.
const ROLES: readonly string[] = ['officer', 'admin', 'member'] satisfies Role[];

/** What the authorizer hands to route handlers (`requestContext.authorizer.lambda`). */
export interface AuthorizerContext {
  readonly keyId?: string;
  readonly partnerId?: string;
  readonly role?: string;
  readonly label?: string;
  /** Set with a session cookie or a key bound to a person: the person. */
  readonly personId?: string;
  /** Set with a session cookie: the session. */
  readonly sessionId?: string;
  readonly email?: string;
  readonly name?: string;
  readonly expiresAt?: string;
  readonly csrfToken?: string;
  /** The session's sign-in assurance level (the ID token's `acr`). */
  readonly acr?: string;
  /** Set when a session cookie came on a state-changing request without its CSRF token. */
  readonly csrfRefused?: string;
  /** Set when the key could not be checked (store unavailable). */
  readonly unavailable?: string;
}

/** Authorizer context of a principal. */
export const contextOf = (p: Principal): AuthorizerContext => ({
  keyId: p.keyId,
  partnerId: p.partnerId,
  role: p.role,
  label: p.label,
  ...(p.personId ? { personId: p.personId } : {}),
  ...(p.session ? { ...p.session } : {}),
});

/** The principal the authorizer found, or undefined for an unknown or missing key or session. */
export function principalOf(ctx: AuthorizerContext | undefined): Principal | undefined {
  if (!ctx?.keyId || !ctx.partnerId || !ctx.role || !ROLES.includes(ctx.role)) return undefined;
  const principal = { keyId: ctx.keyId, partnerId: ctx.partnerId, role: ctx.role as Role, label: ctx.label ?? '', ...(ctx.personId ? { personId: ctx.personId } : {}) };
  if (!ctx.sessionId) return principal;
  if (!ctx.personId || !ctx.email || !ctx.expiresAt || !ctx.csrfToken) return undefined;
  return { ...principal, session: { sessionId: ctx.sessionId, personId: ctx.personId, email: ctx.email, ...(ctx.name ? { name: ctx.name } : {}), expiresAt: ctx.expiresAt, csrfToken: ctx.csrfToken, ...(ctx.acr ? { acr: ctx.acr } : {}) } };
}
