import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoPeopleStore } from '../../functions/adapters/dynamo/people-store.ts';
import { AuditTrail } from '../../functions/domain/audit/audit-trail.ts';
import { ulidGenerator } from '../../functions/domain/ids.ts';
import { StateConflictError } from '../../functions/domain/errors.ts';
import type { Principal } from '../../functions/domain/model.ts';
import { PersonStateConflictError, SignInRefusedError } from '../../functions/domain/people/errors.ts';
import { PeopleService } from '../../functions/domain/people/people-service.ts';
import { SessionAuthenticator } from '../../functions/domain/people/session-authenticator.ts';
import { SignInService } from '../../functions/domain/people/sign-in-service.ts';
import type { AuthorisationSecrets, OpenIdProvider, VerifiedIdentity } from '../../functions/ports/openid.ts';
import type { Clock } from '../../functions/ports/time.ts';
import { createTestTable, type TestTable } from '../support/emulators.ts';
import { bootstrapOfficer, servicesOn } from '../support/services.ts';

/** Sign-in and sessions against DynamoDB Local, with a provider that answers what each case needs and a clock the test moves. */
describe('people and sessions on DynamoDB Local', () => {
  let table: TestTable;
  let officer: Principal;
  let collectivityId: string;
  let people: PeopleService;
  let signIn: SignInService;
  let sessions: SessionAuthenticator;
  let store: DynamoPeopleStore;
  let now = new Date('2026-12-01T09:00:00Z');
  const clock: Clock = { now: () => now };
  /** What the provider answers next, run when the code is redeemed. */
  let answer: () => Promise<VerifiedIdentity>;
  const provider: OpenIdProvider = {
    begin: async () => ({ url: 'https://idp.example/authorize', secrets: { state: `st-${Math.random()}`, nonce: 'n', codeVerifier: 'v' } }),
    finish: async (_url: URL, _secrets: AuthorisationSecrets) => answer(),
    endSessionUrl: async () => undefined,
  };
  const identityOf = (email: string, subject: string): VerifiedIdentity => ({ issuer: 'https://idp.example', subject, email, idToken: 'id.token' });

  beforeAll(async () => {
    table = await createTestTable();
    const s = servicesOn(table);
    ({ officer, collectivityId } = await bootstrapOfficer(s.identity));
    const ids = ulidGenerator(clock);
    const audit = new AuditTrail({ clock, ids });
    store = new DynamoPeopleStore(table.db, table.tableName);
    const identity = { getPartner: (id: string) => s.identity.getPartner(officer, id).catch(() => undefined) };
    people = new PeopleService({ people: store, identity, audit, clock, ids });
    signIn = new SignInService({ people: store, identity, provider, audit, clock, ids, publicUrl: 'https://donnees.example.fr', sessionSeconds: 3600 });
    sessions = new SessionAuthenticator({ people: store, clock });
  });
  afterAll(() => table.drop());

  const start = async () => (await signIn.begin('/')).state;

  it('refuses a sign-in that comes back after ten minutes', async () => {
    await people.invite(officer, collectivityId, { email: 'lente@grand-territoire.example', role: 'officer' });
    const state = await start();
    now = new Date(now.getTime() + 601_000);
    answer = async () => identityOf('lente@grand-territoire.example', 'lente');
    await expect(signIn.finish({ state }, new URL('https://donnees.example.fr/auth/callback'), state)).rejects.toBeInstanceOf(SignInRefusedError);
  });

  it('ends a session at its expiry, to the second, whatever TTL has not deleted yet', async () => {
    await people.invite(officer, collectivityId, { email: 'agente@grand-territoire.example', role: 'officer' });
    answer = async () => identityOf('agente@grand-territoire.example', 'agente');
    const state = await start();
    const done = await signIn.finish({ state }, new URL('https://donnees.example.fr/auth/callback'), state);
    if (!('token' in done)) throw new Error('an officer signs in without a step-up');
    now = new Date(now.getTime() + 3599_000);
    expect(await sessions.check(done.token, 'GET', undefined)).toMatchObject({ principal: { role: 'officer', partnerId: collectivityId } });
    now = new Date(now.getTime() + 1_000);
    expect(await sessions.check(done.token, 'GET', undefined)).toBeUndefined();
  });

  it('opens no session for a person removed while the provider answered', async () => {
    const invited = await people.invite(officer, collectivityId, { email: 'partante@grand-territoire.example', role: 'officer' });
    answer = async () => identityOf('partante@grand-territoire.example', 'partante');
    const first = await start();
    await signIn.finish({ state: first }, new URL('https://donnees.example.fr/auth/callback'), first);
    const bound = (await store.getPerson(invited.id))!;
    answer = async () => {
      await people.remove(officer, invited.id);
      return identityOf('partante@grand-territoire.example', 'partante');
    };
    // The subject lookup finds the person before the removal; the session's write must then fail.
    const lookup = store.personBySubject.bind(store);
    store.personBySubject = async () => bound;
    const second = await start();
    await expect(signIn.finish({ state: second }, new URL('https://donnees.example.fr/auth/callback'), second)).rejects.toBeInstanceOf(PersonStateConflictError);
    store.personBySubject = lookup;
  });

  it('binds an invitation to one provider account only, even when two sign-ins race', async () => {
    const invited = await people.invite(officer, collectivityId, { email: 'double@grand-territoire.example', role: 'officer' });
    const person = (await store.getPerson(invited.id))!;
    const audit = new AuditTrail({ clock, ids: ulidGenerator(clock) });
    const event = () => audit.record({ actor: { type: 'system', name: 'test' }, action: 'person.activated', subject: invited.id, parties: [collectivityId] });
    const results = await Promise.allSettled([
      store.activate({ ...person, status: 'active', issuer: 'https://idp.example', subject: 'one' }, event()),
      store.activate({ ...person, status: 'active', issuer: 'https://idp.example', subject: 'two' }, event()),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    // Either the condition on the invitation or DynamoDB's transaction conflict refuses the loser: a 409 either way.
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(StateConflictError);
    expect((await store.getPerson(invited.id))!.status).toBe('active');
  });

  it('binds one provider account to one person only', async () => {
    const [a, b] = await Promise.all(['un@grand-territoire.example', 'deux@grand-territoire.example'].map((email) => people.invite(officer, collectivityId, { email, role: 'officer' })));
    const audit = new AuditTrail({ clock, ids: ulidGenerator(clock) });
    const event = (id: string) => audit.record({ actor: { type: 'system', name: 'test' }, action: 'person.activated', subject: id, parties: [collectivityId] });
    const bind = async (id: string) => store.activate({ ...(await store.getPerson(id))!, status: 'active', issuer: 'https://idp.example', subject: 'shared-account' }, event(id));
    await bind(a!.id);
    await expect(bind(b!.id)).rejects.toBeInstanceOf(PersonStateConflictError);
    expect((await store.getPerson(b!.id))!.status).toBe('invited');
  });

  it("lets only officers and the partner's admin invite or remove, whatever the route lets through", async () => {
    const member: Principal = { keyId: 'key_member', label: 'script', partnerId: collectivityId, role: 'member' };
    await expect(people.invite(member, collectivityId, { email: 'x@grand-territoire.example', role: 'officer' })).rejects.toMatchObject({ code: 'admin_only' });
    const invited = await people.invite(officer, collectivityId, { email: 'y@grand-territoire.example', role: 'officer' });
    await expect(people.remove(member, invited.id)).rejects.toMatchObject({ code: 'admin_only' });
    expect(await store.getPerson(invited.id)).toBeDefined();
  });
});
