import { parseAcrList } from '../domain/people/assurance.ts';
import { ConfigError, optionalEnv } from './env.ts';

function read(): readonly string[] | undefined {
  try {
    return parseAcrList(optionalEnv('COMPTOIR_PARTNER_ADMIN_ACR'));
  } catch (error) {
    throw new ConfigError(`COMPTOIR_PARTNER_ADMIN_ACR: ${(error as Error).message}`);
  }
}

/**
 * The territory's assurance level for partner admins (space-separated acr values, e.g. `eidas2`):
 * an invited admin's first sign-in must meet it, and so must an admin session on the routes that
 * declare `allow.acr`. Unset: no requirement.
 */
export const partnerAdminAcr = read();
