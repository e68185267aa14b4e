import { en } from './en.ts';
import { fr, type MessageKey, type Messages } from './fr.ts';

export type Lang = 'fr' | 'en';
const dictionaries: Record<Lang, Messages> = { fr, en };
const STORAGE_KEY = 'comptoir.lang';

/** The language chosen earlier; none when storage is denied, as it is to a view framed by another site. */
function remembered(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

let current: Lang = remembered() === 'en' ? 'en' : 'fr';
document.documentElement.lang = current;

/** The console's language: French unless the user chose English. */
export const lang = (): Lang => current;

/** Switches the language, remembered across visits. */
export function setLang(next: Lang): void {
  current = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Not remembered where storage is denied; the choice holds for this page.
  }
  document.documentElement.lang = next;
}

/** The text of `key` in the current language, with `{name}` placeholders filled. */
export function t(key: MessageKey, vars: Record<string, string | number> = {}): string {
  return dictionaries[current][key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`));
}

/** A text whose key is built at run time (`licence.${state}`); falls back to the raw value. */
export function tOr(key: string, fallback: string): string {
  return (dictionaries[current] as Record<string, string>)[key] ?? fallback;
}

const locale = (): string => (current === 'fr' ? 'fr-FR' : 'en-GB');

export const formatDate = (iso: string | undefined): string =>
  iso ? new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Paris' }).format(new Date(iso)) : '—';

export const formatDay = (iso: string | undefined): string =>
  iso ? new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeZone: 'Europe/Paris' }).format(new Date(iso)) : '—';

export const formatNumber = (n: number): string => new Intl.NumberFormat(locale()).format(n);

/** Sizes in binary units, as the upload limits are written. */
export function formatBytes(bytes: number): string {
  const units = current === 'fr' ? ['o', 'Kio', 'Mio', 'Gio', 'Tio'] : ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${new Intl.NumberFormat(locale(), { maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value)} ${units[unit]}`;
}

/** `1 licence` / `2 licences`: the `one` or `other` message by the language's plural rules, `{count}` filled. */
export function plural(n: number, one: MessageKey, other: MessageKey, vars: Record<string, string> = {}): string {
  const rule = new Intl.PluralRules(locale()).select(n);
  return t(rule === 'one' ? one : other, { count: formatNumber(n), ...vars });
}
