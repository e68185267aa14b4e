import { describe, expect, it } from 'vitest';
import { actorIdOf, sameActor, type Principal } from '../../functions/domain/model.ts';

const PERSON = 'psn_01JABCDEFGHJKMNPQRSTVWXYZ0';
const machine: Principal = { keyId: 'key_01JMACHINE0000000000000000', label: 'script', partnerId: 'prt_1', role: 'officer' };
const boundKey: Principal = { ...machine, keyId: 'key_01JBOUND00000000000000000', label: 'my key', personId: PERSON };
const session: Principal = {
  keyId: PERSON,
  label: 'camille@example.org',
  partnerId: 'prt_1',
  role: 'officer',
  personId: PERSON,
  session: { sessionId: 'ses_1', personId: PERSON, email: 'camille@example.org', expiresAt: '2030-01-01T00:00:00Z', csrfToken: 'x' },
};

describe('four eyes: sameActor', () => {
  it('names a person by their id whether they act through a session or a key they issued', () => {
    expect(actorIdOf(session)).toBe(PERSON);
    expect(actorIdOf(boundKey)).toBe(PERSON);
    expect(sameActor(actorIdOf(session), boundKey)).toBe(true);
    expect(sameActor(actorIdOf(boundKey), session)).toBe(true);
  });

  it('names a machine key by its own id, a different actor from any person', () => {
    expect(actorIdOf(machine)).toBe(machine.keyId);
    expect(sameActor(actorIdOf(machine), machine)).toBe(true);
    expect(sameActor(actorIdOf(machine), boundKey)).toBe(false);
    expect(sameActor(actorIdOf(session), machine)).toBe(false);
  });

  it('never matches a step nobody is recorded for', () => {
    expect(sameActor(undefined, machine)).toBe(false);
    expect(sameActor('', { ...machine, keyId: '' })).toBe(false);
  });
});
