import { rm } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { builtConsole, launchBrowser, rendered, shoot } from '../support/browser.ts';

describe('the register of data sharing, in headless Chromium, without an account', () => {
  let t: TestRuntime;
  let browser: Browser;
  let consoleDir: string;
  const ids = {} as Record<'shown' | 'masked', string>;

  beforeAll(async () => {
    [consoleDir, browser] = await Promise.all([builtConsole(), launchBrowser()]);
    t = await startTestRuntime({ consoleDir });
    const { officer, dsp, private: firm } = t.keys;
    const schema = { fields: [{ name: 'station', type: 'string' }] };
    const dataset = (await t.call('POST', '/v1/datasets', { key: dsp.key, body: { title: 'Débits du réseau d’eau', description: 'x', theme: 'water', classification: 'restricted', format: 'csv', schema } })).body.id;
    const offer = (await t.call('POST', '/v1/offers', { key: dsp.key, body: { datasetId: dataset, template: 'territorial-restricted', audience: ['private'], approval: 'officer' } })).body.id;
    for (const [slot, purpose] of [['shown', 'etude-fuites'], ['masked', 'enquete-reseau']] as const) {
      ids[slot] = (await t.call('POST', '/v1/licences', { key: firm.key, body: { offerId: offer, purpose } })).body.id;
      await t.call('POST', `/v1/licences/${ids[slot]}/approve`, { key: officer.key, body: {} });
      expect((await t.call('POST', `/v1/licences/${ids[slot]}/sign`, { key: firm.key })).status).toBe(200);
    }
    const second = (await t.call('POST', `/v1/partners/${officer.partnerId}/keys`, { key: officer.key, body: { role: 'officer', label: 'second' } })).body.key;
    await t.call('POST', `/v1/register/${ids.masked}/mask`, { key: officer.key, body: { action: 'mask', reason: 'sécurité des réseaux' } });
    expect((await t.call('POST', `/v1/register/${ids.masked}/mask/approve`, { key: second, body: {} })).status).toBe(200);
    await t.runtime.settle();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('reads the register from the sign-in page, with its explanation, entries, clauses in French, masked entries and filters', async () => {
    // Arrange
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    // Act: no key, from the sign-in page's link
    await page.goto(`${t.runtime.url}/`);
    await page.getByRole('link', { name: 'Consulter le registre des partages sans compte' }).click();
    await rendered(page, '/registre');

    // Assert
    await page.getByRole('heading', { name: 'Registre des partages' }).waitFor();
    expect(await page.locator('[data-register-explanation]').textContent()).toContain('Aucune personne n’y est nommée');
    expect(await page.locator('#result-count').textContent()).toBe('2 licences');
    expect(await page.locator('[data-masked-summary]').textContent()).toContain('1 licence masquée : sécurité des réseaux');
    const shown = page.locator(`[data-register-entry="${ids.shown}"]`);
    expect(await shown.locator('h2').textContent()).toContain('Débits du réseau d’eau');
    expect(await shown.textContent()).toContain('Trajets Malins SAS');
    expect(await shown.locator('[data-clauses] li').allTextContents()).toContain('Les données ne peuvent être utilisées que pour : etude-fuites.');
    const masked = page.locator(`[data-register-entry="${ids.masked}"]`);
    expect(await masked.textContent()).toContain('Titre et finalité masqués : sécurité des réseaux');
    expect(await masked.textContent()).not.toContain('enquete-reseau');
    expect(await masked.textContent()).not.toContain('Débits du réseau');
    expect(await page.locator('[data-obligation]').count()).toBe(0);
    await shoot(page, 'public-register');

    // Filters: a state no entry is in leaves none.
    await page.getByLabel('État').selectOption('revoked');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.locator('#result-count', { hasText: '0 licence' }).waitFor();
    expect(await page.locator('#sign-in').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});
