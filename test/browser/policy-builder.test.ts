import { rm } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { builtConsole, launchBrowser, readmeScreenshotPath, rendered, signedInPage } from '../support/browser.ts';

describe('the policy rule builder, in headless Chromium', () => {
  let t: TestRuntime;
  let browser: Browser;
  let consoleDir: string;
  let dataset: string;

  beforeAll(async () => {
    [consoleDir, browser] = await Promise.all([builtConsole(), launchBrowser()]);
    t = await startTestRuntime({ consoleDir });
    const { dsp, officer } = t.keys;
    const schema = { fields: [{ name: 'horodatage', type: 'datetime' }, { name: 'vehicule', type: 'string' }, { name: 'position', type: 'geopoint' }] };
    dataset = (await t.call('POST', '/v1/datasets', { key: dsp.key, body: { title: 'Trajets des vélos en libre-service', description: 'Traces anonymisées', theme: 'mobility', classification: 'restricted', format: 'csv', schema } })).body.id;
    const [offer, zone] = await Promise.all([
      t.call('POST', '/v1/offers', { key: dsp.key, body: { datasetId: dataset, template: 'mobility', audience: ['private', 'public'] } }),
      t.call('PUT', '/v1/zones/abords-ecoles', { key: officer.key, body: { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[2.3, 48.8], [2.31, 48.8], [2.31, 48.81], [2.3, 48.8]]] }, properties: {} }] } }),
    ]);
    expect(offer.status, JSON.stringify(offer.body)).toBe(201);
    expect(zone.status, JSON.stringify(zone.body)).toBe(200);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('lets an officer build a rule with the form, preview its effect on the open offers and publish it, the JSON view and the API reflecting it', async () => {
    // Arrange
    const { page, errors } = await signedInPage(browser, t.runtime.url, t.keys.officer.key);
    await page.goto(`${t.runtime.url}/#/policy`);
    await rendered(page, '/policy');

    // Act (DSFR draws its boxes over the inputs: labels take the clicks): a rule for restricted mobility data asked by firms
    await page.getByRole('button', { name: 'Ajouter une règle' }).click();
    const rule = page.locator('[data-rule-index="0"]');
    await rule.getByLabel(/^Identifiant de la règle/).fill('mobilite-restreinte-entreprises');
    await rule.getByLabel('Description (facultative)').fill('Les entreprises accèdent aux traces de mobilité avec un quota et des véhicules pseudonymisés.');
    await rule.locator('#rule-0-themes').getByText('Mobilité', { exact: true }).click();
    await rule.locator('#rule-0-classifications').getByText('restreint', { exact: true }).click();
    await rule.locator('#rule-0-kinds').getByText('entreprise', { exact: true }).click();
    await rule.getByLabel('Clause à ajouter').selectOption('quota');
    await rule.getByRole('button', { name: 'Ajouter la clause' }).click();
    const quota = rule.locator('[data-clause="quota"]');
    await quota.getByLabel(/^Nombre d’accès/).fill('100');
    await quota.getByLabel('Nombre', { exact: true }).fill('1');
    await quota.getByLabel('Unité').selectOption({ label: 'jours' });
    await rule.getByLabel('Clause à ajouter').selectOption('pseudonymise-fields');
    await rule.getByRole('button', { name: 'Ajouter la clause' }).click();
    const pseudonymise = rule.locator('[data-clause="pseudonymise-fields"]');
    await pseudonymise.getByRole('button', { name: 'Ajouter : Champs' }).click();
    await pseudonymise.getByLabel('Champs n° 1').fill('vehicule');
    await rule.locator('#rule-0-forbid').getByText(/partage en retour/i).click();
    await rule.locator('#rule-0-max').getByLabel('Nombre', { exact: true }).fill('1');
    await rule.locator('#rule-0-max').getByLabel('Unité').selectOption({ label: 'ans' });
    await rule.getByText('Approbation par la collectivité requise', { exact: true }).click();
    await page.getByRole('button', { name: 'Prévisualiser l’effet' }).click();
    await page.locator('#policy-preview').waitFor();
    await page.locator('#policy-builder').screenshot({ path: await readmeScreenshotPath('policy-rule-builder') });

    // Assert: the preview, for the firms' audience, adds the quota and the pseudonymisation
    const expected = {
      id: 'mobilite-restreinte-entreprises',
      description: 'Les entreprises accèdent aux traces de mobilité avec un quota et des véhicules pseudonymisés.',
      when: { theme: ['mobility'], classification: ['restricted'], licenseeKinds: ['private'] },
      require: [{ kind: 'quota', params: { count: 100, per: 'P1D' } }, { kind: 'pseudonymise-fields', params: { fields: ['vehicule'] } }],
      forbid: ['share-back'],
      maxDuration: 'P1Y',
      requireApproval: true,
    };
    const firms = page.locator('#policy-preview tr', { hasText: 'entreprise' });
    expect(await firms.getAttribute('data-outcome')).toBe('changed');
    expect(await firms.innerText()).toMatch(/100/);
    expect(await page.locator('#policy-preview tr', { hasText: 'acteur public' }).getAttribute('data-outcome')).toBe('unchanged');
    expect(await page.locator('#policy-field-names option[value="vehicule"]').count()).toBe(1);
    await page.getByText('Vue JSON (pour les experts)').click();
    expect(JSON.parse(await page.getByLabel(/Règles \(JSON\)/).inputValue())).toEqual([expected]);
    expect((await t.call('GET', '/v1/policy', { key: t.keys.officer.key })).body.version).toBe(0);

    // Act: publication
    await page.getByRole('button', { name: 'Publier la nouvelle version' }).click();
    await page.getByText('Politique publiée : version 1.').waitFor();

    // Assert: the API has the rule as the form built it
    const policy = await t.call('GET', '/v1/policy', { key: t.keys.officer.key });
    expect(policy.body).toMatchObject({ version: 1, rules: [expected] });
    expect(await page.locator('#rule-0-id').inputValue()).toBe('mobilite-restreinte-entreprises');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('shows JSON edits in the form and form edits in the JSON, keeping intact a rule the form cannot show', async () => {
    // Arrange
    const { page, errors } = await signedInPage(browser, t.runtime.url, t.keys.officer.key);
    await page.goto(`${t.runtime.url}/#/policy`);
    await rendered(page, '/policy');
    const zoned = { id: 'ecoles', when: { theme: 'mobility', personalFields: true }, require: [{ kind: 'exclusion-zones', params: { zone: 'abords-ecoles', position: { geopoint: 'position' } } }, { kind: 'validity', params: { maxDuration: 'P6M' } }] };
    const unusual = { id: 'duree-composee', when: { classification: 'shared' }, maxDuration: 'P1Y6M' };

    // Act: the JSON view edited, then left
    await page.getByText('Vue JSON (pour les experts)').click();
    const json = page.getByLabel(/Règles \(JSON\)/);
    await json.fill(JSON.stringify([zoned, unusual]));
    await json.blur();

    // Assert: the form shows the first rule, the second is named as JSON-only
    await page.locator('#rule-0-id').waitFor();
    expect(await page.locator('#rule-0-id').inputValue()).toBe('ecoles');
    expect(await page.locator('#rule-0-themes').getByLabel('Mobilité').isChecked()).toBe(true);
    expect(await page.locator('#rule-0-personal').getByLabel('oui').isChecked()).toBe(true);
    const zone = page.locator('[data-clause="exclusion-zones"]');
    expect(await zone.getByLabel('Couche de zones').inputValue()).toBe('abords-ecoles');
    expect(await zone.getByRole('radio', { name: 'Champ géopoint' }).isChecked()).toBe(true);
    expect(await zone.locator('input[list="policy-field-names"]').inputValue()).toBe('position');
    const validity = page.locator('[data-clause="validity"]');
    expect(await validity.getByLabel('Nombre', { exact: true }).inputValue()).toBe('6');
    expect(await validity.getByLabel('Unité').inputValue()).toBe('M');
    expect(await page.locator('[data-json-only="1"]').innerText()).toContain('duree-composee');

    // Act: the form edited (six months become two years, the personal-data condition dropped)
    await validity.getByLabel('Nombre', { exact: true }).fill('2');
    await validity.getByLabel('Unité').selectOption({ label: 'ans' });
    await page.locator('#rule-0-personal').getByText('indifférent', { exact: true }).click();

    // Assert: the JSON view follows, and the rule the form cannot show is unchanged
    const edited = { ...zoned, when: { theme: 'mobility' }, require: [zoned.require[0], { kind: 'validity', params: { maxDuration: 'P2Y' } }] };
    // The form re-renders after each change: the JSON view shows the edit once painted.
    await expect.poll(async () => JSON.parse(await json.inputValue())).toEqual([edited, unusual]);
    await page.getByRole('button', { name: 'Publier la nouvelle version' }).click();
    await page.getByText(/Politique publiée : version \d+\./).waitFor();
    // The platform stores conditions as lists and an absent `require` as none.
    const stored = [{ ...edited, when: { theme: ['mobility'] } }, { ...unusual, when: { classification: ['shared'] }, require: [] }];
    expect((await t.call('GET', '/v1/policy', { key: t.keys.officer.key })).body.rules).toEqual(stored);
    expect(errors).toEqual([]);
  });
});
