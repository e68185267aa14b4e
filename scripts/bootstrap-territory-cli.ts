import { TerritoryNotBootstrappedError } from '../functions/domain/identity/errors.ts';
import type { IdentityService } from '../functions/domain/identity/identity-service.ts';
import type { PeopleService } from '../functions/domain/people/people-service.ts';

/** What the command line asks for. */
export type BootstrapCommand =
  | { readonly kind: 'bootstrap'; readonly name: string; readonly contactEmail: string; readonly officerEmail?: string }
  | { readonly kind: 'recover' }
  | { readonly kind: 'usage' };

export const USAGE = [
  'usage: npm run bootstrap-territory -- "<collectivity name>" <contact email> [--officer-email <e-mail>]',
  '       (--officer-email invites the first officer in person: they sign in with the OpenID provider)',
  '       npm run bootstrap-territory -- --recover    (break-glass: a new officer key for the existing collectivity)',
].join('\n');

/** Reads the arguments after `--`; anything unexpected asks for the usage. */
export function parseBootstrapArgs(args: readonly string[]): BootstrapCommand {
  if (args.includes('--recover')) return args.length === 1 ? { kind: 'recover' } : { kind: 'usage' };
  const [name, contactEmail, ...rest] = args;
  if (!name || !contactEmail || name.startsWith('--') || contactEmail.startsWith('--')) return { kind: 'usage' };
  if (rest.length === 0) return { kind: 'bootstrap', name, contactEmail };
  const [flag, officerEmail, ...extra] = rest;
  if (flag !== '--officer-email' || !officerEmail || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(officerEmail) || extra.length > 0) return { kind: 'usage' };
  return { kind: 'bootstrap', name, contactEmail, officerEmail: officerEmail.toLowerCase() };
}

export interface BootstrapCliDeps {
  readonly identity: IdentityService;
  /** Invites the first officer by e-mail address when the command names one. */
  readonly people?: PeopleService;
  /** `COMPTOIR_ADMIN_KEY`: the secret of the first officer key, when the owner chooses it. */
  readonly officerKey?: string;
  /** OS user and host, recorded as the operator of a recovery. */
  readonly operator: string;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

/** Runs a parsed command on the table behind `identity`; resolves to the process exit code. */
export async function runBootstrapCommand(command: Exclude<BootstrapCommand, { kind: 'usage' }>, deps: BootstrapCliDeps): Promise<number> {
  if (command.kind === 'recover') {
    const recovered = await deps.identity.recoverOfficerKey({ operator: deps.operator }).catch((error: unknown) => {
      if (error instanceof TerritoryNotBootstrappedError) return undefined;
      throw error;
    });
    if (!recovered) {
      deps.err('This table has no territory: nothing to recover, nothing was changed. Bootstrap it first (see --help).');
      return 1;
    }
    deps.out(`Officer key ${recovered.keyId} issued for ${recovered.collectivity.name} (${recovered.collectivity.id}); audit event key.recovered recorded.`);
    deps.out(`Recovered officer key (shown once, store it in a secret manager): ${recovered.officerKey}`);
    return 0;
  }
  const result = await deps.identity.bootstrapTerritory({ name: command.name, contactEmail: command.contactEmail, ...(deps.officerKey ? { officerKey: deps.officerKey } : {}) });
  if (!result) {
    deps.err('This table already has a territory: nothing was changed. To regain an officer key, use --recover.');
    return 1;
  }
  deps.out(`Collectivity ${result.collectivity.name} (${result.collectivity.id}) created.`);
  deps.out(`First officer key (shown once, store it in a secret manager): ${result.officerKey}`);
  if (command.officerEmail && deps.people) {
    const officer = await deps.identity.authenticate(`Bearer ${result.officerKey}`);
    const person = await deps.people.invite(officer!, result.collectivity.id, { email: command.officerEmail, role: 'officer' });
    await deps.identity.bindFirstOfficerKey(officer!.keyId, person.id);
    deps.out(`First officer ${person.email} invited (${person.id}): they sign in with the OpenID provider; the first officer key speaks as them.`);
  }
  return 0;
}
