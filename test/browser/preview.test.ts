import { rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from '../support/axe.ts';
import { builtConsole, launchBrowser, readmeScreenshotPath, rendered, shoot, signedInPage } from '../support/browser.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/** 120 records at two places (Grenoble, Lyon), three stations: three pages of 50, three groups. */
const ROWS = 120;
const CSV = [
  'id,station,amount,lat,lon',
  ...Array.from({ length: ROWS }, (_, i) => `${i + 1},S${i % 3},${i * 2},${i % 2 ? 45.19 + i / 10_000 : 45.76 + i / 10_000},${i % 2 ? 5.72 + i / 10_000 : 4.83 + i / 10_000}`),
  '',
].join('\n');
const SCHEMA = { fields: [{ name: 'id', type: 'integer' }, { name: 'station', type: 'string' }, { name: 'amount', type: 'number' }, { name: 'lat', type: 'number' }, { name: 'lon', type: 'number' }] };
/** A transparent 1×1 PNG: every basemap tile, so no test reaches the network. */
const TILE = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

describe('the dataset preview (table, map, chart, embeds), in headless Chromium', () => {
  let t: TestRuntime;
  let browser: Browser;
  let consoleDir: string;
  const ids = {} as Record<'open' | 'shared' | 'licence', string>;
  const violations: string[] = [];

  const publish = async (classification: 'open' | 'shared') => {
    const key = t.keys.dsp.key;
    const id = (await t.call('POST', '/v1/datasets', { key, body: { title: `Compteurs ${classification}`, description: 'Relevés', theme: 'water', classification, format: 'csv', schema: SCHEMA } })).body.id as string;
    const started = await t.call('POST', `/v1/datasets/${id}/versions`, { key, body: { bytes: Buffer.byteLength(CSV) } });
    await fetch(started.body.upload.url, { method: 'PUT', body: CSV });
    expect((await t.call('POST', `/v1/datasets/${id}/versions/1/complete`, { key, body: {} })).status).toBe(202);
    return id;
  };

  beforeAll(async () => {
    [consoleDir, browser] = await Promise.all([builtConsole(), launchBrowser()]);
    t = await startTestRuntime({ consoleDir });
    [ids.open, ids.shared] = await Promise.all([publish('open'), publish('shared')]);
    await t.runtime.settle();
    const { dsp, private: firm } = t.keys;
    const offerId = (await t.call('POST', '/v1/offers', { key: dsp.key, body: { datasetId: ids.shared, template: 'territorial-restricted', audience: ['private'], approval: 'auto', clauses: [{ kind: 'drop-fields', params: { fields: ['amount'] } }] } })).body.id;
    ids.licence = (await t.call('POST', '/v1/licences', { key: firm.key, body: { offerId, purpose: 'etude' } })).body.id;
    expect((await t.call('POST', `/v1/licences/${ids.licence}/sign`, { key: firm.key })).status).toBe(200);
    // The first query asks for the enforced copy, which the bus then builds.
    await t.call('GET', `/v1/licences/${ids.licence}/records?limit=1`, { key: firm.key });
    await t.runtime.settle();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  const check = async (page: Page, state: string) => {
    for (const v of await axeViolations(page)) violations.push(`${state}: ${v.id} ${v.help} — ${v.targets.slice(0, 3).join(', ')}`);
  };
  const column = (page: Page, index: number) => page.locator(`[data-preview-table] tbody tr td:nth-child(${index})`).allTextContents();
  const open = async (key: string, path: string) => {
    const { page, errors } = await signedInPage(browser, t.runtime.url, key);
    await page.route('https://data.geopf.fr/**', (route) => route.fulfill({ contentType: 'image/png', body: TILE }));
    await page.goto(`${t.runtime.url}/#${path}`);
    await rendered(page, path);
    return { page, errors };
  };

  it('pages a table forward and back, sorts by a header, narrows it with a filter and exports what it shows', async () => {
    // Arrange
    const { page, errors } = await open(t.keys.dsp.key, `/datasets/${ids.open}`);
    await page.getByRole('heading', { name: 'Aperçu' }).waitFor();
    await page.locator('[data-preview-count]', { hasText: '50 enregistrements sur cette page · Page 1' }).waitFor();
    expect((await column(page, 1)).slice(0, 2)).toEqual(['1', '2']);
    await check(page, 'table');

    // Act / Assert: forward, forward (the last page), back
    await page.getByRole('button', { name: 'Page suivante' }).click();
    await page.locator('[data-preview-count]', { hasText: 'Page 2' }).waitFor();
    expect((await column(page, 1))[0]).toBe('51');
    await page.getByRole('button', { name: 'Page suivante' }).click();
    await page.locator('[data-preview-count]', { hasText: '20 enregistrements sur cette page · Page 3' }).waitFor();
    expect(await page.getByRole('button', { name: 'Page suivante' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Page précédente' }).click();
    await page.locator('[data-preview-count]', { hasText: 'Page 2' }).waitFor();
    expect((await column(page, 1))[0]).toBe('51');

    // Sorting: ascending, then descending, back to the first page.
    await page.locator('[data-sort="amount"]').click();
    await page.locator('th[aria-sort="ascending"] [data-sort="amount"]').waitFor();
    await page.locator('[data-sort="amount"]').click();
    await page.locator('th[aria-sort="descending"] [data-sort="amount"]').waitFor();
    await page.locator('[data-preview-table] tbody tr:first-child td:nth-child(3)', { hasText: new RegExp(`^${(ROWS - 1) * 2}$`) }).waitFor();
    expect(await page.locator('[data-preview-count]').textContent()).toContain('Page 1');

    // A filter in words narrows the rows.
    await page.getByLabel('Colonne', { exact: true }).selectOption('station');
    await page.getByLabel('Condition').selectOption({ label: 'est égal à' });
    await page.getByLabel(/^Valeur/).fill('S1');
    await page.getByRole('button', { name: 'Ajouter le filtre' }).click();
    await page.getByRole('button', { name: 'Retirer le filtre : station est égal à S1' }).waitFor();
    await page.locator('[data-preview-count]', { hasText: '40 enregistrements sur cette page' }).waitFor();
    expect(new Set(await column(page, 2))).toEqual(new Set(['S1']));
    await check(page, 'table filtered and sorted');

    // The export links carry the filters and the sort: the CSV holds the 40 rows of S1.
    const csv = new URL(await page.locator('[data-export="csv"]').getAttribute('href') ?? '', t.runtime.url);
    expect(Object.fromEntries(csv.searchParams)).toEqual({ station__exact: 'S1', order_by: '-amount' });
    expect(await page.locator('[data-export="geojson"]').count()).toBe(1);
    const file = await (await fetch(csv)).text();
    expect(file.trim().split('\n')).toHaveLength(41);

    // An API refusal is an alert, never a blank page.
    await page.getByLabel('Colonne', { exact: true }).selectOption('amount');
    await page.getByLabel('Condition').selectOption({ label: 'contient' });
    await page.getByLabel(/^Valeur/).fill('12');
    await page.getByRole('button', { name: 'Ajouter le filtre' }).click();
    await page.locator('[data-preview] .fr-alert--error').waitFor();
    await check(page, 'table error');
    await page.getByRole('button', { name: /Retirer le filtre : amount contient/ }).click();
    await page.locator('[data-preview-count]', { hasText: '40 enregistrements' }).waitFor();

    // English
    await page.getByRole('button', { name: 'Switch the console to English' }).click();
    await page.getByRole('button', { name: 'Next page' }).waitFor();
    await page.getByRole('button', { name: 'Remove the filter: station equals S1' }).waitFor();
    await check(page, 'table in English');
    await page.getByRole('button', { name: 'Passer la console en français' }).click();
    await page.getByRole('button', { name: 'Page suivante' }).waitFor();

    // The column chooser: fewer columns, in the table and in the exports.
    await page.locator('[data-column-chooser] summary').click();
    // DSFR draws the box on the label; the input itself is hidden.
    for (const name of ['lat', 'lon']) await page.locator('[data-column-chooser] label', { hasText: new RegExp(`^${name}$`) }).click();
    expect(await page.locator('[data-column-chooser] input:checked').count()).toBe(3);
    await page.getByRole('button', { name: 'Appliquer' }).click();
    await expect.poll(() => page.locator('[data-preview-table] thead [data-sort]').evaluateAll((els) => els.map((e) => e.getAttribute('data-sort'))), { timeout: 15_000 }).toEqual(['id', 'station', 'amount']);
    expect(Object.fromEntries(new URL(await page.locator('[data-export="csv"]').getAttribute('href') ?? '', t.runtime.url).searchParams)).toEqual({ station__exact: 'S1', order_by: '-amount', select: 'id,station,amount' });
    // Without its point columns the answer has no points: no GeoJSON.
    expect(await page.locator('[data-export="geojson"]').count()).toBe(0);
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('maps the points of the area shown, reloads them by bbox after a move, and opens a record in a popup', async () => {
    // Arrange
    const { page, errors } = await open(t.keys.dsp.key, `/datasets/${ids.open}`);
    const bboxes: string[] = [];
    page.on('request', (r) => {
      const bbox = new URL(r.url()).searchParams.get('bbox');
      if (r.url().includes('/records') && bbox) bboxes.push(bbox);
    });

    // Act
    await page.getByRole('button', { name: 'Carte', exact: true }).click();
    await page.locator('[data-map-count]', { hasText: `${ROWS} points dans la zone affichée` }).waitFor();

    // Assert: every point is a marker, the tiles came from the configured basemap, the view was queried by bbox
    expect(await page.locator('.leaflet-marker-icon.cpt-marker').count()).toBe(ROWS);
    expect(await page.locator('.leaflet-tile-loaded').count()).toBeGreaterThan(0);
    expect(await page.locator('.leaflet-tile').first().getAttribute('src')).toContain('https://data.geopf.fr/wmts?');
    await expect.poll(() => bboxes.length, { timeout: 15_000 }).toBeGreaterThan(0);
    await check(page, 'map');

    // A marker opens its record, from the keyboard too.
    await page.locator('.leaflet-marker-icon.cpt-marker').first().focus();
    await page.keyboard.press('Enter');
    await page.locator('.leaflet-popup .cpt-popup dt', { hasText: 'station' }).waitFor();
    await check(page, 'map popup');

    // Zooming in on one town: the points of the other are no longer in view.
    const before = bboxes.length;
    for (let i = 0; i < 4; i++) await page.locator('.leaflet-control-zoom-in').click();
    await expect.poll(async () => Number((await page.locator('[data-map-count]').textContent())?.match(/\d+/)?.[0]), { timeout: 15_000 }).toBeLessThan(ROWS);
    expect(bboxes.length).toBeGreaterThan(before);
    expect(await page.locator('.leaflet-marker-icon.cpt-marker').count()).toBeLessThan(ROWS);
    await shoot(page, 'preview-map');
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('charts a group-by as bars with the same numbers in a table as the API answers', async () => {
    // Arrange
    const { page, errors } = await open(t.keys.dsp.key, `/datasets/${ids.open}`);
    await page.getByRole('button', { name: 'Graphique', exact: true }).click();
    await page.getByLabel('Regrouper par').waitFor();

    // Act
    await page.getByLabel('Regrouper par').selectOption('station');
    await page.getByLabel('Calcul').selectOption({ label: 'somme' });
    await page.getByLabel('Colonne numérique').selectOption('amount');
    await page.getByRole('button', { name: 'Tracer' }).click();
    await page.locator('[data-chart-table] tbody tr').first().waitFor();

    // Assert
    const api = (await t.call('GET', `/open/datasets/${ids.open}/records?group_by=station&aggregate=sum(amount)&order_by=station`)).body;
    const expected = api.records.map((r: Record<string, unknown>) => [r.station, String(r['sum(amount)'])]);
    const shown = await page.locator('[data-chart-table] tbody tr').evaluateAll((rows) => rows.map((r) => [r.querySelector('th')!.textContent, r.querySelector('td')!.getAttribute('data-value')]));
    expect(shown).toEqual(expected);
    expect(await page.locator('[data-preview-chart] rect.cpt-bars__bar').count()).toBe(3);
    expect(await page.locator('#chart-caption').textContent()).toBe('somme (amount) par station');
    await check(page, 'chart');
    await page.locator('[data-preview]').screenshot({ path: await readmeScreenshotPath('dataset-preview') });
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('embeds a view of open data that other sites may frame, while the console refuses to be framed', async () => {
    // Arrange: the table filtered, its embed code
    const { page, errors } = await open(t.keys.dsp.key, `/datasets/${ids.open}`);
    await page.getByLabel('Colonne', { exact: true }).selectOption('station');
    await page.getByLabel(/^Valeur/).fill('S2');
    await page.getByRole('button', { name: 'Ajouter le filtre' }).click();
    await page.locator('[data-preview-count]', { hasText: '40 enregistrements' }).waitFor();
    await page.locator('[data-embed] summary').click();
    const code = await page.getByLabel('Code d’intégration').inputValue();
    const src = /src="([^"]+)"/.exec(code)![1]!.replace(/&amp;/g, '&');
    expect(src).toBe(`${t.runtime.url}/embed.html#/datasets/${ids.open}/table?station__exact=S2`);
    expect(code).toContain('title="Tableau — Compteurs open"');
    await check(page, 'embed code');

    // Act: another site frames the embed and the console
    const host = await browser.newContext();
    const other = await host.newPage();
    // A real server of another origin on this machine: Chromium lets no page it deems public (a routed one) frame a loopback address.
    const site = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><title>Ville</title><iframe id="embed" title="vue" src="${src}"></iframe><iframe id="console" title="console" src="${t.runtime.url}/#/catalogue"></iframe>`));
    await new Promise<void>((done) => site.listen(0, '127.0.0.1', done));
    const framedErrors: string[] = [];
    other.on('pageerror', (e) => framedErrors.push(e.message));
    await other.goto(`http://localhost:${(site.address() as AddressInfo).port}/`);



    // Assert: the embed shows its filtered table, without the console's chrome, with a link back to the data
    const embed = other.frameLocator('#embed');
    await embed.locator('[data-preview-table] tbody tr').first().waitFor();
    expect(new Set(await embed.locator('[data-preview-table] tbody tr td:nth-child(2)').allTextContents())).toEqual(new Set(['S2']));
    expect(await embed.locator('header, footer, nav.fr-nav, [data-preview-filters], [data-embed]').count()).toBe(0);
    expect(await embed.locator('[data-back-link]').getAttribute('href')).toBe(`/#/donnees/${ids.open}`);
    expect(await other.frameLocator('#console').locator('#app').count()).toBe(0);
    expect(framedErrors).toEqual([]);
    const embedHeaders = (await fetch(`${t.runtime.url}/embed.html`)).headers;
    const consoleHeaders = (await fetch(`${t.runtime.url}/`)).headers;
    expect(embedHeaders.get('content-security-policy')).toContain('frame-ancestors *');
    expect(embedHeaders.get('x-frame-options')).toBeNull();
    expect(consoleHeaders.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(consoleHeaders.get('x-frame-options')).toBe('DENY');

    // The embed alone, each view: axe-clean
    const alone = await host.newPage();
    const alonErrors: string[] = [];
    alone.on('pageerror', (e) => alonErrors.push(e.message));
    await alone.route('https://data.geopf.fr/**', (route) => route.fulfill({ contentType: 'image/png', body: TILE }));
    await alone.goto(src);
    await alone.locator('[data-preview-table] tbody tr').first().waitFor();
    await check(alone, 'embed table');
    await alone.goto(`${t.runtime.url}/embed.html#/datasets/${ids.open}/chart?group_by=station&aggregate=count`);
    await alone.locator('[data-chart-table] tbody tr').first().waitFor();
    expect(await alone.locator('[data-preview-chart] rect').count()).toBe(3);
    await check(alone, 'embed chart');
    await alone.goto(`${t.runtime.url}/embed.html#/datasets/${ids.open}/map`);
    await alone.locator('[data-map-count]').waitFor();
    await check(alone, 'embed map');
    // The link back: the open dataset's public page, with its preview, without an account.
    await alone.goto(`${t.runtime.url}/#/donnees/${ids.open}`);
    await rendered(alone, `/donnees/${ids.open}`);
    await alone.getByRole('heading', { name: 'Compteurs open' }).waitFor();
    await alone.locator('[data-preview-count]', { hasText: '50 enregistrements' }).waitFor();
    expect(await alone.locator('#signed-in-as').count()).toBe(0);
    await check(alone, 'public dataset page');
    expect(alonErrors).toEqual([]);
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    await host.close();
    site.close();
    await page.context().close();
  });

  it('shows a licensee their enforced view only: the dropped column is absent', async () => {
    // Arrange
    const { page, errors } = await open(t.keys.private.key, `/licences/${ids.licence}`);

    // Act
    await page.locator('[data-preview-count]', { hasText: '50 enregistrements' }).waitFor();

    // Assert
    const headers = await page.locator('[data-preview-table] thead th').allTextContents();
    expect(headers.map((h) => h.trim())).toEqual(['id', 'station', 'lat', 'lon']);
    expect(await page.locator('[data-embed]').count()).toBe(0);
    expect(await page.locator('[data-exports]').count()).toBe(0);
    expect(await page.locator('[data-preview]').textContent()).toContain('GET /v1/licences/{id}/exports/csv');
    await check(page, 'licensee table');
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

});
