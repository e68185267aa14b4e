/**
 * Creates the collectivity and its first officer key in a deployed Comptoir table, once; with
 * `--recover`, issues a new officer key for the existing collectivity (break-glass).
 * Usage: TABLE_NAME=comptoir-prod npm run bootstrap-territory -- "Métropole de …" donnees@metropole.fr [--officer-email agent@metropole.fr]
 *        TABLE_NAME=comptoir-prod npm run bootstrap-territory -- --recover
 */
import { hostname, userInfo } from 'node:os';
import { USAGE, parseBootstrapArgs, runBootstrapCommand } from './bootstrap-territory-cli.ts';

const command = parseBootstrapArgs(process.argv.slice(2));
if (command.kind === 'usage') {
  console.error(USAGE);
  process.exit(2);
}
// Imported after parsing so that the usage shows even without TABLE_NAME.
const { identityService } = await import('../functions/wiring/identity.ts');
const { peopleService } = await import('../functions/wiring/people-directory.ts');
process.exitCode = await runBootstrapCommand(command, {
  identity: identityService,
  people: peopleService,
  officerKey: process.env.COMPTOIR_ADMIN_KEY?.trim() || undefined,
  operator: `${osUser()}@${hostname()}`,
  out: (line) => console.log(line),
  err: (line) => console.error(line),
});

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    // No passwd entry (some containers): fall back on the environment.
    return process.env.USER ?? 'unknown';
  }
}
