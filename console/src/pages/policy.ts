import { html, nothing, type TemplateResult } from 'lit';
import { PARTNER_KINDS } from '../../../contracts/clauses/kinds.ts';
import { ClassificationSchema, ThemeSchema } from '../../../schemas/dataset.ts';
import type { ResponseOf } from '../../../sdk/client.ts';
import { formatDate, lang, plural, t, tOr } from '../i18n/i18n.ts';
import type { Page, PageContext } from '../router.ts';
import { alertBox, errorText, pageTitle, table } from '../ui/components.ts';
import { clauseLine } from './offer-views.ts';
import { ruleBuilder, type BuilderData, type Draft } from './policy-builder.ts';
import { rulesOfJson } from './policy-form.ts';

type Preview = ResponseOf<'previewPolicy'>;
const OUTCOME_TONES: Record<Preview['items'][number]['outcome'], string> = { unchanged: 'success', allowed: 'info', changed: 'warning', refused: 'error' };

/** The draft being edited and its last preview, kept while the officer works. */
let draft: (Draft & { preview?: Preview; error?: TemplateResult }) | undefined;
/** The page's data, reused while the form re-renders after an edit (no request per keystroke). */
let data: (BuilderData & { policy: ResponseOf<'getPolicy'> }) | undefined;
let localUpdate = false;

/** The draft's rules, after the JSON view's pending edit if any; a JSON error is shown beside it and stops the action. */
function currentRules(): unknown[] {
  if (draft!.json !== undefined) {
    try {
      draft!.rules = rulesOfJson(draft!.json);
      draft!.json = undefined;
      draft!.jsonError = undefined;
    } catch (error) {
      draft!.jsonError = (error as Error).message;
      throw new Error(t('policy.invalidJson', { message: (error as Error).message }), { cause: error });
    }
  }
  return draft!.rules;
}

async function preview(ctx: PageContext): Promise<void> {
  try {
    draft!.error = undefined;
    draft!.preview = await ctx.api.call('previewPolicy', { body: { rules: currentRules() as never } });
  } catch (error) {
    draft!.preview = undefined;
    draft!.error = errorText(error);
  }
  localUpdate = true;
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

async function load(ctx: PageContext): Promise<NonNullable<typeof data>> {
  const [policy, clauses, zones, datasets] = await Promise.all([
    ctx.api.call('getPolicy'),
    ctx.api.call('listClauses'),
    ctx.api.call('listZones'),
    ctx.api.call('listDatasets', { query: { limit: 100 } }),
  ]);
  const fields = [...new Set(datasets.items.flatMap((d) => d.schema?.fields.map((f) => f.name) ?? []))].sort();
  return {
    policy,
    clauses: clauses.items,
    zones: zones.items.map((z) => z.name),
    fields,
    vocabulary: { themes: ThemeSchema.options, classifications: ClassificationSchema.options, partnerKinds: PARTNER_KINDS, clauses: Object.fromEntries(clauses.items.map((c) => [c.kind, c.params])) },
  };
}

/** The territory policy editor: each rule as a form (or as JSON for experts), a preview of the draft's effect on open offers, then publication. */
export const policyPage: Page = async (ctx) => {
  if (!localUpdate || !data) data = await load(ctx);
  localUpdate = false;
  const { policy, clauses } = data;
  const officer = ctx.me.role === 'officer';
  draft ??= { rules: structuredClone(policy.rules) as unknown[], variants: {} };
  const rerender = () => {
    localUpdate = true;
    void ctx.refresh();
  };
  const publish = () =>
    void ctx.act(async () => {
      try {
        const saved = await ctx.api.call('putPolicy', { body: { rules: currentRules() as never } });
        draft = undefined;
        return t('policy.published', { version: saved.version });
      } catch (error) {
        localUpdate = true;
        throw error;
      }
    });
  return html`${pageTitle(t('policy.title'), policy.updatedAt ? t('policy.version', { version: policy.version, date: formatDate(policy.updatedAt) }) : t('policy.versionOnly', { version: policy.version }))}
    <p>${t('policy.builderIntro')}</p>
    ${ruleBuilder(draft, data, { officer, changed: rerender })}
    ${officer
      ? html`<div class="cpt-actions fr-mb-3w">
          <button class="fr-btn fr-btn--secondary" type="button" id="preview-button" data-policy-action @click=${() => void preview(ctx)}>${t('policy.preview')}</button>
          <button class="fr-btn" type="button" id="publish-button" data-policy-action @click=${publish}>${t('policy.publish')}</button>
        </div>`
      : nothing}
    ${draft.error ? alertBox('error', draft.error) : nothing}
    ${draft.preview ? previewTable(draft.preview) : nothing}
    <details class="fr-mt-3w"><summary>${t('policy.clauseCatalogue')}</summary>
      ${table(t('policy.clauseCatalogue'), [t('policy.kind'), t('policy.mode'), t('common.details')], clauses.map((c) => html`<tr><td><code>${c.kind}</code></td><td>${tOr(`mode.${c.mode}`, c.mode)}</td><td>${c.title[lang()]}</td></tr>`), { hiddenCaption: true })}
    </details>`;
};
