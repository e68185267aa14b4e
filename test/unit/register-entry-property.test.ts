import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Clause } from '../../contracts/clauses/clause.ts';
import { clauseTexts } from '../../functions/domain/licences/licence-document.ts';
import { registerCsv, registerJsonLd } from '../../functions/domain/register/register-formats.ts';
import { isRegistered, matches, registerEntry, REGISTER_STATES } from '../../functions/domain/register/register-entry.ts';
import { isProof } from '../../functions/domain/register/register-service.ts';
import type { StoredLicence } from '../../functions/ports/licensing.ts';
import { RegisterEntrySchema } from '../../schemas/register.ts';

const EMAIL = /[^\s@<>()"',;:]+@[^\s@<>()"',;:]+\.[a-z]{2,}/i;
const slug = fc.stringMatching(/^fin-[a-z0-9]{4,12}$/);
const keyId = fc.stringMatching(/^key_[A-Z0-9]{20}$/);
const email = fc.tuple(fc.stringMatching(/^[a-z][a-z.]{1,12}$/), fc.stringMatching(/^[a-z]{2,10}$/)).map(([user, host]) => `${user}@${host}.example`);
/** Free text an officer or a party may type, sometimes with an address in it. */
const freeText = fc.tuple(fc.string({ maxLength: 30 }), fc.option(email, { nil: undefined })).map(([text, address]) => (address ? `${text} ${address}` : `motif ${text}`));
const instant = fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
// A stored profile carrying more than the public one (an address) must not pass through.
const profile = (kind: 'dsp' | 'private' | 'public') => fc.record({ contactEmail: email, id: fc.stringMatching(/^prt_[0-9A-HJKMNP-TV-Z]{26}$/), name: fc.stringMatching(/^[A-Z][a-z]{2,12} (SAS|SA|SEM)$/), kind: fc.constant(kind) });

/** A licence record as the store holds it, with everything that identifies people: key ids, pseudonym key, addresses in reasons. */
const licenceRecord = fc
  .record({
    id: fc.stringMatching(/^lic_[A-Z0-9]{12}$/),
    state: fc.constantFrom(...REGISTER_STATES),
    purpose: slug,
    title: fc.stringMatching(/^Titre [A-Za-z]{4,12}$/),
    attribution: freeText,
    keys: fc.array(keyId, { minLength: 3, maxLength: 3 }),
    reason: freeText,
    at: instant,
    pseudonymKey: fc.stringMatching(/^[a-f0-9]{64}$/),
    licensor: profile('dsp'),
    licensee: profile('private'),
    masked: fc.boolean(),
    maskReason: freeText,
  })
  .map((r) => {
    const clauses = [
      { kind: 'purpose', params: { allowed: [r.purpose] } },
      { kind: 'validity', params: { maxDuration: 'P1Y' } },
      { kind: 'attribution', params: { text: r.attribution } },
      { kind: 'no-resale', params: {} },
    ] as Clause[];
    const values = { licensor: r.licensor.name, licensee: r.licensee.name, dataset: r.title, purpose: r.purpose };
    const licence = {
      id: r.id,
      state: r.state,
      offerId: 'off_1',
      datasetId: 'dst_1',
      licensor: r.licensor,
      licensee: r.licensee,
      purpose: r.purpose,
      clauses,
      texts: clauseTexts(clauses, values),
      policy: { version: 1, appliedRules: [] },
      requiresApproval: true,
      approval: { by: r.keys[1]!, at: r.at },
      history: [
        { state: 'pending_approval', at: r.at, by: r.keys[0]! },
        { state: 'active', at: r.at, by: r.keys[2]! },
        ...(r.state === 'active' ? [] : [{ state: r.state, at: r.at, by: r.keys[1]!, reason: r.reason }]),
      ],
      activatedAt: r.at,
      createdAt: r.at,
      pseudonymKey: r.pseudonymKey,
      signatures: { acceptance: { alg: 'Ed25519', kid: 'k', publicKey: 'p', signature: 's', acceptedBy: { partnerId: r.licensee.id, keyId: r.keys[2]!, at: r.at } }, countersignature: { alg: 'Ed25519', kid: 'k', publicKey: 'p', signature: 's' } },
    } as StoredLicence;
    const mask = r.masked ? { licenceId: r.id, masked: true, reason: r.maskReason, since: r.at, version: 2 } : undefined;
    return { licence, mask, record: r };
  });

describe('a register entry never shows a person', () => {
  it('leaves out key ids, the pseudonym key and e-mail addresses, and a masked entry leaves out its title and purpose, in JSON, JSON-LD and CSV', () => {
    fc.assert(
      fc.property(licenceRecord, ({ licence, mask, record }) => {
        const entry = registerEntry({ licence, dataset: { id: 'dst_1', title: record.title, theme: 'water', classification: 'restricted' }, consideration: { kind: 'free' }, mask, proofs: [] });
        const register = { items: [entry], contracts: [], optOuts: [] };
        expect(RegisterEntrySchema.safeParse(entry).success).toBe(true);
        for (const text of [JSON.stringify(entry), JSON.stringify(registerJsonLd('https://x.example', register, new Map(), undefined)), registerCsv(register)]) {
          expect(text).not.toMatch(EMAIL);
          for (const k of record.keys) expect(text).not.toContain(k);
          expect(text).not.toContain(record.pseudonymKey);
          if (mask) {
            expect(text).not.toContain(record.purpose);
            expect(text).not.toContain(record.title);
          }
        }
        // The state and the revocation reason are the licence's.
        expect(entry.state).toBe(licence.state);
        if (licence.state === 'revoked') expect(entry.end?.reason).toBeDefined();
        else expect(entry.end?.reason).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });
});

describe('what the register holds', () => {
  const base = { activatedAt: '2026-01-01T00:00:00.000Z', state: 'active' } as StoredLicence;
  it.each([
    ['shouldList_when_inForceOnRestrictedData', base, { theme: 'water', classification: 'restricted' }, [], true],
    ['shouldSkip_when_neverInForce', { ...base, activatedAt: undefined, state: 'pending_approval' }, { theme: 'water', classification: 'restricted' }, [], false],
    ['shouldSkip_when_openData', base, { theme: 'water', classification: 'open' }, [], false],
    ['shouldSkip_when_themeOptedOut', base, { theme: 'safety', classification: 'shared' }, [{ theme: 'safety', legalBasis: 'CRPA L311-5' }], false],
  ] as const)('%s', (_name, licence, dataset, optOuts, expected) => {
    expect(isRegistered(licence as StoredLicence, { id: 'd', title: 't', ...dataset } as never, optOuts as never)).toBe(expected);
  });

  const entry = { licensee: { id: 'p1' }, dataset: { id: 'd1', theme: 'water' }, state: 'active', period: { from: '2026-03-01T00:00:00Z', until: '2026-06-01T00:00:00Z' } } as never;
  it.each([
    ['shouldMatch_when_noFilter', {}, true],
    ['shouldSkip_when_otherDataset', { datasetId: 'd2' }, false],
    ['shouldSkip_when_otherLicensee', { licenseeId: 'p2' }, false],
    ['shouldSkip_when_otherTheme', { theme: 'energy' }, false],
    ['shouldSkip_when_otherState', { state: 'revoked' }, false],
    ['shouldSkip_when_endedBeforePeriod', { from: '2026-07-01' }, false],
    ['shouldSkip_when_startedAfterPeriod', { until: '2026-02-01' }, false],
    ['shouldMatch_when_overlapping', { from: '2026-05-01', until: '2026-08-01' }, true],
  ] as const)('%s', (_name, query, expected) => {
    expect(matches(entry, query as never)).toBe(expected);
  });
});

describe('the CSV register', () => {
  it('publishes a cell that starts like a spreadsheet formula as text', () => {
    // Arrange
    const entry = {
      licenceId: 'lic_1', dataset: { id: 'd', title: '=HYPERLINK("http://x.example")', publisher: { id: 'p', name: '@Ville', kind: 'dsp' } }, licensee: { id: 'q', name: 'Firme, "SAS"', kind: 'private' },
      state: 'revoked', period: { from: '2026-01-01T00:00:00Z' }, clauses: [], consideration: { kind: 'free' }, approval: { required: false }, proofs: [],
      end: { state: 'revoked', at: '2026-02-01T00:00:00Z', reason: '-1+1' },
    } as never;

    // Act
    const [, row] = registerCsv({ items: [entry], contracts: [], optOuts: [] }).split('\r\n');

    // Assert
    expect(row).toContain(`"'=HYPERLINK(""http://x.example"")"`);
    expect(row).toContain(`'@Ville`);
    expect(row).toContain(`"Firme, ""SAS"""`);
    expect(row).toContain(`'-1+1`);
  });
});

describe('the audit events that prove an entry', () => {
  it.each([
    ['shouldProve_when_signed', 'licence.signed', true],
    ['shouldProve_when_revoked', 'licence.revoked', true],
    ['shouldProve_when_masked', 'register.masked', true],
    ['shouldSkip_when_accessed', 'licence.accessed', false],
    ['shouldSkip_when_dutyAttested', 'licence.duty.attested', false],
    ['shouldSkip_when_otherSubject', 'dataset.created', false],
  ] as const)('%s', (_name, action, expected) => {
    expect(isProof(action)).toBe(expected);
  });
});
