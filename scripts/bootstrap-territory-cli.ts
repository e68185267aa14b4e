import { TerritoryNotBootstrappedError } from '../functions/domain/identity/errors.ts';
import type { IdentityService } from '../functions/domain/identity/identity-service.ts';

/** What the command line asks for. */
export type BootstrapCommand =
  | { readonly kind: 'bootstrap'; readonly name: string; readonly contactEmail: string }
  | { readonly kind: 'recover' }
  | { readonly kind: 'usage' };

export const USAGE = [
  'usage: npm run bootstrap-territory -- "<collectivity name>" <contact email>',
  '       npm run bootstrap-territory -- --recover    (break-glass: a new officer key for the existing collectivity)',
].join('\n');

/** Reads the arguments after `--`; anything unexpected asks for the usage. */
export function parseBootstrapArgs(args: readonly string[]): BootstrapCommand {
  if (args.includes('--recover')) return args.length === 1 ? { kind: 'recover' } : { kind: 'usage' };
  const [name, contactEmail, ...rest] = args;
  if (!name || !contactEmail || rest.length > 0 || name.startsWith('--') || contactEmail.startsWith('--')) return { kind: 'usage' };
  return { kind: 'bootstrap', name, contactEmail };
}

export interface BootstrapCliDeps {
  readonly identity: IdentityService;
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
  return 0;
}
