import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { CliError, EXIT } from './errors.ts';

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

export async function readCredentials(path: string): Promise<Partial<Credentials> | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<Credentials>;
    return {
      ...(typeof parsed.url === 'string' ? { url: parsed.url } : {}),
      ...(typeof parsed.key === 'string' ? { key: parsed.key } : {}),
    };
  } catch {
    throw new CliError(`the credentials file ${path} is not valid JSON: run comptoir login again`, 'bad_credentials_file', EXIT.unexpected);
  }
}

/** Writes the credentials readable by their owner only (0600, in a 0700 folder). */
export async function writeCredentials(path: string, credentials: Credentials): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, path);
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
 * the local runtime. The stored key is only sent to the URL it was stored for.
 */
export async function resolveConfig(flags: { url?: string; key?: string }, env: NodeJS.ProcessEnv): Promise<ResolvedConfig> {
  const credentialsFile = credentialsPath(env);
  const flagUrl = flags.url ?? (env.COMPTOIR_URL || undefined);
  const flagKey = flags.key ?? (env.COMPTOIR_KEY || undefined);
  const stored = flagUrl && flagKey ? undefined : await readCredentials(credentialsFile);
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
