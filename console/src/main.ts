import '@gouvfr/dsfr/dist/dsfr.min.css';
import './console.css';
import { html, render, type TemplateResult } from 'lit';
import { ApiError, type ComptoirClient } from '../../sdk/client.ts';
import { lang, setLang, t } from './i18n/i18n.ts';
import { shell } from './layout.ts';
import { currentLocation, hrefOf, matchRoute, type PageContext } from './router.ts';
import { ROUTES } from './routes.ts';
import { clientFor, signIn, signOut, storedKey, type Me } from './session.ts';
import { signInPage } from './pages/sign-in.ts';
import { alertBox, pageTitle } from './ui/components.ts';

const root = document.getElementById('app')!;
// The static loading line is not lit's: clear it before the first render.
root.textContent = '';
let session: { api: ComptoirClient; me: Me } | undefined;
let notices: TemplateResult[] = [];
let lastPath = '';
let content: TemplateResult = html`<p>${t('app.loading')}</p>`;

const errorText = (error: unknown): string => (error instanceof ApiError ? error.message : t('app.error', { message: String((error as Error)?.message ?? error) }));

function paint(): void {
  render(
    shell({
      ...(session ? { me: session.me } : {}),
      path: currentLocation().path,
      notices,
      content,
      onLang: () => {
        setLang(lang() === 'fr' ? 'en' : 'fr');
        void show();
      },
      onSignOut: () => {
        signOut();
        session = undefined;
        notices = [];
        location.hash = '#/';
        void show();
      },
    }),
    root,
  );
}

/** Renders the route in the address bar: the sign-in form without a key, the page otherwise. */
async function show(): Promise<void> {
  const { path, query } = currentLocation();
  const navigated = path !== lastPath;
  lastPath = path;
  if (!session) {
    content = signInPage(async (key) => {
      try {
        session = await signIn(key);
        notices = [];
        await show();
      } catch (error) {
        notices = [alertBox('error', error instanceof ApiError && error.status === 401 ? t('signin.invalid') : errorText(error))];
        paint();
      }
    });
    paint();
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
      notices = [];
      location.hash = hrefOf(to, q);
    },
    act: async (action) => {
      try {
        const message = await action();
        notices = message ? [alertBox('success', message)] : [];
      } catch (error) {
        notices = [alertBox('error', errorText(error))];
      }
      await show();
    },
  };
  try {
    const page = await matched.entry.page();
    content = await page(ctx);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      signOut();
      session = undefined;
      return show();
    }
    content = html`${pageTitle(t('app.error', { message: '' }).replace(/[:\s]+$/, ''))}${alertBox('error', errorText(error))}`;
  }
  paint();
  if (navigated) {
    document.title = `${document.getElementById('page-title')?.textContent ?? ''} — ${t('app.name')}`;
    document.getElementById('page-title')?.focus();
  }
}

window.addEventListener('hashchange', () => {
  notices = [];
  void show();
});

async function boot(): Promise<void> {
  const key = storedKey();
  if (key) {
    try {
      session = { api: clientFor(key), me: await clientFor(key).call('me') };
    } catch {
      signOut();
    }
  }
  await show();
}

void boot();
