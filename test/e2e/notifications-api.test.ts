import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/** E-mails through the local mailer: RFC 5322 `.eml` files in a folder, read back here as a mail client would. */

interface Eml {
  readonly headers: Record<string, string>;
  readonly subject: string;
  readonly text: string;
}

/** Headers, the RFC 2047 subject decoded, and the base64 UTF-8 body. */
function parseEml(raw: string): Eml {
  const [head, body] = raw.split('\r\n\r\n', 2) as [string, string];
  const headers = Object.fromEntries(head.split('\r\n').map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  const subject = headers.subject!.replace(/=\?UTF-8\?B\?([^?]+)\?=/g, (_, b64: string) => Buffer.from(b64, 'base64').toString('utf8'));
  return { headers, subject, text: Buffer.from(body.replace(/\r\n/g, ''), 'base64').toString('utf8') };
}

describe('e-mail notifications (local .eml mailer)', () => {
  let t: TestRuntime;
  let mailDir: string;
  const OFFICER = 'agnes.leroy@grand-territoire.example';

  beforeAll(async () => {
    mailDir = await mkdtemp(join(tmpdir(), 'comptoir-mail-'));
    // Every bus event delivered twice, as EventBridge may: each person must still get one message per event.
    t = await startTestRuntime({ mailDir, duplicateBusDeliveries: true });
  });
  afterAll(async () => {
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
    const OPERATOR = 'nadia.benali@eaux-grand-territoire.example';
    const FIRM = 'sami.haddad@trajets-malins.example';
    const MEMBER = 'lea.morel@trajets-malins.example';
    const TECHNICIAN = 'releves@eaux-grand-territoire.example';
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
});
