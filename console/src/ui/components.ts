import { html, nothing, type TemplateResult } from 'lit';
import { ApiError } from '../../../sdk/client.ts';
import { t, tOr } from '../i18n/i18n.ts';

type Tone = 'success' | 'error' | 'warning' | 'info' | 'new';

const TONES: Record<string, Tone> = {
  active: 'success', published: 'success', on_time: 'success', fulfilled: 'success', accepted: 'success', delivered: 'success', open: 'info',
  pending_approval: 'new', awaiting_signature: 'new', proposed: 'new', validating: 'info', uploading: 'info', pending: 'info', ongoing: 'info',
  suspended: 'warning', late: 'warning', failing: 'warning', overdue: 'error', missing: 'error',
  rejected: 'error', revoked: 'error', terminated: 'warning', expired: 'warning', declined: 'warning', purged: 'warning', failed: 'error', dead: 'error', gone: 'error', disabled: 'error',
};

/** A DSFR badge for a state, labelled in the current language (`licence.active`…). */
export const stateBadge = (family: string, state: string): TemplateResult =>
  html`<p class="fr-badge fr-badge--sm fr-badge--${TONES[state] ?? 'info'} fr-badge--no-icon" data-state=${state}>${tOr(`${family}.${state}`, state)}</p>`;

/** The page's heading: focused after navigation so screen readers announce the new page. */
export const pageTitle = (text: string, lead?: string): TemplateResult =>
  html`<h1 id="page-title" tabindex="-1">${text}</h1>${lead ? html`<p class="fr-text--lead">${lead}</p>` : nothing}`;

export const alertBox = (tone: 'success' | 'error' | 'info' | 'warning', text: string | TemplateResult, title?: string): TemplateResult =>
  html`<div class="fr-alert fr-alert--${tone} fr-alert--sm fr-mb-3w" tabindex="-1" role=${tone === 'error' ? 'alert' : 'status'}>
    ${title ? html`<h3 class="fr-alert__title">${title}</h3>` : nothing}<p>${text}</p>
  </div>`;

/** A labelled text input; `hint` is tied to it with aria-describedby. */
export function textField(o: { name: string; label: string; id?: string; hint?: string; value?: string; required?: boolean; type?: string; pattern?: string; min?: string; minlength?: number; autocomplete?: string; textarea?: boolean; rows?: number }): TemplateResult {
  // Pass `id` when the same field repeats on a page (one per row): ids must stay unique for labels.
  const id = o.id ?? `f-${o.name}`;
  return html`<div class="fr-input-group">
    <label class="fr-label" for=${id}>${o.label}${o.hint ? html`<span class="fr-hint-text" id=${`${id}-hint`}>${o.hint}</span>` : nothing}</label>
    ${o.textarea
      ? html`<textarea class="fr-input" id=${id} name=${o.name} rows=${o.rows ?? 4} ?required=${o.required} minlength=${o.minlength ?? nothing} aria-describedby=${o.hint ? `${id}-hint` : nothing}>${o.value ?? ''}</textarea>`
      : html`<input class="fr-input" id=${id} name=${o.name} type=${o.type ?? 'text'} .value=${o.value ?? ''} ?required=${o.required} pattern=${o.pattern ?? nothing} min=${o.min ?? nothing} minlength=${o.minlength ?? nothing} autocomplete=${o.autocomplete ?? nothing} aria-describedby=${o.hint ? `${id}-hint` : nothing} />`}
  </div>`;
}

/** A labelled select; options are `[value, label]`. */
export function selectField(o: { name: string; label: string; id?: string; options: readonly (readonly [string, string])[]; value?: string; required?: boolean }): TemplateResult {
  const id = o.id ?? `f-${o.name}`;
  return html`<div class="fr-select-group">
    <label class="fr-label" for=${id}>${o.label}</label>
    <select class="fr-select" id=${id} name=${o.name} ?required=${o.required}>
      ${o.options.map(([value, label]) => html`<option value=${value} ?selected=${value === (o.value ?? '')}>${label}</option>`)}
    </select>
  </div>`;
}

/** The named values of a submitted form, trimmed. */
export function formValues(event: Event): Record<string, string> {
  event.preventDefault();
  const form = event.currentTarget as HTMLFormElement;
  return Object.fromEntries([...new FormData(form).entries()].map(([k, v]) => [k, typeof v === 'string' ? v.trim() : ''])) as Record<string, string>;
}

/** A table with a caption (shown or only for screen readers) and column headers. */
export function table(caption: string, headers: readonly string[], rows: readonly TemplateResult[], options: { hiddenCaption?: boolean } = {}): TemplateResult {
  if (rows.length === 0) return html`<p class="fr-mb-3w">${t('common.none')}</p>`;
  // The container scrolls when the table is wider than the screen: focusable and named, so a keyboard can scroll it too.
  return html`<div class="fr-table fr-table--bordered fr-mb-3w"><div class="fr-table__wrapper"><div class="fr-table__container" tabindex="0" role="region" aria-label=${caption}><div class="fr-table__content">
    <table>
      <caption class=${options.hiddenCaption ? 'fr-sr-only' : ''}>${caption}</caption>
      <thead><tr>${headers.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
      <tbody>${rows}</tbody>
    </table>
  </div></div></div></div>`;
}

/** A short id for tables, full id in the title for hover and copy. */
export const shortId = (id: string): TemplateResult => html`<code title=${id}>${id.length > 16 ? `${id.slice(0, 12)}…` : id}</code>`;

/** An API failure for people: a short text in the console's language, the platform's own (English) message marked as such. */
export function errorText(error: unknown): TemplateResult {
  if (error instanceof ApiError && error.code === 'acr_insufficient') {
    // The platform says where to sign in at the level it needs; come back to this very page.
    const login = (error.details?.[0] as { login?: string } | undefined)?.login ?? '/auth/login';
    const href = `${login}${login.includes('?') ? '&' : '?'}returnTo=${encodeURIComponent(`/${location.hash}`)}`;
    return html`${t('auth.acrInsufficient')} <a class="fr-link" href=${href}>${t('auth.signInStronger')}</a>`;
  }
  if (error instanceof ApiError) {
    const status = error.status >= 500 ? 500 : error.status;
    const summary = tOr(`error.${status}`, '');
    return html`${summary ? `${summary} — ` : nothing}<span lang="en">${error.message}</span>${error.correlationId ? ` (${t('error.correlation', { id: error.correlationId })})` : nothing}`;
  }
  return html`${t('app.error', { message: String((error as Error)?.message ?? error) })}`;
}

/** Parses JSON typed into a form; the error names the field in the console's language. */
export function parseJsonField<T>(text: string, field: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new Error(`${field} — ${t('common.invalidJson', { message: (error as Error).message })}`, { cause: error });
  }
}
