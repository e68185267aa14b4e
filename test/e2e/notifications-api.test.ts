import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEml, type Eml } from '../support/eml.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

/** E-mails through the local mailer: RFC 5322 `.eml` files in a folder, read back here as a mail client would. */

describe('e-mail notifications (local .eml mailer)', () => {
  let t: TestRuntime;
  let mailDir: string;
  let receiver: WebhookReceiver;
  const OFFICER = 'agnes.leroy@grand-territoire.example';
  const OPERATOR = 'nadia.benali@eaux-grand-territoire.example';
  const FIRM = 'sami.haddad@trajets-malins.example';
  const MEMBER = 'lea.morel@trajets-malins.example';
  const TECHNICIAN = 'releves@eaux-grand-territoire.example';

  beforeAll(async () => {
    mailDir = await mkdtemp(join(tmpdir(), 'comptoir-mail-'));
    // Every bus event delivered twice, as EventBridge may: each person must still get one message per event.
    t = await startTestRuntime({ mailDir, duplicateBusDeliveries: true });
    receiver = await new WebhookReceiver().start();
  });
  afterAll(async () => {
    await receiver?.stop();
    await t?.stop();
    await rm(mailDir, { recursive: true, force: true });
  });

  const mails = async (to: string): Promise<Eml[]> => {
    const files = await readdir(mailDir).catch(() => [] as string[]);
    const all = await Promise.all(files.map(async (f) => parseEml(await readFile(join(mailDir, f), 'utf8'))));
    return all.filter((m) => m.headers.to === to);
  };

  it('tells a person they are invited, for which partner and where to sign in, once', async () => {
    // Act
    const invited = await t.call('POST', `/v1/partners/${t.keys.officer.partnerId}/people`, { key: t.keys.officer.key, body: { email: OFFICER, role: 'officer' } });
    expect(invited.status, JSON.stringify(invited.body)).toBe(201);
    await t.runtime.settle();

    // Assert
    const [mail, ...more] = await mails(OFFICER);
    expect(more).toEqual([]);
    expect(mail!.headers['content-type']).toBe('text/plain; charset=UTF-8');
    expect(mail!.headers['message-id']).toMatch(/^<.+@comptoir>$/);
    expect(mail!.subject).toBe('Invitation à rejoindre Métropole du Grand Territoire sur Comptoir');
    expect(mail!.text).toContain('en tant que agent de la collectivité');
    expect(mail!.text).toContain(`Pour vous connecter : ${t.runtime.url}/`);
  });

  it('tells every officer that a licence request waits for approval, with the inbox link; not when none is needed', async () => {
    // Arrange
    const schema = { fields: [{ name: 'ligne', type: 'string' }] };
    const dataset = (await t.call('POST', '/v1/datasets', { key: t.keys.public.key, body: { title: 'Lignes', description: 'Lignes', theme: 'mobility', classification: 'shared', format: 'csv', schema } })).body.id;
    const offer = async (approval: 'officer' | 'auto') =>
      (await t.call('POST', '/v1/offers', { key: t.keys.public.key, body: { datasetId: dataset, template: 'territorial-restricted', audience: ['private'], approval } })).body.id as string;
    const [byOfficer, automatic] = await Promise.all([offer('officer'), offer('auto')]);

    // Act
    const waiting = await t.call('POST', '/v1/licences', { key: t.keys.private.key, body: { offerId: byOfficer, purpose: 'etude-lignes' } });
    const direct = await t.call('POST', '/v1/licences', { key: t.keys.private.key, body: { offerId: automatic, purpose: 'appli-horaires' } });
    expect([waiting.body.state, direct.body.state]).toEqual(['pending_approval', 'awaiting_signature']);
    await t.runtime.settle();

    // Assert: one message for the waiting request, none for the other
    const told = (await mails(OFFICER)).filter((m) => m.subject === 'Une demande de licence attend votre approbation');
    expect(told).toHaveLength(1);
    expect(told[0]!.text).toContain(`(${waiting.body.id}, finalité « etude-lignes »)`);
    expect(told[0]!.text).toContain(`Pour l’examiner : ${t.runtime.url}/#/inbox`);
    expect(told[0]!.text).not.toContain(direct.body.id);
  });
  it('tells officers and the operator’s admins of a late DSP delivery, and the licensee’s admins of an overdue duty (licence suspended)', async () => {
    // Arrange: an admin for the operator and one for the firm; a contract, and a licence whose share-back is due
    await Promise.all([
      t.call('POST', `/v1/partners/${t.keys.dsp.partnerId}/people`, { key: t.keys.dsp.key, body: { email: OPERATOR, role: 'admin' } }),
      t.call('POST', `/v1/partners/${t.keys.private.partnerId}/people`, { key: t.keys.private.key, body: { email: FIRM, role: 'admin' } }),
      t.call('POST', `/v1/partners/${t.keys.private.partnerId}/people`, { key: t.keys.private.key, body: { email: MEMBER, role: 'member' } }),
      t.call('POST', `/v1/partners/${t.keys.dsp.partnerId}/people`, { key: t.keys.dsp.key, body: { email: TECHNICIAN, role: 'member' } }),
    ]);
    const today = new Date().toISOString().slice(0, 10);
    const contract = await t.call('POST', '/v1/contracts', {
      key: t.keys.officer.key,
      body: { operatorId: t.keys.dsp.partnerId, service: 'Eau potable', startsOn: today, endsOn: '2031-12-31', obligations: [{ id: 'releves', title: 'Relevés mensuels', every: 'P1M', graceDays: 5 }] },
    });
    expect(contract.status, JSON.stringify(contract.body)).toBe(201);
    await t.call('PUT', '/v1/policy', {
      key: t.keys.officer.key,
      body: { rules: [{ id: 'mobility-share-back', when: { theme: 'mobility', licenseeKinds: ['private'] }, require: [{ kind: 'share-back', params: { theme: 'mobility', every: 'P1M', graceDays: 5 } }] }] },
    });
    const dataset = (await t.call('POST', '/v1/datasets', { key: t.keys.dsp.key, body: { title: 'Fréquentation', description: 'Par ligne', theme: 'mobility', classification: 'shared', format: 'csv', schema: { fields: [{ name: 'ligne', type: 'string' }] } } })).body.id;
    const csv = 'ligne\nA\nB\n';
    const started = await t.call('POST', `/v1/datasets/${dataset}/versions`, { key: t.keys.dsp.key, body: { bytes: Buffer.byteLength(csv) } });
    await fetch(started.body.upload.url, { method: 'PUT', body: csv });
    await t.call('POST', `/v1/datasets/${dataset}/versions/1/complete`, { key: t.keys.dsp.key, body: {} });
    await t.runtime.settle();
    const offer = await t.call('POST', '/v1/offers', { key: t.keys.dsp.key, body: { datasetId: dataset, template: 'territorial-restricted', clauses: [{ kind: 'purpose', params: { allowed: ['planning'] } }], audience: ['private'] } });
    expect(offer.status, JSON.stringify(offer.body)).toBe(201);
    const licence = (await t.call('POST', '/v1/licences', { key: t.keys.private.key, body: { offerId: offer.body.id, purpose: 'planning' } })).body;
    expect((await t.call('POST', `/v1/licences/${licence.id}/sign`, { key: t.keys.private.key })).body.state).toBe('active');

    // Act: the schedule, forty days on
    await t.runtime.runSchedule(new Date(Date.now() + 40 * 24 * 3600 * 1000));
    await t.runtime.settle();

    // Assert
    const late = 'Une livraison prévue au contrat DSP est en retard';
    const officerMail = (await mails(OFFICER)).filter((m) => m.subject === late);
    const operatorMail = (await mails(OPERATOR)).filter((m) => m.subject === late);
    expect(officerMail).toHaveLength(1);
    expect(operatorMail).toHaveLength(1);
    expect(operatorMail[0]!.text).toContain(`Pour voir le suivi du contrat : ${t.runtime.url}/#/contracts/${contract.body.id}`);
    const overdue = (await mails(FIRM)).filter((m) => m.subject === 'Une obligation de votre licence est en retard : la licence est suspendue');
    expect(overdue).toHaveLength(1);
    expect(overdue[0]!.text).toContain(`L’obligation « share-back-0 » de la licence ${licence.id}`);
    expect(overdue[0]!.text).toContain(`${t.runtime.url}/#/licences/${licence.id}`);
    // Members are not told of what only an admin can settle; the licensor is not told of the licensee's duty.
    expect((await mails(MEMBER)).map((m) => m.subject)).toEqual(['Invitation à rejoindre Trajets Malins SAS sur Comptoir']);
    expect((await mails(TECHNICIAN)).map((m) => m.subject)).toEqual(['Invitation à rejoindre Eaux du Grand Territoire (délégataire eau potable) sur Comptoir']);
    expect((await mails(OPERATOR)).map((m) => m.subject).sort()).toEqual(['Invitation à rejoindre Eaux du Grand Territoire (délégataire eau potable) sur Comptoir', late]);
  });

  /** A dataset with one published version (offers and licences need one). */
  const publishedDataset = async (key: string, theme: string, title: string, classification = 'shared') => {
    const id = (await t.call('POST', '/v1/datasets', { key, body: { title, description: title, theme, classification, format: 'csv', schema: { fields: [{ name: 'ligne', type: 'string' }] } } })).body.id as string;
    const csv = 'ligne\nA\n';
    const started = await t.call('POST', `/v1/datasets/${id}/versions`, { key, body: { bytes: Buffer.byteLength(csv) } });
    await fetch(started.body.upload.url, { method: 'PUT', body: csv });
    await t.call('POST', `/v1/datasets/${id}/versions/1/complete`, { key, body: {} });
    return id;
  };
  const subjects = async (to: string) => (await mails(to)).map((m) => m.subject);

  it('tells officers of a barter and of a privacy downgrade waiting for their approval', async () => {
    // Arrange: the operator's data, offered for a barter an officer must approve, and the firm's data in exchange
    const [operatorData, firmData, restricted] = await Promise.all([
      publishedDataset(t.keys.dsp.key, 'mobility', 'Validations'),
      publishedDataset(t.keys.private.key, 'mobility', 'Trajets agrégés'),
      publishedDataset(t.keys.dsp.key, 'water', 'Compteurs', 'restricted'),
    ]);
    await t.runtime.settle();
    const wantOffer = (approval: 'officer' | 'auto') =>
      t.call('POST', '/v1/offers', { key: t.keys.dsp.key, body: { datasetId: operatorData, template: 'territorial-restricted', approval, barter: { accepts: { themes: ['mobility'] } }, audience: ['private'] } });
    const [want, direct, give] = await Promise.all([
      wantOffer('officer'),
      wantOffer('auto'),
      t.call('POST', '/v1/offers', { key: t.keys.private.key, body: { datasetId: firmData, template: 'territorial-restricted', audience: ['dsp'] } }),
    ]);

    // Act: one barter waits for an officer, the other goes straight to the counterparty
    const barter = await t.call('POST', '/v1/barters', { key: t.keys.private.key, body: { offerId: want.body.id, give: { offerId: give.body.id }, purpose: 'planning' } });
    const proposed = await t.call('POST', '/v1/barters', { key: t.keys.private.key, body: { offerId: direct.body.id, give: { offerId: give.body.id }, purpose: 'planning' } });
    const change = await t.call('PATCH', `/v1/datasets/${restricted}`, { key: t.keys.dsp.key, body: { classification: 'shared' } });
    expect([barter.body.state, proposed.body.state, change.status], JSON.stringify([barter.body, proposed.body, change.body])).toEqual(['pending_approval', 'proposed', 202]);
    await t.runtime.settle();

    // Assert
    const [barterMail, ...moreBarters] = (await mails(OFFICER)).filter((m) => m.subject === 'Un échange de données attend votre approbation');
    expect(moreBarters).toEqual([]);
    expect(barterMail!.text).toContain(`L’échange ${barter.body.id} entre `);
    expect(barterMail!.text).toMatch(/entre (Trajets Malins SAS et Eaux du Grand Territoire \(délégataire eau potable\)|Eaux du Grand Territoire \(délégataire eau potable\) et Trajets Malins SAS)/);
    expect(barterMail!.text).toContain(`Pour l’examiner : ${t.runtime.url}/#/barters`);
    const changeMails = (await mails(OFFICER)).filter((m) => m.subject === 'Une baisse de confidentialité attend votre approbation');
    expect(changeMails).toHaveLength(1);
    expect(changeMails[0]!.text).toContain(`(${change.body.id})`);
    expect(changeMails[0]!.text).toContain(`Pour l’examiner : ${t.runtime.url}/#/inbox`);
    // Why it came, which setting sent it, where to change it.
    expect(changeMails[0]!.text).toContain('Votre réglage « Baisses de confidentialité à approuver » est : e-mail immédiat.');
    expect(changeMails[0]!.text).toContain(`ouvrez « Mes notifications » dans la console : ${t.runtime.url}/`);
    // The partners concerned are not officers: their people are not told of what waits for an officer.
    expect((await subjects(FIRM)).filter((s) => s.includes('approbation'))).toEqual([]);
  });

  it('tells the licensee’s admins that a request was approved, rejected or declined, once each', async () => {
    // Arrange: three requests waiting for an officer
    const data = await publishedDataset(t.keys.public.key, 'culture', 'Fréquentation des musées');
    await t.runtime.settle();
    const offers = await Promise.all([1, 2, 3].map(() => t.call('POST', '/v1/offers', { key: t.keys.public.key, body: { datasetId: data, template: 'territorial-restricted', approval: 'officer', audience: ['private'] } })));
    const [toApprove, toReject, toDecline] = await Promise.all(offers.map((o) => t.call('POST', '/v1/licences', { key: t.keys.private.key, body: { offerId: o.body.id, purpose: 'etude' } })));

    // Act
    const answers = await Promise.all([
      t.call('POST', `/v1/licences/${toApprove!.body.id}/approve`, { key: t.keys.officer.key, body: {} }),
      t.call('POST', `/v1/licences/${toReject!.body.id}/reject`, { key: t.keys.officer.key, body: { reason: 'finalité trop large' } }),
      t.call('POST', `/v1/licences/${toDecline!.body.id}/decline`, { key: t.keys.public.key, body: { reason: 'données en cours de refonte' } }),
    ]);
    expect(answers.map((a) => a.status), JSON.stringify(answers.map((a) => a.body))).toEqual([200, 200, 200]);
    await t.runtime.settle();

    // Assert
    const firm = await mails(FIRM);
    const one = (subject: string) => {
      const found = firm.filter((m) => m.subject === subject);
      expect(found, subject).toHaveLength(1);
      return found[0]!;
    };
    expect(one('Votre demande de licence est approuvée').text).toContain(`La demande de licence ${toApprove!.body.id} est approuvée par un agent de la collectivité : elle attend maintenant votre signature.`);
    expect(one('Votre demande de licence est refusée').text).toContain('Motif : finalité trop large');
    const declined = one('Votre demande de licence est déclinée');
    expect(declined.text).toContain('Motif : données en cours de refonte');
    expect(declined.text).toContain(`Pour voir la licence : ${t.runtime.url}/#/licences/${toDecline!.body.id}`);
    // A key asked, not a person: the member is not told, nor the licensor.
    expect((await subjects(MEMBER)).filter((s) => s.startsWith('Votre demande'))).toEqual([]);
    expect((await subjects(OPERATOR)).filter((s) => s.startsWith('Votre demande'))).toEqual([]);
  });

  it('tells the subscriber’s admins that a subscription is failing', async () => {
    // Arrange: an active licence of the firm, and a webhook that refuses every delivery (400: not retried)
    const data = await publishedDataset(t.keys.public.key, 'energy', 'Consommations');
    await t.runtime.settle();
    const offer = await t.call('POST', '/v1/offers', { key: t.keys.public.key, body: { datasetId: data, template: 'territorial-restricted', audience: ['private'] } });
    const licence = (await t.call('POST', '/v1/licences', { key: t.keys.private.key, body: { offerId: offer.body.id, purpose: 'etude' } })).body;
    await t.call('POST', `/v1/licences/${licence.id}/sign`, { key: t.keys.private.key });
    receiver.script('/refuse', [400]);
    const sub = await t.call('POST', '/v1/subscriptions', { key: t.keys.private.key, body: { licenceId: licence.id, webhook: { url: `${receiver.url}/refuse` } } });
    expect(sub.status, JSON.stringify(sub.body)).toBe(201);

    // Act: a new version is published, its delivery refused
    const csv = 'ligne\nB\n';
    const started = await t.call('POST', `/v1/datasets/${data}/versions`, { key: t.keys.public.key, body: { bytes: Buffer.byteLength(csv) } });
    await fetch(started.body.upload.url, { method: 'PUT', body: csv });
    await t.call('POST', `/v1/datasets/${data}/versions/2/complete`, { key: t.keys.public.key, body: {} });
    await receiver.waitFor('/refuse', 1);
    await t.runtime.settle();

    // Assert
    const failing = (await mails(FIRM)).filter((m) => m.subject === 'Un abonnement de votre organisation est en échec');
    expect(failing).toHaveLength(1);
    expect(failing[0]!.text).toContain(`Les livraisons de l’abonnement ${sub.body.subscription.id} échouent`);
    expect(failing[0]!.text).toContain(`${t.runtime.url}/#/subscriptions`);
    expect((await subjects(MEMBER)).filter((s) => s.includes('abonnement'))).toEqual([]);
  });

  it('reminds the operator of a delivery due within 7 days, the licensee of a duty due soon and of a licence expiring within 30 days, once even when two runs meet', async () => {
    // Arrange: a contract whose first monthly delivery falls due in about five days; a licence valid twenty days with a weekly share-back
    const started = new Date(Date.now() - 26 * 24 * 3600 * 1000).toISOString().slice(0, 10);
    const contract = await t.call('POST', '/v1/contracts', {
      key: t.keys.officer.key,
      body: { operatorId: t.keys.dsp.partnerId, service: 'Transports', startsOn: started, endsOn: '2031-12-31', obligations: [{ id: 'comptages', title: 'Comptages mensuels', every: 'P1M', graceDays: 0 }] },
    });
    expect(contract.status, JSON.stringify(contract.body)).toBe(201);
    const data = await publishedDataset(t.keys.public.key, 'environment', 'Qualité de l’air');
    await t.runtime.settle();
    const offer = await t.call('POST', '/v1/offers', {
      key: t.keys.public.key,
      body: { datasetId: data, template: 'territorial-restricted', clauses: [{ kind: 'validity', params: { maxDuration: 'P20D' } }, { kind: 'share-back', params: { theme: 'environment', every: 'P5D', graceDays: 0 } }], audience: ['private'] },
    });
    expect(offer.status, JSON.stringify(offer.body)).toBe(201);
    const requested = (await t.call('POST', '/v1/licences', { key: t.keys.private.key, body: { offerId: offer.body.id, purpose: 'etude' } })).body;
    const licence = (await t.call('POST', `/v1/licences/${requested.id}/sign`, { key: t.keys.private.key })).body;
    expect(licence.state).toBe('active');

    // Act: two schedule runs at once, then a third
    const now = new Date();
    const runs = await Promise.all([t.runtime.runSchedule(now), t.runtime.runSchedule(now)]);
    const third = await t.runtime.runSchedule(now);
    await t.runtime.settle();

    // Assert: each reminder raised once in all
    const raised = [...runs, third].map((r) => r.reminders);
    expect(raised.reduce((n, r) => n + r.deliveriesDue, 0)).toBe(1);
    expect(raised.reduce((n, r) => n + r.dutiesDue, 0)).toBe(1);
    expect(raised.reduce((n, r) => n + r.licencesExpiring, 0)).toBe(1);
    const due = (await mails(OPERATOR)).filter((m) => m.subject === 'Une livraison prévue au contrat DSP arrive à échéance');
    expect(due).toHaveLength(1);
    expect(due[0]!.text).toContain('« Comptages mensuels » (comptages)');
    expect(due[0]!.text).toContain(`${t.runtime.url}/#/contracts/${contract.body.id}`);
    const duty = (await mails(FIRM)).filter((m) => m.subject === 'Une obligation de votre licence arrive à échéance');
    expect(duty).toHaveLength(1);
    expect(duty[0]!.text).toContain(`L’obligation « share-back-0 » de la licence ${licence.id} est due le `);
    const expiring = (await mails(FIRM)).filter((m) => m.subject === 'Votre licence expire bientôt');
    expect(expiring).toHaveLength(1);
    expect(expiring[0]!.text).toContain(`La licence ${licence.id} expire le ${licence.document.validity.until.slice(0, 10)}.`);
    // Reminders go to admins: the operator's technician and the firm's member are not told.
    expect((await subjects(TECHNICIAN)).filter((s) => s.includes('échéance'))).toEqual([]);
    expect((await subjects(MEMBER)).filter((s) => s.includes('échéance') || s.includes('expire'))).toEqual([]);
  });
});
