import { readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { ComptoirClient } from '../sdk/client.ts';
import { parseCommand, preParse } from './args.ts';
import { booleanFlag, type CommandInput, type CommandSpec, type Context } from './command.ts';
import { resolveConfig, type BadCredentialsFileError } from './config.ts';
import { CliError, EXIT, reportOf, UsageError } from './errors.ts';
import { commandHelp, globalHelp, groupHelp } from './help.ts';
import { Output, type Streams } from './output.ts';
import { findCommand } from './registry.ts';

export interface Io extends Streams {
  readonly stdin: Context['stdin'];
  readonly env: NodeJS.ProcessEnv;
}

const defaultIo = (): Io => ({ stdout: process.stdout, stderr: process.stderr, stdin: process.stdin as Readable as Context['stdin'], env: process.env });

export function cliVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

async function contextFor(command: CommandSpec, flags: CommandInput['flags'], out: Output, io: Io): Promise<Context> {
  // In `subscribe`, --url is the webhook: the platform URL then comes from --api-url.
  const ownUrl = command.options && 'url' in command.options;
  const url = (typeof flags['api-url'] === 'string' ? flags['api-url'] : undefined) ?? (!ownUrl && typeof flags.url === 'string' ? flags.url : undefined);
  const key = typeof flags.key === 'string' ? flags.key : undefined;
  const tolerance = command.rewritesCredentials ? { onBadCredentialsFile: (e: BadCredentialsFileError) => out.note(`Ignoring the credentials file ${e.path}: it ${e.reason}.`) } : {};
  const config = await resolveConfig({ ...(url ? { url } : {}), ...(key ? { key } : {}) }, io.env, tolerance);
  const clientWithKey = (k: string) => new ComptoirClient({ baseUrl: config.url, key: k });
  return {
    out,
    env: io.env,
    stdin: io.stdin,
    config,
    clientWithKey,
    client: () => {
      if (!config.key) throw new CliError('no API key: run comptoir login, set COMPTOIR_KEY or pass --key', 'no_key', EXIT.auth);
      return clientWithKey(config.key);
    },
  };
}

const printVersion = (out: Output) => out.result({ version: cliVersion() }, () => cliVersion());
const done = (print: () => void): number => {
  print();
  return EXIT.ok;
};

/** Runs one `comptoir` invocation and answers its exit code. */
export async function main(argv: readonly string[], io: Io = defaultIo()): Promise<number> {
  // A reader that went away (comptoir … | head) is not an error of ours.
  io.stdout.on?.('error', () => undefined);
  let json = false;
  let out = new Output(false, io);
  try {
    const pre = preParse(argv);
    json = pre.flags.json === true;
    out = new Output(json, io);
    const { command, group } = findCommand(pre.words);
    const help = pre.flags.help === true;
    if (!command) {
      if (group) {
        if (help) return done(() => out.text(groupHelp(group)));
        io.stderr.write(groupHelp(group));
        throw new UsageError(pre.words[1] ? `unknown command "${group} ${pre.words[1]}"` : `comptoir ${group} needs a command`);
      }
      if (pre.words.length === 0) {
        if (pre.flags.version === true) return done(() => printVersion(out));
        if (help) return done(() => out.text(globalHelp(cliVersion())));
        io.stderr.write(globalHelp(cliVersion()));
        throw new UsageError('no command given');
      }
      throw new UsageError(`unknown command "${pre.words[0]}": run comptoir --help for the list`);
    }
    if (help) return done(() => out.text(commandHelp(command)));
    const input = parseCommand(command, argv);
    const ownVersion = command.options && 'version' in command.options;
    if (!ownVersion && booleanFlag(input, 'version')) return done(() => printVersion(out));
    const ctx = await contextFor(command, input.flags, out, io);
    return (await command.run(ctx, input)) ?? EXIT.ok;
  } catch (error) {
    const report = reportOf(error);
    out.error(report);
    if (report.exitCode === EXIT.usage && error instanceof UsageError) io.stderr.write('Run comptoir --help, or comptoir <command> --help, for usage.\n');
    return report.exitCode;
  }
}
