import { parseArgs } from 'node:util';
import type { CommandInput, CommandSpec, FlagValue, OptionSpec } from './command.ts';
import { UsageError } from './errors.ts';
import { GLOBAL_OPTIONS } from './registry.ts';

type ParseOptions = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

function toParseOptions(options: Readonly<Record<string, OptionSpec>>): ParseOptions {
  return Object.fromEntries(
    Object.entries(options).map(([name, o]) => [name, { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) }]),
  ) as ParseOptions;
}

/** The global options and the leading words, before the command is known (unknown flags tolerated). */
export function preParse(argv: readonly string[]): { words: string[]; flags: Record<string, FlagValue> } {
  const { values, positionals } = parseArgs({ args: [...argv], options: toParseOptions(GLOBAL_OPTIONS), strict: false, allowPositionals: true });
  return { words: positionals, flags: values as Record<string, FlagValue> };
}

/** A command's own options win over global ones of the same name (`subscribe --url` is the webhook). */
export function optionsOf(command: CommandSpec): Record<string, OptionSpec> {
  return { ...GLOBAL_OPTIONS, ...(command.options ?? {}) };
}

/** Strict parse for one command: unknown flags, missing or extra arguments are usage errors. */
export function parseCommand(command: CommandSpec, argv: readonly string[]): CommandInput {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options: toParseOptions(optionsOf(command)), strict: true, allowPositionals: true });
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new UsageError(message.charAt(0).toLowerCase() + message.slice(1));
  }
  const words = command.name.split(' ');
  const positionals = [...parsed.positionals];
  if (words.some((w, i) => positionals[i] !== w)) throw new UsageError(`put the options after the command: comptoir ${command.name} …`);
  const rest = positionals.slice(words.length);
  const specs = command.args ?? [];
  if (rest.length > specs.length) throw new UsageError(`unexpected argument "${rest[specs.length]}" for comptoir ${command.name}`);
  const missing = specs.slice(rest.length).find((a) => a.required);
  if (missing) throw new UsageError(`missing argument <${missing.name}> for comptoir ${command.name}`);
  const args = Object.fromEntries(specs.map((a, i) => [a.name, rest[i]]));
  return { args, flags: parsed.values as Record<string, FlagValue> };
}
