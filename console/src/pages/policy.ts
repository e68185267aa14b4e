import { html, nothing, type TemplateResult } from 'lit';
import type { ResponseOf } from '../../../sdk/client.ts';
import { formatDate, lang, plural, t, tOr } from '../i18n/i18n.ts';
import type { Page, PageContext } from '../router.ts';
import { alertBox, errorText, pageTitle, table } from '../ui/components.ts';
import { clauseLine } from './offer-views.ts';

type Preview = ResponseOf<'previewPolicy'>;
const OUTCOME_TONES: Record<Preview['items'][number]['outcome'], string> = { unchanged: 'success', allowed: 'info', changed: 'warning', refused: 'error' };

/** The draft being edited and its last preview, kept while the officer works. */
let draft: { text: string; preview?: Preview; error?: TemplateResult } | undefined;

function readRules(): unknown[] {
  const text = (document.getElementById('policy-rules') as HTMLTextAreaElement).value;
  draft = { text };
  try {
    const parsed = JSON.parse(text) as unknown;
    return Array.isArray(parsed) ? parsed : ((parsed as { rules?: unknown[] }).rules ?? []);
  } catch (error) {
    throw new Error(t('policy.invalidJson', { message: (error as Error).message }), { cause: error });
  }
}

async function preview(ctx: PageContext): Promise<void> {
  try {
    const rules = readRules();
    draft = { text: draft!.text, preview: await ctx.api.call('previewPolicy', { body: { rules: rules as never } }) };
  } catch (error) {
    draft = { text: draft?.text ?? '', error: errorText(error) };
  }
  await ctx.refresh();
}

function previewTable(p: Preview) {
  const refused = p.items.filter((i) => i.outcome === 'refused').length;
  const changed = p.items.filter((i) => i.outcome === 'changed').length;
  return html`<section aria-labelledby="preview-title" id="policy-preview">
    <h2 class="fr-h4" id="preview-title">${t('policy.previewTitle')}</h2>
    <p>${t('policy.previewIntro', { offers: plural(p.offers, 'n.offersExamined.one', 'n.offersExamined.other'), refused: plural(refused, 'n.pairsRefused.one', 'n.pairsRefused.other'), changed: plural(changed, 'n.pairsChanged.one', 'n.pairsChanged.other') })}</p>
    ${p.truncated ? alertBox('warning', t('policy.truncated', { offers: p.offers })) : nothing}
    ${table(t('policy.previewTitle'), [t('common.dataset'), t('licences.licensor'), t('policy.audience'), t('policy.outcome'), t('common.details')],
      p.items.map((i) => html`<tr data-outcome=${i.outcome}><td><a href="#/datasets/${i.datasetId}">${i.datasetTitle}</a></td><td>${i.licensor}</td><td>${tOr(`kind.${i.audience}`, i.audience)}</td>
        <td><p class="fr-badge fr-badge--sm fr-badge--no-icon fr-badge--${OUTCOME_TONES[i.outcome]}">${t(`policy.outcome.${i.outcome}`)}</p></td>
        <td>${i.violation ? html`<code>${i.violation.rule}</code> : ${i.violation.message}` : nothing}
          ${i.added.length ? html`<p class="fr-mb-0">${t('policy.added')}</p><ul>${i.added.map((c) => html`<li>${clauseLine(c, { licensor: i.licensor })}</li>`)}</ul>` : nothing}
          ${i.removed.length ? html`<p class="fr-mb-0">${t('policy.removed')}</p><ul>${i.removed.map((c) => html`<li>${clauseLine(c, { licensor: i.licensor })}</li>`)}</ul>` : nothing}
          ${i.requiresApproval && i.requiresApproval.before !== i.requiresApproval.after ? html`<p class="fr-mb-0">${t('policy.approvalNow', { value: t(i.requiresApproval.after ? 'common.yes' : 'common.no') })}</p>` : nothing}</td></tr>`),
      { hiddenCaption: true })}
  </section>`;
}

/** The territory policy editor: rules as JSON, a preview of their effect on open offers, then publication. */
export const policyPage: Page = async (ctx) => {
  const [policy, clauses] = await Promise.all([ctx.api.call('getPolicy'), ctx.api.call('listClauses')]);
  const officer = ctx.me.role === 'officer';
  const text = draft?.text ?? JSON.stringify(policy.rules, null, 2);
  const publish = () =>
    void ctx.act(async () => {
      const rules = readRules();
      const saved = await ctx.api.call('putPolicy', { body: { rules: rules as never } });
      draft = undefined;
      return t('policy.published', { version: saved.version });
    });
  return html`${pageTitle(t('policy.title'), policy.updatedAt ? t('policy.version', { version: policy.version, date: formatDate(policy.updatedAt) }) : t('policy.versionOnly', { version: policy.version }))}
    <div class="fr-input-group">
      <label class="fr-label" for="policy-rules">${t('policy.rules')}<span class="fr-hint-text" id="policy-rules-hint">${t('policy.rulesHint')}</span></label>
      <textarea class="fr-input cpt-code" id="policy-rules" rows="16" spellcheck="false" aria-describedby="policy-rules-hint" ?readonly=${!officer}>${text}</textarea>
    </div>
    ${officer
      ? html`<div class="cpt-actions fr-mb-3w">
          <button class="fr-btn fr-btn--secondary" type="button" id="preview-button" @click=${() => void preview(ctx)}>${t('policy.preview')}</button>
          <button class="fr-btn" type="button" id="publish-button" @click=${publish}>${t('policy.publish')}</button>
        </div>`
      : nothing}
    ${draft?.error ? alertBox('error', draft.error) : nothing}
    ${draft?.preview ? previewTable(draft.preview) : nothing}
    <details class="fr-mt-3w"><summary>${t('policy.clauseCatalogue')}</summary>
      ${table(t('policy.clauseCatalogue'), [t('policy.kind'), t('policy.mode'), t('common.details')], clauses.items.map((c) => html`<tr><td><code>${c.kind}</code></td><td>${tOr(`mode.${c.mode}`, c.mode)}</td><td>${c.title[lang()]}</td></tr>`), { hiddenCaption: true })}
    </details>`;
};
