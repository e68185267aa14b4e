/** Raised at module load when the environment lacks what a function needs. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Reads a required variable once; the message says who is expected to set it. */
export function requireEnv(name: string, setBy: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') {
    throw new ConfigError(`Missing environment variable ${name}: it is set by ${setBy}.`);
  }
  return value;
}

/** Reads an optional variable; empty counts as unset. */
export function optionalEnv(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value;
}
