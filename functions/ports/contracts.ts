import type { Contract } from '../../schemas/index.ts';
import type { PendingAuditEvent } from '../domain/audit/audit-trail.ts';
import type { Page, PageRequest } from '../domain/model.ts';

export interface DeliveryRecord {
  readonly datasetId: string;
  readonly version: number;
  readonly publishedAt: string;
}

/** Persistence of DSP contracts, their deliveries and the late flags the schedule raised. */
export interface ContractStore {
  createContract(contract: Contract, event: PendingAuditEvent): Promise<void>;
  getContract(id: string): Promise<Contract | undefined>;
  listContracts(page: PageRequest): Promise<Page<Contract>>;
  listOperatorContracts(operatorId: string, page: PageRequest): Promise<Page<Contract>>;
  deliveries(contractId: string, obligationId: string): Promise<DeliveryRecord[]>;
  /** A purged version no longer counts as delivered. */
  removeDelivery(obligation: { contractId: string; obligationId: string }, delivery: DeliveryRecord): Promise<void>;
  /** Records the flag and its audit event once; false when that period was already flagged. */
  flagLate(contractId: string, obligationId: string, periodIndex: number, event: PendingAuditEvent): Promise<boolean>;
}
