import { approximateMs } from '../../../contracts/calendar.ts';
import { obligationStatus, overduePeriods } from '../../../contracts/delivery-schedule.ts';
import type { Compliance, Contract, CreateContractRequest } from '../../../schemas/index.ts';
import type { ContractStore } from '../../ports/contracts.ts';
import type { IdentityStore } from '../../ports/identity.ts';
import type { Clock, IdGenerator } from '../../ports/time.ts';
import { AuditTrail, actorOf, systemActor } from '../audit/audit-trail.ts';
import { BusinessRuleError, NotFoundError } from '../errors.ts';
import { isOfficer, type Page, type PageRequest, type Principal } from '../model.ts';

/** Flags raised per obligation and run, so a long-neglected daily obligation cannot flood the chain. */
const MAX_FLAGS_PER_RUN = 50;
const MIN_PERIOD_MS = 3600_000;
const MAX_PERIODS_PER_CONTRACT = 20_000;

export class ContractNotFoundError extends NotFoundError {
  constructor(id: string, options?: ErrorOptions) {
    super('contract', id, options);
  }
}

/** DSP contracts: delivery obligations, compliance, and the schedule's late flags. */
export class ContractService {
  constructor(private readonly deps: { store: ContractStore; identity: IdentityStore; audit: AuditTrail; clock: Clock; ids: IdGenerator }) {}

  async create(principal: Principal, req: CreateContractRequest): Promise<Contract> {
    const operator = await this.deps.identity.getPartner(req.operatorId);
    if (!operator) throw new BusinessRuleError(`no partner ${req.operatorId}`, 'unknown_operator');
    if (operator.kind !== 'dsp') throw new BusinessRuleError(`${operator.name} is not a delegated operator (kind ${operator.kind})`, 'operator_not_dsp');
    const span = Date.parse(`${req.endsOn}T00:00:00Z`) - Date.parse(`${req.startsOn}T00:00:00Z`);
    for (const o of req.obligations) {
      if (approximateMs(o.every) < MIN_PERIOD_MS) throw new BusinessRuleError(`obligation ${o.id}: periods shorter than an hour cannot be tracked`, 'period_too_short');
      if (span / approximateMs(o.every) > MAX_PERIODS_PER_CONTRACT) {
        throw new BusinessRuleError(`obligation ${o.id}: ${o.every} over this contract makes more than ${MAX_PERIODS_PER_CONTRACT} periods`, 'too_many_periods');
      }
    }
    const contract: Contract = { id: this.deps.ids.next('ctr'), ...req, createdAt: this.deps.clock.now().toISOString() };
    await this.deps.store.createContract(
      contract,
      this.deps.audit.record({
        actor: actorOf(principal),
        action: 'contract.created',
        subject: contract.id,
        parties: [operator.id],
        data: { service: contract.service, startsOn: contract.startsOn, endsOn: contract.endsOn, obligations: contract.obligations.map((o) => o.id) },
      }),
    );
    return contract;
  }

  async list(principal: Principal, page: PageRequest): Promise<Page<Contract>> {
    return isOfficer(principal) ? this.deps.store.listContracts(page) : this.deps.store.listOperatorContracts(principal.partnerId, page);
  }

  async get(principal: Principal, id: string): Promise<Contract> {
    const contract = await this.deps.store.getContract(id);
    if (!contract || (!isOfficer(principal) && contract.operatorId !== principal.partnerId)) throw new ContractNotFoundError(id);
    return contract;
  }

  async compliance(principal: Principal, id: string, at: string | undefined): Promise<Compliance> {
    const contract = await this.get(principal, id);
    const asOf = at ?? this.deps.clock.now().toISOString();
    return { contractId: contract.id, asOf, obligations: await this.complianceOf(contract, asOf) };
  }

  /** Each obligation's status at `asOf`: the one computation officers, operators and the public register read. */
  complianceOf(contract: Contract, asOf: string): Promise<Compliance['obligations']> {
    return Promise.all(
      contract.obligations.map(async (o) => {
        const status = obligationStatus(contract, o, await this.deps.store.deliveries(contract.id, o.id), asOf);
        return { obligationId: o.id, title: o.title, ...status };
      }),
    );
  }

  /** The schedule's job: one `contract.delivery.late` audit event per overdue period, once. */
  async flagLateDeliveries(now: Date): Promise<number> {
    let flagged = 0;
    const failures: Error[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.deps.store.listContracts({ limit: 50, ...(cursor ? { cursor } : {}) });
      for (const contract of page.items) {
        try {
          flagged += await this.flagContract(contract, now);
        } catch (error) {
          failures.push(new Error(`contract ${contract.id}: ${(error as Error).message}`, { cause: error }));
        }
      }
      cursor = page.cursor;
    } while (cursor);
    // One broken contract must not stop the others from being checked.
    if (failures.length) throw new AggregateError(failures, `${failures.length} contract(s) could not be checked; ${flagged} flag(s) raised`);
    return flagged;
  }

  private async flagContract(contract: Contract, now: Date): Promise<number> {
    let flagged = 0;
    for (const o of contract.obligations) {
      const overdue = overduePeriods(contract, o, await this.deps.store.deliveries(contract.id, o.id), now.toISOString());
      for (const period of overdue.slice(-MAX_FLAGS_PER_RUN)) {
        const event = this.deps.audit.record({
          actor: systemActor('schedule'),
          action: 'contract.delivery.late',
          subject: contract.id,
          parties: [contract.operatorId],
          data: { obligationId: o.id, period: period.index, start: period.start, end: period.end, due: period.due },
        });
        if (await this.deps.store.flagLate(contract.id, o.id, period.index, event)) flagged += 1;
      }
    }
    return flagged;
  }

}
