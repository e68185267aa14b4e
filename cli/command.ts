import type { Readable } from 'node:stream';
import type { ComptoirClient } from '../sdk/client.ts';
import type { ResolvedConfig } from './config.ts';
import { UsageError } from './errors.ts';
import type { Output } from './output.ts';

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  readonly short?: string;
  /** Placeholder shown in help: `--title <text>`. */
  readonly value?: string;
  readonly description: string;
}

export interface ArgumentSpec {
  readonly name: string;
  readonly required: boolean;
  readonly description: string;
}

export type FlagValue = string | boolean | string[] | undefined;

export interface CommandInput {
  /** Positional arguments by name. */
  readonly args: Readonly<Record<string, string | undefined>>;
  readonly flags: Readonly<Record<string, FlagValue>>;
}

export interface Context {
  readonly out: Output;
  readonly env: NodeJS.ProcessEnv;
  readonly stdin: Readable & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  readonly config: ResolvedConfig;
  /** A client with the resolved key; fails with exit code 3 when there is none. */
  client(): ComptoirClient;
  /** A client of the resolved URL with the given key. */
  clientWithKey(key: string): ComptoirClient;
}

export interface CommandSpec {
  /** The words that call it: `datasets list`. */
  readonly name: string;
  readonly summary: string;
  readonly description?: string;
  readonly args?: readonly ArgumentSpec[];
  readonly options?: Readonly<Record<string, OptionSpec>>;
  readonly examples: readonly string[];
  /** The command replaces or removes the credentials file, so a corrupt one must not stop it. */
  readonly rewritesCredentials?: boolean;
  /** Answers the exit code (0 when nothing is returned). */
  run(ctx: Context, input: CommandInput): Promise<number | void>;
}

export function stringFlag(input: CommandInput, name: string): string | undefined {
  const value = input.flags[name];
  return typeof value === 'string' ? value : undefined;
}

export function booleanFlag(input: CommandInput, name: string): boolean {
  return input.flags[name] === true;
}

export function listFlag(input: CommandInput, name: string): string[] {
  const value = input.flags[name];
  if (Array.isArray(value)) return value;
  return typeof value === 'string' ? [value] : [];
}

/** A positive integer flag, or a usage error naming it. */
export function intFlag(input: CommandInput, name: string, bounds: { min?: number; max?: number } = {}): number | undefined {
  const value = stringFlag(input, name);
  return value === undefined ? undefined : parseInteger(value, `--${name}`, bounds);
}

export function parseInteger(text: string, what: string, { min = 1, max = Number.MAX_SAFE_INTEGER }: { min?: number; max?: number } = {}): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`${what} must be a whole number, not "${text}"`);
  const n = Number(text);
  if (n < min || n > max) throw new UsageError(`${what} must be between ${min} and ${max}`);
  return n;
}

/** A required positional argument (the parser already checked it is there). */
export function arg(input: CommandInput, name: string): string {
  const value = input.args[name];
  if (value === undefined) throw new UsageError(`missing argument <${name}>`);
  return value;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
