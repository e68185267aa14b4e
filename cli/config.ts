import { rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CliError, EXIT } from './errors.ts';
import { readIfPresent, writePrivateFile } from './private-file.ts';

export const DEFAULT_URL = 'http://127.0.0.1:3000';

export interface Credentials {
  readonly url: string;
  readonly key: string;
}

export type Source = 'flag' | 'environment' | 'credentials file' | 'default';

export interface ResolvedConfig {
  readonly url: string;
  readonly urlSource: Source;
  readonly key?: string;
  readonly keySource?: Source;
  readonly credentialsFile: string;
}

/** `$XDG_CONFIG_HOME/comptoir/credentials.json`, `~/.config/comptoir/credentials.json` by default. */
export function credentialsPath(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(base, 'comptoir', 'credentials.json');
}

/** A credentials file that cannot be used: `reason` says why. */
export class BadCredentialsFileError extends CliError {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`the credentials file ${path} ${reason}: run comptoir login again`, 'bad_credentials_file', EXIT.unexpected);
  }
}

export async function readCredentials(path: string): Promise<Partial<Credentials> | undefined> {
  const text = await readIfPresent(path);
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new BadCredentialsFileError(path, 'is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new BadCredentialsFileError(path, 'is not a JSON object');
  }
  const { url, key } = parsed as Partial<Record<keyof Credentials, unknown>>;
  if (typeof url === 'string' && !isHttpUrl(url)) {
    throw new BadCredentialsFileError(path, 'holds a URL that is not http(s)');
  }
  return { ...(typeof url === 'string' ? { url } : {}), ...(typeof key === 'string' ? { key } : {}) };
}

/** Writes the credentials readable by their owner only (0600, in a 0700 folder). */
export async function writeCredentials(path: string, credentials: Credentials): Promise<void> {
  await writePrivateFile(path, `${JSON.stringify(credentials, null, 2)}\n`);
}

/** Answers whether there was a file to remove. */
export async function removeCredentials(path: string): Promise<boolean> {
  try {
    await rm(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

function isHttpUrl(text: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(text).protocol);
  } catch {
    return false;
  }
}

/** Strips a trailing slash so paths can be appended. */
export function normaliseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(`not a URL: ${url}`, 'usage', EXIT.usage);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new CliError(`the platform URL must be http or https: ${url}`, 'usage', EXIT.usage);
  return url.replace(/\/+$/, '');
}

/**
 * Flags first, then `COMPTOIR_URL` / `COMPTOIR_KEY`, then the credentials file; the URL defaults to
 * the local runtime. The stored key is only sent to the URL it was stored for. With
 * `onBadCredentialsFile`, a file that cannot be used is reported there and treated as absent.
 */
export async function resolveConfig(
  flags: { url?: string; key?: string },
  env: NodeJS.ProcessEnv,
  options: { onBadCredentialsFile?: (error: BadCredentialsFileError) => void } = {},
): Promise<ResolvedConfig> {
  const credentialsFile = credentialsPath(env);
  const flagUrl = flags.url ?? (env.COMPTOIR_URL || undefined);
  const flagKey = flags.key ?? (env.COMPTOIR_KEY || undefined);
  const stored = flagUrl && flagKey ? undefined : await readCredentials(credentialsFile).catch((error: unknown) => {
    if (!(error instanceof BadCredentialsFileError && options.onBadCredentialsFile)) throw error;
    options.onBadCredentialsFile(error);
    return undefined;
  });
  const [url, urlSource]: [string, Source] = flags.url
    ? [flags.url, 'flag']
    : env.COMPTOIR_URL
      ? [env.COMPTOIR_URL, 'environment']
      : stored?.url
        ? [stored.url, 'credentials file']
        : [DEFAULT_URL, 'default'];
  const resolvedUrl = normaliseUrl(url);
  const storedKeyApplies = stored?.key !== undefined && (stored.url === undefined || normaliseUrl(stored.url) === resolvedUrl);
  const [key, keySource]: [string | undefined, Source | undefined] = flags.key
    ? [flags.key, 'flag']
    : env.COMPTOIR_KEY
      ? [env.COMPTOIR_KEY, 'environment']
      : storedKeyApplies
        ? [stored!.key, 'credentials file']
        : [undefined, undefined];
  return { url: resolvedUrl, urlSource, credentialsFile, ...(key?.trim() ? { key: key.trim(), keySource } : {}) };
}
