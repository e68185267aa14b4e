import { ForbiddenError } from '../errors.ts';

/** An acr value as a provider names it: `eidas2`, or ProConnect's `https://proconnect.gouv.fr/assurance/certification-dirigeant`. */
export const ACR_PATTERN = /^[A-Za-z0-9._:/-]{1,200}$/;

const eidasLevel = (acr: string): number | undefined => (/^eidas([1-3])$/.exec(acr) ? Number(acr.slice(5)) : undefined);

/** Reads a space-separated list of acceptable acr values (a setting); undefined when empty. */
export function parseAcrList(text: string | undefined): readonly string[] | undefined {
  const values = (text ?? '').split(/\s+/).filter(Boolean);
  if (values.length === 0) return undefined;
  const bad = values.find((v) => !ACR_PATTERN.test(v));
  if (bad) throw new Error(`not an acr value: ${bad}`);
  return values;
}

/**
 * Whether a sign-in at `actual` meets a requirement listing acceptable values: one of them, or an
 * eIDAS level at least as high as a listed one (eidas3 meets eidas2; nothing else is ordered).
 */
export function acrMeets(actual: string | undefined, required: readonly string[]): boolean {
  if (actual === undefined) return false;
  if (required.includes(actual)) return true;
  const level = eidasLevel(actual);
  return level !== undefined && required.some((r) => (eidasLevel(r) ?? Infinity) <= level);
}

/** A session signed in at a weaker level than the route needs: sign in again with `/auth/login?acr=…`. */
export class AcrInsufficientError extends ForbiddenError {
  constructor(actual: string | undefined, required: readonly string[], options?: ErrorOptions) {
    super(
      `this needs a sign-in at assurance level ${required.join(' or ')} (this one: ${actual ?? 'none'}); sign in again with /auth/login?acr=${encodeURIComponent(required[0]!)}`,
      'acr_insufficient',
      // ForbiddenError passes its options on to DomainError, which keeps the details.
      { ...options, details: [{ requiredAcr: required, acr: actual ?? null, login: `/auth/login?acr=${encodeURIComponent(required[0]!)}` }] } as ErrorOptions,
    );
  }
}
