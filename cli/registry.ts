import type { CommandSpec, OptionSpec } from './command.ts';
import { auditExport, auditVerify } from './commands/audit.ts';
import { datasetsCreate, datasetsList, datasetsShow } from './commands/datasets.ts';
import { licencesAccess, licencesDownload, licencesList, licencesRequest, licencesSign } from './commands/licences.ts';
import { login, logout, whoami } from './commands/session.ts';
import { subscribe, subscriptionsList } from './commands/subscriptions.ts';
import { upload } from './commands/upload.ts';
import { versionsStatus } from './commands/versions.ts';

/** Every command, in the order `comptoir --help` lists them. */
export const COMMANDS: readonly CommandSpec[] = [
  login,
  logout,
  whoami,
  datasetsList,
  datasetsShow,
  datasetsCreate,
  upload,
  versionsStatus,
  licencesList,
  licencesRequest,
  licencesSign,
  licencesAccess,
  licencesDownload,
  subscribe,
  subscriptionsList,
  auditVerify,
  auditExport,
];

/** Options every command takes. */
export const GLOBAL_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  url: { type: 'string', value: 'url', description: 'platform URL (default: COMPTOIR_URL, the stored one, http://127.0.0.1:3000)' },
  'api-url': { type: 'string', value: 'url', description: 'the same as --url (for subscribe, where --url is the webhook)' },
  key: { type: 'string', value: 'key', description: 'API key (default: COMPTOIR_KEY, then the stored one)' },
  json: { type: 'boolean', description: 'print exactly one JSON document on stdout' },
  help: { type: 'boolean', short: 'h', description: 'show help' },
  version: { type: 'boolean', short: 'V', description: 'show the version' },
};

/** Command groups: `comptoir datasets` alone lists its subcommands. */
export const GROUPS = [...new Set(COMMANDS.filter((c) => c.name.includes(' ')).map((c) => c.name.split(' ')[0]!))];

/** The command the leading words name, and the words left as its positionals. */
export function findCommand(words: readonly string[]): { command?: CommandSpec; rest: string[]; group?: string } {
  const [first, second] = words;
  if (first === undefined) return { rest: [] };
  const two = second !== undefined ? COMMANDS.find((c) => c.name === `${first} ${second}`) : undefined;
  if (two) return { command: two, rest: words.slice(2) };
  const one = COMMANDS.find((c) => c.name === first);
  if (one) return { command: one, rest: words.slice(1) };
  return { rest: words.slice(1), ...(GROUPS.includes(first) ? { group: first } : {}) };
}
