import { readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { DEMO_PEOPLE, seedDemoPeople } from '../../infra/local/demo-people.ts';
import { startLocalOpenIdProvider, type LocalOpenIdProvider } from '../../infra/local/openid-provider.ts';
import { axeViolations, RGAA_TAGS, type AxeViolation } from '../support/axe.ts';
import { builtConsole, launchBrowser, rendered, signedInPage } from '../support/browser.ts';

/** The results the statement page is built from; `COMPTOIR_UPDATE_ACCESSIBILITY=1` rewrites them from this run. */
const AUDIT_FILE = fileURLToPath(new URL('../../console/src/accessibility/audit.json', import.meta.url));
const UPDATE = process.env.COMPTOIR_UPDATE_ACCESSIBILITY === '1';
const CSV = 'station,mesure\nNord,12\nSud,7\n';

type Role = 'officer' | 'dsp' | 'private' | 'member';
const ROLE_NAMES: Record<Role, string> = { officer: 'agent de la collectivité', dsp: 'administrateur d’un délégataire', private: 'administrateur d’une entreprise', member: 'membre d’une entreprise' };
const found = (where: string, v: AxeViolation[]) => v.map((x) => `${where}: ${x.id} (${x.impact}) ${x.help} — ${x.targets.slice(0, 3).join(', ')}`);

/** What a screen reader would announce for the focused element: its label, aria-label or text. */
const focusedName = (page: Page): Promise<string> =>
  page.evaluate(`(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return '';
    const labelled = el.labels && el.labels[0] ? el.labels[0].textContent : null;
    return (el.getAttribute('aria-label') ?? labelled ?? el.textContent ?? '').replace(/\\s+/g, ' ').trim();
  })()`);

/** Presses Tab until the focused element's name matches, as a keyboard user would; fails after `max` presses. */
async function tabTo(page: Page, name: RegExp, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (name.test(await focusedName(page))) return;
  }
  throw new Error(`no element named ${name} reached with ${max} presses of Tab`);
}

/** Signs in from the sign-in page with the keyboard alone. */
async function signInWithKeyboard(page: Page, baseUrl: string, key: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await tabTo(page, /^Clé d’API/);
  await page.keyboard.type(key);
  await page.keyboard.press('Enter');
  await page.locator('#signed-in-as').waitFor();
}

describe('accessibility (RGAA 4.1 through the WCAG 2.1 A and AA rules), in headless Chromium', () => {
  let t: TestRuntime;
  let browser: Browser;
  let consoleDir: string;
  let idp: LocalOpenIdProvider;
  let member: string;
  const ids = {} as Record<'dataset' | 'licence' | 'contract', string>;
  const pages: string[] = [];
  const states: string[] = [];
  const violations: string[] = [];

  beforeAll(async () => {
    [consoleDir, browser, idp] = await Promise.all([builtConsole(), launchBrowser(), startLocalOpenIdProvider({ people: DEMO_PEOPLE })]);
    t = await startTestRuntime({ consoleDir, openId: idp });
    const { identityService } = await import('../../functions/wiring/identity.ts');
    const { peopleService } = await import('../../functions/wiring/people.ts');
    await seedDemoPeople(identityService, peopleService, t.keys);
    const { dsp, private: firm } = t.keys;
    const schema = { fields: [{ name: 'station', type: 'string' }, { name: 'mesure', type: 'integer' }] };
    ids.dataset = (await t.call('POST', '/v1/datasets', { key: dsp.key, body: { title: 'Débits du réseau d’eau', description: 'Relevés horaires', theme: 'water', classification: 'restricted', format: 'csv', schema } })).body.id;
    const started = await t.call('POST', `/v1/datasets/${ids.dataset}/versions`, { key: dsp.key, body: { bytes: CSV.length } });
    await fetch(started.body.upload.url, { method: 'PUT', body: CSV });
    await t.call('POST', `/v1/datasets/${ids.dataset}/versions/1/complete`, { key: dsp.key, body: {} });
    const offer = (await t.call('POST', '/v1/offers', { key: dsp.key, body: { datasetId: ids.dataset, template: 'territorial-restricted', audience: ['private'], approval: 'officer' } })).body.id;
    ids.licence = (await t.call('POST', '/v1/licences', { key: firm.key, body: { offerId: offer, purpose: 'etude-fuites' } })).body.id;
    member = (await t.call('POST', `/v1/partners/${firm.partnerId}/keys`, { key: firm.key, body: { role: 'member', label: 'lecture' } })).body.key;
    await t.runtime.settle();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
    await idp?.close();
  });

  const keyOf = (role: Role) => (role === 'member' ? member : t.keys[role].key);
  const visit = async (page: Page, path: string) => {
    await page.goto(`${t.runtime.url}/#${path}`);
    await rendered(page, path);
  };
  const check = async (page: Page, where: string, list: string[]) => {
    list.push(where);
    violations.push(...found(where, await axeViolations(page)));
  };

  it('finds no violation on any page of the console, for each role and without an account', async () => {
    // Arrange: every route, with the fixtures' ids
    const paths = [
      '/', '/catalogue', '/datasets/new', `/datasets/${ids.dataset}`, '/offers', '/licences', `/licences/${ids.licence}`, '/inbox', '/partners',
      `/partners/${t.keys.dsp.partnerId}`, '/policy', '/contracts', '/audit', '/ledger', '/barters', '/subscriptions',
    ];
    const label = (p: string) => p.replace(ids.dataset, ':id').replace(ids.licence, ':id').replace(t.keys.dsp.partnerId, ':id');

    // Act: the roles side by side, each page in turn
    await Promise.all(
      (Object.keys(ROLE_NAMES) as Role[]).map(async (role) => {
        const { page, errors } = await signedInPage(browser, t.runtime.url, keyOf(role));
        for (const path of paths) {
          await visit(page, path);
          await check(page, `${label(path)} (${ROLE_NAMES[role]})`, pages);
        }
        expect(errors).toEqual([]);
      }),
    );
    const anonymous = await (await browser.newContext()).newPage();
    for (const path of ['/', '/registre', '/accessibilite']) {
      await anonymous.goto(`${t.runtime.url}/#${path}`);
      await anonymous.locator('#page-title').waitFor();
      await check(anonymous, `${path} (sans compte)`, pages);
    }

    // Assert
    expect(violations).toEqual([]);
    expect(pages).toHaveLength(paths.length * 4 + 3);
  }, 240_000);

  it('finds no violation in the states that matter: an error shown, a table filtered, an invalid form, a person signed in with ProConnect', async () => {
    // An error shown: a key that does not exist
    const context = await browser.newContext();
    const signIn = await context.newPage();
    await signIn.goto(`${t.runtime.url}/`);
    await signIn.getByLabel('Clé d’API').fill('cpt_inconnue');
    await signIn.getByRole('button', { name: 'Se connecter' }).click();
    await signIn.locator('#notices .fr-alert--error').waitFor();
    await check(signIn, 'connexion refusée (erreur affichée)', states);

    // A table filtered, in the register and the catalogue
    await signIn.goto(`${t.runtime.url}/#/registre?theme=water`);
    await signIn.locator('#result-count').waitFor();
    await check(signIn, 'registre filtré par thème', states);
    const { page } = await signedInPage(browser, t.runtime.url, t.keys.officer.key);
    await visit(page, '/catalogue');
    await page.getByLabel('Thème').selectOption('water');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.locator(`a[href="#/datasets/${ids.dataset}"]`).waitFor();
    await check(page, 'catalogue filtré par thème', states);

    // An invalid form: a schema that is not JSON, refused in the page
    await visit(page, '/datasets/new');
    await page.getByLabel(/^Titre/).fill('Compteurs');
    await page.getByLabel(/^Description/).fill('Relevés');
    await page.getByLabel(/^Schéma/).fill('{"fields": [');
    await page.getByRole('button', { name: 'Déclarer' }).click();
    await page.locator('#notices .fr-alert--error').waitFor();
    await check(page, 'déclaration de jeu de données refusée (schéma invalide)', states);

    // The policy rule builder with a rule being built: conditions, a clause with a duration, a field list, the JSON view open
    await visit(page, '/policy');
    await page.getByRole('button', { name: 'Ajouter une règle' }).click();
    await page.getByLabel('Clause à ajouter').selectOption('quota');
    await page.getByRole('button', { name: 'Ajouter la clause' }).click();
    await page.getByLabel('Clause à ajouter').selectOption('exclusion-zones');
    await page.getByRole('button', { name: 'Ajouter la clause' }).click();
    await page.getByLabel('Clause à ajouter').selectOption('drop-fields');
    await page.getByRole('button', { name: 'Ajouter la clause' }).click();
    await page.locator('[data-clause="drop-fields"]').getByRole('button', { name: 'Ajouter : Champs' }).click();
    await page.getByLabel('Champs n° 1').waitFor();
    await page.getByText('Vue JSON (pour les experts)').click();
    await check(page, 'politique territoriale : règle en construction dans le formulaire, vue JSON ouverte', states);

    // Signed in with ProConnect: the header names the person and the partner, and offers to sign out
    const person = await (await browser.newContext()).newPage();
    await person.goto(`${t.runtime.url}/#/inbox`);
    await person.getByRole('link', { name: 'S’identifier avec ProConnect' }).click();
    await person.getByRole('button', { name: 'Camille Martin' }).click();
    await rendered(person, '/inbox');
    await check(person, 'connecté avec ProConnect (personne nommée dans l’en-tête)', states);

    // Her e-mail settings on the home page: a daily digest for one kind, in English, saved
    await person.goto(`${t.runtime.url}/#/`);
    await rendered(person, '/');
    await person.getByRole('heading', { name: 'Mes notifications' }).waitFor();
    await check(person, 'accueil d’une personne connectée : « Mes notifications »', states);
    await person.getByLabel('Langue des e-mails').selectOption('en');
    await person.getByLabel('Demandes de licence à approuver').selectOption('digest');
    await person.getByRole('button', { name: 'Enregistrer mes notifications' }).click();
    await person.getByText('Vos notifications sont enregistrées.').waitFor();
    await check(person, '« Mes notifications » enregistrées (message de confirmation)', states);
    const saved = await person.evaluate(async () => (await (await fetch('/v1/me/notifications')).json()) as { language: string; kinds: Record<string, string> });
    expect([saved.language, saved.kinds['licence.waiting'], saved.kinds['duty.due']]).toEqual(['en', 'digest', 'immediate']);

    expect(violations).toEqual([]);
  }, 120_000);

  it('publishes the results the statement page shows, and the statement says what was checked', async () => {
    // The committed results are this run's (rewrite them with COMPTOIR_UPDATE_ACCESSIBILITY=1)
    const axe = JSON.parse(await readFile(fileURLToPath(new URL('../../node_modules/axe-core/package.json', import.meta.url)), 'utf8')) as { version: string };
    const measured = { tool: 'axe-core', version: axe.version, rules: 'WCAG 2.1 A, AA', pages: [...pages].sort(), states: [...states].sort(), violations };
    const committed = JSON.parse(await readFile(AUDIT_FILE, 'utf8'));
    if (UPDATE) await writeFile(AUDIT_FILE, `${JSON.stringify({ ...measured, checkedOn: new Date().toISOString().slice(0, 10) }, null, 2)}\n`);
    else expect({ ...committed, checkedOn: undefined }).toEqual({ ...measured, checkedOn: undefined });
    expect(RGAA_TAGS).toEqual(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);

    // The page, reached from the footer without an account
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${t.runtime.url}/`);
    await page.getByRole('link', { name: 'Accessibilité : non conforme' }).click();
    await page.getByRole('heading', { name: 'Déclaration d’accessibilité' }).waitFor();
    expect(await page.locator('[data-conformity]').textContent()).toBe('Comptoir est non conforme avec le RGAA 4.1 : aucun audit de conformité n’a encore été réalisé.');
    expect(await page.locator('[data-results]').textContent()).toContain(`axe-core ${axe.version}`);
    expect(await page.locator('[data-results]').textContent()).toContain('0 non-conformité détectée');
    expect(await page.locator('[data-pages] li').count()).toBe(committed.pages.length + committed.states.length);
    expect(await page.locator('[data-contact]').textContent()).toContain('Métropole du Grand Territoire');
    expect(await page.locator('[data-contact] a').getAttribute('href')).toMatch(/^mailto:.+@.+/);
    expect(await page.getByRole('link', { name: /Défenseur des droits/ }).count()).toBe(2);
  });
  it('lets an officer sign in, open the waiting requests and approve one with the keyboard alone', async () => {
    // Arrange
    const page = await (await browser.newContext()).newPage();

    // Act
    await signInWithKeyboard(page, t.runtime.url, t.keys.officer.key);
    await tabTo(page, /^Demandes à approuver$/);
    await page.keyboard.press('Enter');
    await rendered(page, '/inbox');
    await tabTo(page, /^Approuver$/);
    expect(await page.evaluate("document.activeElement?.closest('article')?.getAttribute('data-licence')")).toBe(ids.licence);
    await page.keyboard.press('Enter');
    await page.getByText('Licence approuvée.').waitFor();

    // Assert
    expect((await t.call('GET', `/v1/licences/${ids.licence}`, { key: t.keys.officer.key })).body.state).toBe('awaiting_signature');
  });

  it('lets an operator deliver a version with the keyboard alone', async () => {
    // Arrange
    const page = await (await browser.newContext()).newPage();
    // Listening from the start lets the browser intercept the chooser before the key that opens it is pressed.
    const chooserOpened = page.waitForEvent('filechooser', { timeout: 120_000 });
    chooserOpened.catch(() => undefined); // a failure before the chooser is reported by the step that failed

    // Act: to the dataset through the catalogue, then the file chooser opened from the keyboard
    await signInWithKeyboard(page, t.runtime.url, t.keys.dsp.key);
    await tabTo(page, /^Catalogue$/);
    await page.keyboard.press('Enter');
    await rendered(page, '/catalogue');
    await tabTo(page, /^Débits du réseau d’eau$/);
    await page.keyboard.press('Enter');
    await rendered(page, `/datasets/${ids.dataset}`);
    // The schema speaks French: field types in words, not the Table Schema's names.
    expect(await page.getByRole('cell', { name: 'entier', exact: true }).count()).toBe(1);
    expect(await page.getByRole('cell', { name: 'integer', exact: true }).count()).toBe(0);
    await tabTo(page, /^Fichier/);
    expect(await page.evaluate('document.activeElement?.id')).toBe('upload-file');
    await page.keyboard.press('Space');
    const chooser = await chooserOpened;
    await chooser.setFiles({ name: 'debits.csv', mimeType: 'text/csv', buffer: Buffer.from(`${CSV}Est,3\n`) });
    await tabTo(page, /^Téléverser$/);
    await page.keyboard.press('Enter');
    await page.getByText(/Version 2 publiée/).waitFor({ timeout: 90_000 });

    // Assert
    expect((await t.call('GET', `/v1/datasets/${ids.dataset}/versions/2`, { key: t.keys.dsp.key })).body).toMatchObject({ status: 'published', rows: 3 });
  }, 150_000);
});
