import { rm } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { builtConsole, launchBrowser, shoot, signedInPage } from '../support/browser.ts';

const SCHEMA = { fields: [{ name: 'nom', type: 'string', personal: true }, { name: 'commune', type: 'string' }] };

describe('dataset changes in the officers inbox, in headless Chromium', () => {
  let t: TestRuntime;
  let browser: Browser;
  let consoleDir: string;

  beforeAll(async () => {
    [consoleDir, browser] = await Promise.all([builtConsole(), launchBrowser()]);
    t = await startTestRuntime({ consoleDir });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('shows what a pending change would expose, in French, and applies it on approval', async () => {
    const created = await t.call('POST', '/v1/datasets', { key: t.keys.dsp.key, body: { title: 'Abonnés par commune', description: 'x', theme: 'water', classification: 'restricted', format: 'csv', schema: SCHEMA } });
    const patched = await t.call('PATCH', `/v1/datasets/${created.body.id}`, { key: t.keys.dsp.key, body: { classification: 'shared', schema: { fields: [{ name: 'nom', type: 'string' }, { name: 'commune', type: 'string' }] } } });
    expect(patched.status).toBe(202);

    const officer = await signedInPage(browser, t.runtime.url, t.keys.officer.key);
    await officer.page.getByRole('link', { name: 'Demandes à approuver' }).click();
    const card = officer.page.locator(`article[data-dataset-change="${patched.body.id}"]`);
    await card.waitFor();

    expect(await card.locator('[data-downgrades] li').allTextContents()).toEqual([
      expect.stringContaining('Le champ « nom » ne serait plus marqué personnel'),
      expect.stringContaining('Classification restreint → partagé'),
    ]);
    await shoot(officer.page, 'officer-inbox-dataset-change');
    await card.getByRole('button', { name: 'Approuver' }).click();
    await officer.page.getByText('Modification approuvée et appliquée.').waitFor();

    expect(await officer.page.locator(`article[data-dataset-change="${patched.body.id}"]`).count()).toBe(0);
    expect((await t.call('GET', `/v1/datasets/${created.body.id}`, { key: t.keys.dsp.key })).body.classification).toBe('shared');
    expect(officer.errors).toEqual([]);
  });
});
