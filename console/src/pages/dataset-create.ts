import { html } from 'lit';
import { ClassificationSchema, DatasetFormatSchema, ThemeSchema } from '../../../schemas/dataset.ts';
import { t, tOr } from '../i18n/i18n.ts';
import type { Page } from '../router.ts';
import { formValues, pageTitle, parseJsonField, selectField, textField } from '../ui/components.ts';

const EXAMPLE_SCHEMA = '{"fields":[{"name":"station","type":"string","required":true},{"name":"mesure","type":"number"}]}';

/** Registers a dataset: metadata and, for tabular formats, its Table Schema. */
export const datasetCreatePage: Page = async (ctx) => {
  const submit = (e: Event) => {
    const v = formValues(e);
    void ctx.act(async () => {
      const dataset = await ctx.api.call('createDataset', {
        body: {
          title: v.title ?? '',
          description: v.description ?? '',
          theme: v.theme as never,
          classification: v.classification as never,
          format: v.format as never,
          keywords: (v.keywords ?? '').split(',').map((k) => k.trim()).filter(Boolean),
          ...(v.schema ? { schema: parseJsonField<never>(v.schema, t('create.schemaField')) } : {}),
        },
      });
      ctx.go(`/datasets/${dataset.id}`);
      return t('create.done');
    });
  };
  return html`${pageTitle(t('create.title'))}
    <form id="dataset-form" @submit=${submit}>
      ${textField({ name: 'title', label: t('create.titleField'), required: true })}
      ${textField({ name: 'description', label: t('dataset.description'), required: true, textarea: true })}
      ${selectField({ name: 'theme', label: t('catalogue.theme'), options: ThemeSchema.options.map((o) => [o, tOr(`theme.${o}`, o)] as const) })}
      ${selectField({ name: 'classification', label: t('catalogue.classification'), options: ClassificationSchema.options.map((o) => [o, tOr(`classification.${o}`, o)] as const), value: 'shared' })}
      ${selectField({ name: 'format', label: t('dataset.format'), options: DatasetFormatSchema.options.map((o) => [o, tOr(`format.${o}`, o)] as const) })}
      ${textField({ name: 'keywords', label: t('dataset.keywords'), hint: t('create.keywordsHint') })}
      ${textField({ name: 'schema', label: t('create.schemaField'), hint: `${t('create.schemaHint')} ${EXAMPLE_SCHEMA}`, textarea: true, rows: 6 })}
      <button class="fr-btn" type="submit">${t('create.submit')}</button>
    </form>`;
};
