import type { TemplateResult } from 'lit';
import type { ComptoirClient } from '../../sdk/client.ts';
import type { Me } from './session.ts';

/** What a page gets: the API, the caller, the route parameters and the app's services. */
export interface PageContext {
  readonly api: ComptoirClient;
  readonly me: Me;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** Renders the page again from fresh data. */
  refresh(): Promise<void>;
  notify(kind: 'success' | 'error' | 'info', text: string): void;
  go(path: string, query?: Record<string, string | undefined>): void;
  /** Runs an action; its API error becomes an error notice, its returned text a success notice, then the page refreshes. */
  act(action: () => Promise<string | void>): Promise<void>;
}

export type Page = (ctx: PageContext) => Promise<TemplateResult>;

export interface RouteEntry {
  readonly pattern: string;
  readonly page: () => Promise<Page>;
}

/** Matches `/licences/lic_1` against `/licences/:id`. */
export function matchRoute<E extends { readonly pattern: string } = RouteEntry>(routes: readonly E[], path: string): { entry: E; params: Record<string, string> } | undefined {
  const parts = path.split('/').filter(Boolean);
  for (const entry of routes) {
    const pattern = entry.pattern.split('/').filter(Boolean);
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    if (pattern.every((p, i) => (p.startsWith(':') ? ((params[p.slice(1)] = decodeURIComponent(parts[i]!)), true) : p === parts[i]))) return { entry, params };
  }
  return undefined;
}

/** The current hash route: `#/catalogue?theme=water` gives `/catalogue` and its query. */
export function currentLocation(): { path: string; query: URLSearchParams } {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, search] = hash.split('?', 2) as [string, string | undefined];
  return { path: path || '/', query: new URLSearchParams(search ?? '') };
}

/** `#/catalogue?theme=water` from a path and query values (empty ones dropped). */
export function hrefOf(path: string, query: Record<string, string | undefined> = {}): string {
  const search = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => !!e[1])).toString();
  return `#${path}${search ? `?${search}` : ''}`;
}
