import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { builtConsole, launchBrowser, readmeScreenshotPath, rendered, shoot, signedInPage } from '../support/browser.ts';

const CSV = 'station;date;mesure\nS1;2026-11-01;12.5\nS2;2026-11-01;9.75\n';
const SCHEMA = { fields: [{ name: 'station', type: 'string', required: true }, { name: 'date', type: 'date' }, { name: 'mesure', type: 'number' }] };

describe('web console in headless Chromium', () => {
  let t: TestRuntime;
  let browser: Browser;
  let consoleDir: string;
  let scratch: string;

  const dataset = async (key: string, title: string, extra: Record<string, unknown> = {}) => {
    const res = await t.call('POST', '/v1/datasets', { key, body: { title, description: 'Jeu de démonstration', theme: 'environment', classification: 'shared', format: 'csv', schema: SCHEMA, ...extra } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };
  const publish = async (key: string, id: string, body: string) => {
    const started = await t.call('POST', `/v1/datasets/${id}/versions`, { key, body: { bytes: Buffer.byteLength(body) } });
    expect((await fetch(started.body.upload.url, { method: 'PUT', body })).ok).toBe(true);
    await t.call('POST', `/v1/datasets/${id}/versions/${started.body.version.version}/complete`, { key, body: {} });
    await t.runtime.settle();
  };

  beforeAll(async () => {
    [consoleDir, browser, scratch] = await Promise.all([builtConsole(), launchBrowser(), mkdtemp(join(tmpdir(), 'comptoir-browser-'))]);
    t = await startTestRuntime({ consoleDir });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  it('serves the console at / with hashed assets and no external origin', async () => {
    const res = await fetch(`${t.runtime.url}/`);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toMatch(/<html lang="fr"/);
    expect(html).not.toMatch(/https?:\/\//);
    const assets = await readdir(join(consoleDir, 'assets'));
    const css = await readFile(join(consoleDir, 'assets', assets.find((a) => a.endsWith('.css'))!), 'utf8');
    // Fonts and icons ship with the console: no CDN.
    expect(css).not.toMatch(/url\(["']?https?:/);
    expect((await fetch(`${t.runtime.url}/assets/../../package.json`)).status).toBe(404);
    expect((await fetch(`${t.runtime.url}/v1/nothing-here`)).status).toBe(404);
  });

  it('lets an officer approve a pending request, then the partner signs and downloads the data', async () => {
    const id = await dataset(t.keys.public.key, 'Qualité de l’air par station');
    await publish(t.keys.public.key, id, CSV);
    const offer = await t.call('POST', '/v1/offers', { key: t.keys.public.key, body: { datasetId: id, template: 'territorial-restricted', audience: ['private'], approval: 'officer' } });
    expect(offer.status, JSON.stringify(offer.body)).toBe(201);
    const requested = await t.call('POST', '/v1/licences', { key: t.keys.private.key, body: { offerId: offer.body.id, purpose: 'etude-qualite-air' } });
    expect(requested.body.state).toBe('pending_approval');
    const licenceId = requested.body.id as string;

    const second = await t.call('POST', '/v1/licences', { key: t.keys.private.key, body: { offerId: offer.body.id, purpose: 'revente-donnees' } });
    expect(second.body.state).toBe('pending_approval');

    const officer = await signedInPage(browser, t.runtime.url, t.keys.officer.key);
    await officer.page.getByRole('link', { name: 'Demandes à approuver' }).click();
    // Enter in the refusal reason refuses: it never falls through to the approval button.
    const refused = officer.page.locator(`article[data-licence="${second.body.id}"]`);
    await refused.getByLabel('Motif du refus').fill('Finalité incompatible avec la politique du territoire');
    await refused.getByLabel('Motif du refus').press('Enter');
    await officer.page.getByText('Licence refusée.').waitFor();
    expect((await t.call('GET', `/v1/licences/${second.body.id}`, { key: t.keys.officer.key })).body.state).toBe('rejected');
    const card = officer.page.locator(`article[data-licence="${licenceId}"]`);
    await expect.poll(() => card.textContent()).toContain('Trajets Malins SAS demande « Qualité de l’air par station »');
    // The effective clauses in plain French, straight from the licence.
    expect(await card.locator('[data-clauses] li').allTextContents()).toEqual(requested.body.texts.fr);
    await shoot(officer.page, 'officer-inbox');
    await card.getByRole('button', { name: 'Approuver' }).click();
    await officer.page.getByText('Licence approuvée.').waitFor();
    expect(await officer.page.locator(`article[data-licence="${licenceId}"]`).count()).toBe(0);
    expect((await t.call('GET', `/v1/licences/${licenceId}`, { key: t.keys.officer.key })).body.state).toBe('awaiting_signature');

    const partner = await signedInPage(browser, t.runtime.url, t.keys.private.key);
    await partner.page.goto(`${t.runtime.url}/#/licences/${licenceId}`);
    await partner.page.getByRole('button', { name: 'Accepter et signer' }).click();
    await partner.page.getByText('Licence signée : elle est active.').waitFor();
    await partner.page.getByRole('button', { name: 'Accéder aux données' }).click();
    const link = partner.page.getByRole('link', { name: /Télécharger/ });
    await link.waitFor({ timeout: 20_000 });
    await shoot(partner.page, 'partner-licence-active');
    const href = await link.getAttribute('href');
    const bytes = await (await fetch(href!)).text();
    expect(bytes).toBe(CSV);
    expect(officer.errors.concat(partner.errors)).toEqual([]);
  });

  it('shows an operator the upload progress up to 100 %, in parts above 64 MiB, and the published version', async () => {
    const id = await dataset(t.keys.dsp.key, 'Relevés de compteurs', { schema: { fields: [{ name: 'id', type: 'integer', required: true }, { name: 'libelle', type: 'string' }] } });
    const file = join(scratch, 'releves.csv');
    const hash = createHash('sha256');
    const out = createWriteStream(file);
    const header = 'id,libelle\n';
    out.write(header);
    hash.update(header);
    let size = header.length;
    for (let row = 1; size < 66 * 1024 * 1024; row++) {
      const line = `${row},compteur numéro ${row} du secteur nord\n`;
      hash.update(line);
      size += Buffer.byteLength(line);
      if (!out.write(line)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    const sha256 = hash.digest('hex');

    const { page, errors } = await signedInPage(browser, t.runtime.url, t.keys.dsp.key);
    await page.goto(`${t.runtime.url}/#/datasets/${id}`);
    await page.getByLabel(/Fichier/).setInputFiles(file);
    await page.getByRole('button', { name: 'Téléverser' }).click();
    const seen = new Set<number>();
    const bar = page.locator('#upload-progress');
    await bar.waitFor();
    while (!seen.has(100)) {
      seen.add(Number(await bar.evaluate((el) => (el as unknown as { value: number }).value)));
      await page.waitForTimeout(50);
    }
    expect([...seen].some((v) => v > 0 && v < 100), `progress values ${[...seen].join(',')}`).toBe(true);
    await page.getByText(/Version 1 publiée/).waitFor({ timeout: 60_000 });
    expect(await page.locator('#upload-progress').evaluate((el) => (el as unknown as { value: number }).value)).toBe(100);
    const row = page.locator('tr[data-version="1"]');
    expect(await row.locator('[data-state]').getAttribute('data-state')).toBe('published');
    expect(await row.textContent()).toContain(sha256);
    await shoot(page, 'operator-upload-published');
    expect(errors).toEqual([]);
  });

  it('renders the main pages, every field labelled, in French then in English', async () => {
    const officer = await signedInPage(browser, t.runtime.url, t.keys.officer.key);
    const contract = await t.call('POST', '/v1/contracts', {
      key: t.keys.officer.key,
      body: { operatorId: t.keys.dsp.partnerId, service: 'Eau potable', startsOn: '2026-01-01', endsOn: '2030-12-31', obligations: [{ id: 'releves', title: 'Relevés mensuels', every: 'P1M', graceDays: 5 }] },
    });
    const pages: [string, string][] = [
      ['officer-home', '/'], ['officer-partners', '/partners'], ['officer-policy', '/policy'], ['officer-contracts', '/contracts'],
      ['officer-contract', `/contracts/${contract.body.id}`], ['officer-audit', '/audit'], ['officer-catalogue', '/catalogue'], ['officer-licences', '/licences'], ['officer-ledger', '/ledger'],
    ];
    for (const [name, path] of pages) {
      await officer.page.goto(`${t.runtime.url}/#${path}`);
      await rendered(officer.page, path);
      const unlabelled = await officer.page.$$eval('input:not([type=hidden]), select, textarea', (els) => els.filter((el) => (el as unknown as { labels: { length: number } }).labels.length === 0).map((el) => el.outerHTML));
      expect(unlabelled, `${name}: fields without a label`).toEqual([]);
      const ids = await officer.page.$$eval('[id]', (els) => els.map((el) => el.id));
      expect(ids.filter((id, i) => ids.indexOf(id) !== i), `${name}: duplicate ids`).toEqual([]);
      await shoot(officer.page, name);
    }
    // The contracts list says how each contract's deliveries stand, in words, as the API computes it.
    const compliance = (await t.call('GET', `/v1/contracts/${contract.body.id}/compliance`, { key: t.keys.officer.key })).body as { obligations: { status: string }[] };
    const words = { missing: 'livraison manquante', late: 'en retard', on_time: 'dans les délais' } as Record<string, string>;
    await officer.page.goto(`${t.runtime.url}/#/contracts`);
    await rendered(officer.page, '/contracts');
    const cell = officer.page.locator(`tr[data-contract="${contract.body.id}"] td`).last();
    expect(await cell.textContent()).toBe(`1 ${words[compliance.obligations[0]!.status]}`);
    await officer.page.goto(`${t.runtime.url}/#/policy`);
    await officer.page.getByText('Vue JSON (pour les experts)').click();
    await officer.page.getByLabel(/Règles \(JSON\)/).fill(JSON.stringify([{ id: 'environnement-approuve', when: { theme: 'environment' }, requireApproval: true }]));
    await officer.page.getByRole('button', { name: 'Prévisualiser l’effet' }).click();
    await officer.page.locator('#policy-preview').waitFor();
    expect(await officer.page.locator('#policy-preview').textContent()).toMatch(/\d+ offres? ouvertes? examinées? : \d+ combinaisons? offre × public/);
    await shoot(officer.page, 'officer-policy-preview');
    expect((await t.call('GET', '/v1/policy', { key: t.keys.officer.key })).body.version).toBe(0);

    await officer.page.goto(`${t.runtime.url}/#/audit`);
    // The register opens with the chain verified, its verdict at the top, before any click.
    await officer.page.getByText(/Chaîne intègre/).waitFor();
    expect(await officer.page.locator('#content .fr-alert--success').count()).toBe(1);
    // Actions read as words, not event names.
    await officer.page.locator('td[data-action="key.issued"]').first().waitFor();
    expect(await officer.page.locator('td[data-action="key.issued"]').first().textContent()).toBe('Clé d’API émise');
    // A register: the newest event first.
    const seqs = (await officer.page.locator('tbody tr td:first-child').allTextContents()).map(Number);
    expect(seqs.length).toBeGreaterThan(3);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    // Filtered by party and period from the form: every row the register keeps names that party's events.
    const firm = (await t.call('GET', `/v1/partners/${t.keys.private.partnerId}`, { key: t.keys.officer.key })).body.name as string;
    await officer.page.getByLabel('Partie concernée').selectOption({ label: firm });
    await officer.page.getByLabel('Du (jour, UTC)').fill(new Date().toISOString().slice(0, 10));
    await officer.page.locator('#audit-filters').getByRole('button', { name: 'Filtrer' }).click();
    await officer.page.waitForURL(/party=/);
    const expected = (await t.call('GET', `/v1/audit?order=desc&limit=100&party=${t.keys.private.partnerId}`, { key: t.keys.officer.key })).body.items.map((e: { seq: number }) => e.seq);
    // The unfiltered rows stay on screen until the filtered answer arrives, so wait for the table to change.
    await expect.poll(async () => (await officer.page.locator('tbody tr td:first-child').allTextContents()).map(Number), { timeout: 15_000 }).toEqual(expected);
    await officer.page.screenshot({ path: await readmeScreenshotPath('audit-register'), fullPage: true });
    await officer.page.getByRole('button', { name: 'Vérifier la chaîne' }).click();
    await officer.page.getByText(/Chaîne intègre/).waitFor();
    await officer.page.getByRole('button', { name: 'English' }).click();
    await officer.page.getByRole('heading', { name: 'Audit trail' }).waitFor();
    expect(await officer.page.getAttribute('html', 'lang')).toBe('en');
    await shoot(officer.page, 'officer-audit-en');
    await officer.page.getByRole('button', { name: 'Français' }).click();
    await officer.page.getByRole('heading', { name: 'Journal d’audit' }).waitFor();

    const partner = await signedInPage(browser, t.runtime.url, t.keys.private.key);
    for (const [name, path] of [['partner-catalogue', '/catalogue'], ['partner-offers', '/offers'], ['partner-licences', '/licences'], ['partner-subscriptions', '/subscriptions'], ['partner-barters', '/barters'], ['partner-ledger', '/ledger']] as const) {
      await partner.page.goto(`${t.runtime.url}/#${path}`);
      await rendered(partner.page, path);
      await shoot(partner.page, name);
    }
    // Keyboard: from the top of the page, the skip link is the first stop and moves focus to the page heading.
    await partner.page.evaluate("document.body.tabIndex = -1; document.body.focus(); document.body.removeAttribute('tabindex')");
    await partner.page.keyboard.press('Tab');
    expect(await partner.page.evaluate('document.activeElement?.textContent')).toBe('Aller au contenu');
    await partner.page.keyboard.press('Enter');
    expect(await partner.page.evaluate('document.activeElement?.id')).toBe('page-title');
    expect(officer.errors.concat(partner.errors)).toEqual([]);
  });

  it('shows offers in plain words, the licensor named in the clauses of the offer table and of the policy preview, never a {{placeholder}}', async () => {
    const id = await dataset(t.keys.dsp.key, 'Fréquentation des parkings relais');
    // The mobility template's attribution reads "Données : {{licensor}}".
    const offer = await t.call('POST', '/v1/offers', { key: t.keys.dsp.key, body: { datasetId: id, template: 'mobility', audience: ['private'] } });
    expect(offer.status, JSON.stringify(offer.body)).toBe(201);
    const partner = await signedInPage(browser, t.runtime.url, t.keys.private.key);
    await partner.page.goto(`${t.runtime.url}/#/offers`);
    await rendered(partner.page, '/offers');
    const clauses = await partner.page.locator(`tr[data-offer="${offer.body.id}"] .cpt-clauses`).innerText();
    expect(clauses).toContain('Données : Eaux du Grand Territoire (délégataire eau potable)');
    expect(clauses).not.toContain('{{');
    // Plain words: the template's French name and each clause as a sentence, never a kind or its parameters as JSON.
    expect(await partner.page.locator(`tr[data-offer="${offer.body.id}"] td`).first().innerText()).toBe('Licence mobilités territoriale');
    expect(clauses).not.toMatch(/[{}"]|share-back|attribution/);
    await partner.page.context().close();

    // The policy preview shows the clauses a draft would add to each offer, with that offer's licensor named.
    const officer = await signedInPage(browser, t.runtime.url, t.keys.officer.key);
    await officer.page.goto(`${t.runtime.url}/#/policy`);
    await officer.page.getByText('Vue JSON (pour les experts)').click();
    const draft = [{ id: 'mention-territoire', when: { theme: 'environment' }, require: [{ kind: 'attribution', params: { text: 'Réutilisation : {{licensor}}' } }] }];
    await officer.page.getByLabel(/Règles \(JSON\)/).fill(JSON.stringify(draft));
    await officer.page.getByRole('button', { name: 'Prévisualiser l’effet' }).click();
    await officer.page.locator('#policy-preview').waitFor();
    const preview = await officer.page.locator('#policy-preview').innerText();
    expect(preview).toContain('Réutilisation : Eaux du Grand Territoire (délégataire eau potable)');
    expect(preview).not.toContain('{{');
    await officer.page.context().close();
  });

  it('only calls operations the served OpenAPI document declares', async () => {
    const openapi = (await t.call('GET', '/openapi.json')).body as { paths: Record<string, Record<string, { operationId: string }>> };
    const declared = new Set(Object.values(openapi.paths).flatMap((methods) => Object.values(methods).map((op) => op.operationId)));
    const sources = await readdir(new URL('../../console/src/', import.meta.url), { recursive: true });
    const used = new Set<string>();
    for (const file of sources.filter((f) => f.endsWith('.ts'))) {
      const text = await readFile(new URL(`../../console/src/${file}`, import.meta.url), 'utf8');
      for (const m of text.matchAll(/\.(?:call|exchange|all)\('(\w+)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(30);
    expect([...used].filter((id) => !declared.has(id))).toEqual([]);
  });
});
