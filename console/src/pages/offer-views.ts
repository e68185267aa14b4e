import { html, nothing, type TemplateResult } from 'lit';
import type { Clause } from '../../../contracts/clauses/clause.ts';
import { describeClause } from '../../../contracts/clauses/texts.ts';
import { fillPlaceholders, type PlaceholderValues } from '../../../contracts/placeholders.ts';
import { LICENCE_TEMPLATES } from '../../../contracts/templates.ts';
import type { ItemOf, ResponseOf } from '../../../sdk/client.ts';
import { lang, t, tOr } from '../i18n/i18n.ts';
import type { PageContext } from '../router.ts';
import { formValues, parseJsonField, selectField, shortId, stateBadge, table, textField } from '../ui/components.ts';

type Offer = ItemOf<'listOffers'>;
type Template = ResponseOf<'listTemplates'>['items'][number];

/** A clause in plain words, as the licence document states it, with the names it mentions (`{{licensor}}`) filled in. */
export const clauseLine = (c: { kind: string; params?: Record<string, unknown> }, names: PlaceholderValues = {}): string =>
  fillPlaceholders(describeClause({ params: {}, ...c } as Clause, lang()), names);

/** A template's name in the reader's language (its id only for a template this console does not know). */
const templateTitle = (id: string): string => LICENCE_TEMPLATES.find((tpl) => tpl.id === id)?.title[lang()] ?? id;

/** Offers with their terms and a per-offer action cell. */
export function offerTable(offers: readonly Offer[], action: (offer: Offer) => TemplateResult | typeof nothing): TemplateResult {
  return table(
    t('offers.title'),
    [t('offers.template'), t('offers.clauses'), t('offers.price'), t('offers.audience'), t('offers.approval'), t('common.state'), t('common.actions')],
    offers.map(
      (o) => html`<tr data-offer=${o.id}>
        <td>${templateTitle(o.template)}</td>
        <td><ul class="cpt-clauses">${o.clauses.map((c) => html`<li>${clauseLine(c, { licensor: o.licensor.name })}</li>`)}</ul>${o.barter ? html`<p>${t('offers.barter')}</p>` : nothing}</td>
        <td>${o.price ? t('offers.credits', { credits: o.price.credits }) : t('offers.free')}</td>
        <td>${o.audience.map((k) => tOr(`kind.${k}`, k)).join(', ')}</td>
        <td>${t(o.approval === 'officer' ? 'offers.approval.officer' : 'offers.approval.auto')}</td>
        <td>${stateBadge('offer', o.state)}</td>
        <td>${action(o)}</td>
      </tr>`,
    ),
    { hiddenCaption: true },
  );
}

const AUDIENCES = ['public', 'dsp', 'private', 'collectivity'] as const;

/** The owner's form to offer a dataset under a template, extra clauses, a price and an audience. */
export function offerCreateForm(ctx: PageContext, datasetId: string, templates: readonly Template[]): TemplateResult {
  const submit = (e: Event) => {
    const form = e.currentTarget as HTMLFormElement;
    const v = formValues(e);
    const audience = [...form.querySelectorAll<HTMLInputElement>('input[name=audience]:checked')].map((i) => i.value);
    void ctx.act(async () => {
      const clauses = v.clauses ? parseJsonField<{ kind: string; params: Record<string, unknown> }[]>(v.clauses, t('offers.clauses')) : [];
      await ctx.api.call('createOffer', {
        body: {
          datasetId,
          template: v.template ?? '',
          clauses,
          audience: audience as never,
          approval: v.approval === 'officer' ? 'officer' : 'auto',
          ...(v.price ? { price: { credits: Number(v.price) } } : {}),
        },
      });
      return t('offers.createDone');
    });
  };
  return html`<section class="cpt-card" aria-labelledby="offer-create-title">
    <h2 id="offer-create-title" class="fr-h4">${t('offers.create')}</h2>
    <form id="offer-form" @submit=${submit}>
      ${selectField({ name: 'template', label: t('offers.template'), options: templates.map((tp) => [tp.id, tp.title[lang()]] as const) })}
      ${textField({ name: 'clauses', label: t('offers.clauses'), hint: '[{"kind":"purpose","params":{"allowed":["mobility-analytics"]}}]', textarea: true, rows: 3 })}
      <fieldset class="fr-fieldset"><legend class="fr-fieldset__legend">${t('offers.audience')}</legend>
        ${AUDIENCES.map((k) => html`<div class="fr-fieldset__element"><div class="fr-checkbox-group"><input type="checkbox" id="aud-${k}" name="audience" value=${k} ?checked=${k !== 'collectivity'} /><label class="fr-label" for="aud-${k}">${tOr(`kind.${k}`, k)}</label></div></div>`)}
      </fieldset>
      ${selectField({ name: 'approval', label: t('offers.approval'), options: [['auto', t('offers.approval.auto')], ['officer', t('offers.approval.officer')]] })}
      ${textField({ name: 'price', label: t('offers.price'), hint: t('ledger.credits'), type: 'number', min: '1' })}
      <button class="fr-btn" type="submit">${t('offers.create')}</button>
    </form>
  </section>`;
}
