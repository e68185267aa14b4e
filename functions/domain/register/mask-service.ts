import type { MaskRequest, RegisterMask, RegisterOptOut } from '../../../schemas/index.ts';
import type { CatalogueStore } from '../../ports/catalogue.ts';
import type { LicenceStore, PolicyStore, StoredLicence } from '../../ports/licensing.ts';
import type { RegisterMaskStore, StoredRegisterMask } from '../../ports/register.ts';
import type { Clock } from '../../ports/time.ts';
import { AuditTrail, actorOf } from '../audit/audit-trail.ts';
import { BusinessRuleError, NotFoundError, StateConflictError } from '../errors.ts';
import { FourEyesError } from '../licences/errors.ts';
import { actorIdOf, sameActor, type Principal } from '../model.ts';
import { isRegistered } from './register-entry.ts';

export interface MaskDeps {
  readonly masks: RegisterMaskStore;
  readonly licences: Pick<LicenceStore, 'getLicence'>;
  readonly catalogue: Pick<CatalogueStore, 'getDataset'>;
  readonly policies: Pick<PolicyStore, 'getPolicy'>;
  readonly audit: AuditTrail;
  readonly clock: Clock;
}

/**
 * Masking a register entry's dataset title and purpose: a privacy-sensitive decision, so one officer
 * key asks (with the public reason) and another approves (four eyes); each step is audited on the licence.
 */
export class MaskService {
  constructor(private readonly deps: MaskDeps) {}

  async request(principal: Principal, licenceId: string, req: MaskRequest): Promise<RegisterMask> {
    const licence = await this.entry(licenceId);
    const current = await this.deps.masks.get(licenceId);
    if (current?.pending) throw new StateConflictError(`a ${current.pending.action} of licence ${licenceId} already waits for a second officer`, 'mask_pending');
    const masked = current?.masked === true;
    if ((req.action === 'mask') === masked) throw new StateConflictError(`the entry of licence ${licenceId} is ${masked ? 'already' : 'not'} masked`, 'mask_unchanged');
    const next: StoredRegisterMask = {
      ...(current ?? { licenceId, masked: false }),
      version: (current?.version ?? 0) + 1,
      pending: { action: req.action, reason: req.reason, requestedBy: actorIdOf(principal), requestedAt: this.deps.clock.now().toISOString() },
    };
    await this.deps.masks.put(next, this.event(principal, licence, 'register.mask.requested', { action: req.action, reason: req.reason }));
    return view(next);
  }

  /** Applies the pending decision; never with the key that asked for it. */
  async approve(principal: Principal, licenceId: string): Promise<RegisterMask> {
    const licence = await this.entry(licenceId);
    const current = await this.pending(licenceId);
    if (sameActor(current.pending.requestedBy, principal)) throw new FourEyesError(`asked to ${current.pending.action} this entry`);
    const { pending, reason: _previous, since: _since, ...rest } = current;
    const at = this.deps.clock.now().toISOString();
    const next: StoredRegisterMask =
      pending.action === 'mask' ? { ...rest, version: current.version + 1, masked: true, reason: pending.reason, since: at } : { ...rest, version: current.version + 1, masked: false };
    await this.deps.masks.put(next, this.event(principal, licence, pending.action === 'mask' ? 'register.masked' : 'register.unmasked', { reason: pending.reason, requestedBy: pending.requestedBy }));
    return view(next);
  }

  /** Drops the pending decision (the asking officer withdraws, or another one refuses it). */
  async reject(principal: Principal, licenceId: string, reason: string): Promise<RegisterMask> {
    const licence = await this.entry(licenceId);
    const { pending, ...rest } = await this.pending(licenceId);
    const next: StoredRegisterMask = { ...rest, version: rest.version + 1 };
    await this.deps.masks.put(next, this.event(principal, licence, 'register.mask.rejected', { action: pending.action, reason }));
    return view(next);
  }

  private async pending(licenceId: string): Promise<StoredRegisterMask & { pending: NonNullable<StoredRegisterMask['pending']> }> {
    const current = await this.deps.masks.get(licenceId);
    if (!current?.pending) throw new StateConflictError(`no masking of licence ${licenceId} waits for a decision`, 'mask_not_pending');
    return current as StoredRegisterMask & { pending: NonNullable<StoredRegisterMask['pending']> };
  }

  /** The licence, if it is on the register: masking what the register does not show would be a trace of nothing. */
  private async entry(licenceId: string): Promise<StoredLicence> {
    const licence = await this.deps.licences.getLicence(licenceId);
    if (!licence) throw new NotFoundError('licence', licenceId);
    const [dataset, policy] = await Promise.all([this.deps.catalogue.getDataset(licence.datasetId), this.deps.policies.getPolicy()]);
    const optOuts: RegisterOptOut[] = policy.registerOptOuts ?? [];
    if (!isRegistered(licence, dataset, optOuts)) throw new BusinessRuleError(`licence ${licenceId} is not on the public register (never in force, on open data, or in an opted-out category)`, 'not_on_register');
    return licence;
  }

  private event(principal: Principal, licence: StoredLicence, action: string, data: Record<string, unknown>) {
    return this.deps.audit.record({ actor: actorOf(principal), action, subject: licence.id, parties: [licence.licensor.id, licence.licensee.id], data });
  }
}

const view = ({ version: _v, ...mask }: StoredRegisterMask): RegisterMask => mask;
