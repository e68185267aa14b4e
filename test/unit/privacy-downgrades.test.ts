import { describe, expect, expectTypeOf, it } from 'vitest';
import { privacyDowngradesOf } from '../../functions/domain/catalogue/privacy-downgrades.ts';
import type { Classification, PrivacyDowngrade, SchemaField } from '../../schemas/index.ts';

const nom: SchemaField = { name: 'nom', type: 'string', personal: true };
const commune: SchemaField = { name: 'commune', type: 'string' };
const dataset = (classification: Classification, fields: SchemaField[] = [nom, commune]) => ({ classification, schema: { fields } });

describe('privacy downgrades of a dataset edit', () => {
  it.each<[string, ReturnType<typeof dataset>, ReturnType<typeof dataset>, Partial<PrivacyDowngrade>[]]>([
    ['shouldRequireOfficer_when a personal flag is removed', dataset('restricted'), dataset('restricted', [{ ...nom, personal: false }, commune]), [{ kind: 'personal_flag_removed', field: 'nom' }]],
    ['shouldRequireOfficer_when the personal flag is left out', dataset('shared'), dataset('shared', [{ name: 'nom', type: 'string' }, commune]), [{ kind: 'personal_flag_removed', field: 'nom' }]],
    ['shouldRequireOfficer_when a personal field is removed', dataset('restricted'), dataset('restricted', [commune]), [{ kind: 'personal_field_removed', field: 'nom' }]],
    ['shouldRequireOfficer_when a personal field is renamed', dataset('restricted'), dataset('restricted', [{ ...nom, name: 'nom_abonne' }, commune]), [{ kind: 'personal_field_removed', field: 'nom' }]],
    ['shouldRequireOfficer_when shared becomes open', dataset('shared', [commune]), dataset('open', [commune]), [{ kind: 'classification_opened', from: 'shared', to: 'open' }]],
    ['shouldRequireOfficer_when restricted becomes shared', dataset('restricted'), dataset('shared'), [{ kind: 'restriction_lifted', from: 'restricted', to: 'shared' }]],
    [
      'shouldRequireOfficer_when restricted becomes open',
      dataset('restricted', [commune]),
      dataset('open', [commune]),
      [{ kind: 'classification_opened', from: 'restricted', to: 'open' }, { kind: 'restriction_lifted', from: 'restricted', to: 'open' }],
    ],
    [
      'shouldRequireOfficer_when flags drop and the dataset opens at once',
      dataset('restricted'),
      dataset('open', [{ ...nom, personal: false }, commune]),
      [{ kind: 'personal_flag_removed', field: 'nom' }, { kind: 'classification_opened' }, { kind: 'restriction_lifted' }],
    ],
  ])('%s', (_name, before, after, expected) => {
    const found = privacyDowngradesOf(before, after);
    expect(found).toEqual(expected.map((d) => expect.objectContaining(d)));
    for (const d of found) expect(d.description.length).toBeGreaterThan(20);
  });

  it.each<[string, ReturnType<typeof dataset>, ReturnType<typeof dataset>]>([
    ['shouldApplyAtOnce_when a personal flag is added', dataset('shared', [commune]), dataset('shared', [{ ...commune, personal: true }])],
    ['shouldApplyAtOnce_when a non-personal field is removed', dataset('restricted'), dataset('restricted', [nom])],
    ['shouldApplyAtOnce_when open becomes shared', dataset('open', [commune]), dataset('shared', [commune])],
    ['shouldApplyAtOnce_when shared becomes restricted', dataset('shared'), dataset('restricted')],
    ['shouldApplyAtOnce_when nothing about privacy changes', dataset('restricted'), dataset('restricted', [commune, nom])],
  ])('%s', (_name, before, after) => {
    expect(privacyDowngradesOf(before, after)).toEqual([]);
  });

  it('describes a file dataset without a schema by its classification only', () => {
    expect(privacyDowngradesOf({ classification: 'shared' }, { classification: 'open' })).toEqual([expect.objectContaining({ kind: 'classification_opened' })]);
    expectTypeOf(privacyDowngradesOf).returns.toEqualTypeOf<PrivacyDowngrade[]>();
  });
});
