import type { CommandSpec, OptionSpec } from './command.ts';
import { EXIT_CODE_HELP } from './errors.ts';
import { COMMANDS, GLOBAL_OPTIONS } from './registry.ts';

function optionLines(options: Readonly<Record<string, OptionSpec>>): string[] {
  const entries = Object.entries(options).map(([name, o]) => [`${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ` <${o.value ?? 'value'}>` : ''}${o.multiple ? ' …' : ''}`, o.description] as const);
  const width = Math.max(0, ...entries.map(([flag]) => flag.length));
  return entries.map(([flag, description]) => `  ${flag.padEnd(width)}  ${description}`);
}

export function usageOf(c: CommandSpec): string {
  const args = (c.args ?? []).map((a) => (a.required ? `<${a.name}>` : `[${a.name}]`));
  const options = Object.keys(c.options ?? {}).length ? ['[options]'] : [];
  return ['comptoir', c.name, ...args, ...options].join(' ');
}

export function commandHelp(c: CommandSpec): string {
  const lines = [`Usage: ${usageOf(c)}`, '', c.summary + '.'];
  if (c.description) lines.push('', c.description);
  if (c.args?.length) {
    const width = Math.max(...c.args.map((a) => a.name.length + 2));
    lines.push('', 'Arguments:', ...c.args.map((a) => `  ${(a.required ? `<${a.name}>` : `[${a.name}]`).padEnd(width)}  ${a.description}`));
  }
  if (Object.keys(c.options ?? {}).length) lines.push('', 'Options:', ...optionLines(c.options!));
  lines.push('', 'Global options:', ...optionLines(GLOBAL_OPTIONS));
  lines.push('', c.examples.length > 1 ? 'Examples:' : 'Example:', ...c.examples.map((e) => `  ${e}`));
  return `${lines.join('\n')}\n`;
}

export function groupHelp(group: string): string {
  const commands = COMMANDS.filter((c) => c.name.startsWith(`${group} `));
  const width = Math.max(...commands.map((c) => usageOf(c).length));
  return `Commands of comptoir ${group}:\n\n${commands.map((c) => `  ${usageOf(c).padEnd(width)}  ${c.summary}`).join('\n')}\n\nRun comptoir ${group} <command> --help for details.\n`;
}

export function globalHelp(version: string): string {
  const width = Math.max(...COMMANDS.map((c) => usageOf(c).length));
  return [
    `comptoir ${version} — operate a Comptoir territorial data platform from the command line`,
    '',
    'Usage: comptoir <command> [arguments] [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${usageOf(c).padEnd(width)}  ${c.summary}`),
    '',
    'Global options:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    'Configuration (first found wins):',
    '  URL  --url, COMPTOIR_URL, the credentials file, http://127.0.0.1:3000',
    '  key  --key, COMPTOIR_KEY, the credentials file (only for the URL it was stored with)',
    '  credentials file  $XDG_CONFIG_HOME/comptoir/credentials.json (~/.config/comptoir/…), written by comptoir login',
    '  upload state      $COMPTOIR_STATE_DIR, else $XDG_STATE_HOME/comptoir/uploads (~/.local/state/comptoir/uploads)',
    '',
    'Exit codes:',
    ...EXIT_CODE_HELP.map(([code, meaning]) => `  ${code}  ${meaning}`),
    '',
    'Errors are one line on stderr: comptoir: <message> (<code>), with the correlation id of a 5xx answer',
    '(<code>, correlation id <id>) to quote to the platform\'s operators; with --json, {"error": {…}} on stdout as well.',
    'Run comptoir <command> --help for the options and an example of each command.',
    '',
  ].join('\n');
}
