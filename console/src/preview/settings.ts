import { consoleSettings, ConsoleSettingsSchema, type ConsoleSettings } from '../../../schemas/console-settings.ts';

let loaded: Promise<ConsoleSettings> | undefined;

/** The console's run-time settings (`/config.json`), read once; the defaults when the file is absent or malformed. */
export function settings(): Promise<ConsoleSettings> {
  loaded ??= fetch('/config.json', { headers: { accept: 'application/json' } })
    .then(async (r) => (r.ok ? ConsoleSettingsSchema.parse(await r.json()) : consoleSettings()))
    .catch(() => consoleSettings());
  return loaded;
}
