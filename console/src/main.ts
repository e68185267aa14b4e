import '@gouvfr/dsfr/dist/dsfr.min.css';
import './console.css';
import { html, render, type TemplateResult } from 'lit';
import { ApiError, type ComptoirClient } from '../../sdk/client.ts';
import { lang, setLang, t } from './i18n/i18n.ts';
import { shell } from './layout.ts';
import { currentLocation, hrefOf, matchRoute, type PageContext } from './router.ts';
import { PUBLIC_ROUTES, ROUTES } from './routes.ts';
import { clientFor, endProviderSession, loginHref, resumeSession, signIn, signOut, storedKey, type Me } from './session.ts';
import { signInPage } from './pages/sign-in.ts';
import { alertBox, errorText, pageTitle } from './ui/components.ts';

const root = document.getElementById('app')!;
// The static loading line is not lit's: clear it before the first render.
root.textContent = '';
let session: { api: ComptoirClient; me: Me } | undefined;
let notices: TemplateResult[] = [];
let lastPath = '';
let content: TemplateResult = html`<p>${t('app.loading')}</p>`;
/** Each render's number: a slower, older render never paints over a newer one. */
let generation = 0;
/** Set when an action navigates: its notice must survive the hashchange that follows. */
let keepNotices = false;

/** Forgets the key; `why` explains it on the sign-in page. */
function endSession(why?: TemplateResult): void {
  signOut();
  session = undefined;
  lastPath = '';
  notices = why ? [why] : [];
}

function paint(): void {
  render(
    shell({
      ...(session ? { me: session.me } : {}),
      path: currentLocation().path,
      notices,
      content,
      onLang: () => {
        setLang(lang() === 'fr' ? 'en' : 'fr');
        lastPath = '';
        void show();
      },
      onSignOut: () => void leave(),
    }),
    root,
  );
}

/** Signs out: a key is forgotten; a session ends here, then at the provider, where the browser goes. */
async function leave(): Promise<void> {
  const api = session?.me.session ? session.api : undefined;
  let endSessionUrl: string | undefined;
  if (api) {
    try {
      endSessionUrl = await endProviderSession(api);
    } catch (error) {
      // The session still stands: say why and stay signed in.
      notices = [alertBox('error', errorText(error))];
      paint();
      return;
    }
  }
  endSession();
  if (endSessionUrl) return location.assign(endSessionUrl);
  location.hash = '#/';
  await show();
}

/** Renders the route in the address bar: the sign-in form without a key, the page otherwise. */
async function show(): Promise<void> {
  const run = ++generation;
  const { path, query } = currentLocation();
  const navigated = path !== lastPath;
  lastPath = path;
  const open = matchRoute(PUBLIC_ROUTES, path);
  if (open) return showPublic(run, path, open.entry, open.params, query, navigated);
  if (!session) {
    content = signInPage(loginHref(location.hash), async (key) => {
      try {
        session = await signIn(key);
        notices = [];
        lastPath = '';
        await show();
      } catch (error) {
        notices = [alertBox('error', error instanceof ApiError && error.status === 401 ? t('signin.invalid') : errorText(error))];
        paint();
      }
    });
    paint();
    if (navigated) focusTitle();
    return;
  }
  const matched = matchRoute(ROUTES, path);
  if (!matched) {
    content = html`${pageTitle(t('app.notFound'))}`;
    paint();
    return;
  }
  const { api, me } = session;
  const ctx: PageContext = {
    api,
    me,
    params: matched.params,
    query,
    refresh: () => show(),
    notify: (kind, text) => {
      notices = [...notices, alertBox(kind, text)];
      paint();
    },
    go: (to, q) => {
      const target = hrefOf(to, q);
      if (location.hash === target) return;
      keepNotices = true;
      location.hash = target;
    },
    act: async (action) => {
      let failed = false;
      try {
        const message = await action();
        notices = message ? [alertBox('success', message)] : [];
      } catch (error) {
        failed = true;
        notices = [alertBox('error', errorText(error))];
      }
      if (keepNotices) return;
      await show();
      // The clicked control may be gone: move focus to the outcome so it is announced and keyboard users keep their place.
      (document.querySelector<HTMLElement>('#notices .fr-alert') ?? (failed ? null : document.getElementById('page-title')))?.focus();
    },
  };
  let next: TemplateResult;
  try {
    const page = await matched.entry.page();
    next = await page(ctx);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      endSession(alertBox('warning', t(me.session ? 'auth.sessionEnded' : 'auth.revoked')));
      return show();
    }
    next = errorPage(error);
  }
  present(run, path, next, navigated);
}

/** A page anyone reads: the caller's key if signed in, none otherwise. */
async function showPublic(run: number, path: string, entry: (typeof PUBLIC_ROUTES)[number], params: Record<string, string>, query: URLSearchParams, navigated: boolean): Promise<void> {
  let next: TemplateResult;
  try {
    const page = await entry.page();
    next = await page({ api: session?.api ?? clientFor(), params, query, go: (to, q) => void (location.hash = hrefOf(to, q)) });
  } catch (error) {
    next = errorPage(error);
  }
  present(run, path, next, navigated);
}

/** A page that could not be built: its error, in the page's place. */
function errorPage(error: unknown): TemplateResult {
  return html`${pageTitle(t('app.error', { message: '' }).replace(/[:\s]+$/, ''))}${alertBox('error', errorText(error))}`;
}

/** Shows a rendered page unless a newer render started, and says which route the screen shows (for automation too). */
function present(run: number, path: string, next: TemplateResult, navigated: boolean): void {
  if (run !== generation) return;
  content = next;
  paint();
  root.dataset.renderedPath = path;
  if (navigated) focusTitle();
}

function focusTitle(): void {
  document.title = `${document.getElementById('page-title')?.textContent ?? ''} — ${t('app.name')}`;
  document.getElementById('page-title')?.focus();
}

window.addEventListener('hashchange', () => {
  if (!keepNotices) notices = [];
  keepNotices = false;
  void show();
});

async function boot(): Promise<void> {
  const key = storedKey();
  if (!key) {
    try {
      session = await resumeSession();
    } catch (error) {
      notices = [alertBox('error', errorText(error))];
    }
  } else {
    const api = clientFor(key);
    try {
      session = { api, me: await api.call('me') };
    } catch (error) {
      // Only a refused key ends the session; an outage keeps it for the next try.
      if (error instanceof ApiError && error.status === 401) endSession(alertBox('warning', t('auth.revoked')));
      else notices = [alertBox('error', errorText(error))];
    }
  }
  await show();
}

void boot();
