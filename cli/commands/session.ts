import type { MeResponse } from '../../schemas/index.ts';
import { stringFlag, type CommandSpec, type Context } from '../command.ts';
import { removeCredentials, writeCredentials } from '../config.ts';
import { UsageError } from '../errors.ts';
import { fields } from '../output.ts';
import { promptHidden, readPiped } from '../secret-input.ts';

const describeMe = (me: MeResponse) => `${me.principal.label} (${me.principal.keyId}), ${me.role} of ${me.partner.name} [${me.partner.kind}, ${me.partner.id}]`;

async function keyToStore(ctx: Context, given: string | undefined): Promise<string> {
  if (given) return given.trim();
  if (!ctx.stdin.isTTY) {
    const piped = await readPiped(ctx.stdin);
    if (!piped) throw new UsageError('no key: give it with --key, on stdin, or run comptoir login in a terminal');
    return piped;
  }
  const typed = await promptHidden(ctx.stdin, ctx.out.streams.stderr, 'API key: ');
  if (!typed) throw new UsageError('no key typed');
  return typed;
}

export const login: CommandSpec = {
  name: 'login',
  summary: 'Check an API key and store it with the platform URL',
  description:
    'The key comes from --key, else from stdin when it is piped, else from a prompt. It is checked with GET /v1/me, then stored with the URL in $XDG_CONFIG_HOME/comptoir/credentials.json (mode 0600).',
  options: {},
  rewritesCredentials: true,
  examples: ['comptoir login --url https://donnees.metropole.example', 'printf %s "$KEY" | comptoir login --url http://127.0.0.1:3000'],
  async run(ctx, input) {
    const url = ctx.config.url;
    const key = await keyToStore(ctx, stringFlag(input, 'key'));
    const me = await ctx.clientWithKey(key).call('me');
    await writeCredentials(ctx.config.credentialsFile, { url, key });
    ctx.out.result({ url, credentialsFile: ctx.config.credentialsFile, me }, () => [
      `Logged in to ${url} as ${describeMe(me)}.`,
      `Credentials saved in ${ctx.config.credentialsFile}.`,
    ]);
  },
};

export const logout: CommandSpec = {
  name: 'logout',
  summary: 'Forget the stored credentials',
  options: {},
  rewritesCredentials: true,
  examples: ['comptoir logout'],
  async run(ctx) {
    const removed = await removeCredentials(ctx.config.credentialsFile);
    ctx.out.result({ loggedOut: removed, credentialsFile: ctx.config.credentialsFile }, () =>
      removed ? `Removed ${ctx.config.credentialsFile}.` : `No stored credentials (${ctx.config.credentialsFile}).`,
    );
  },
};

export const whoami: CommandSpec = {
  name: 'whoami',
  summary: 'Show the key in use, its partner and role',
  options: {},
  examples: ['comptoir whoami', 'comptoir whoami --json'],
  async run(ctx) {
    const me = await ctx.client().call('me');
    ctx.out.result(me, () =>
      fields([
        ['platform', ctx.config.url],
        ['key', `${me.principal.label} (${me.principal.keyId}), from the ${ctx.config.keySource}`],
        ['partner', `${me.partner.name} [${me.partner.kind}, ${me.partner.id}]`],
        ['role', me.role],
      ]),
    );
  },
};
