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
});
