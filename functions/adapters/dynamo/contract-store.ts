import { DeleteCommand, GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Contract } from '../../../schemas/index.ts';
import type { PendingAuditEvent } from '../../domain/audit/audit-trail.ts';
import { InvalidRequestError } from '../../domain/errors.ts';
import type { Page, PageRequest } from '../../domain/model.ts';
import type { ContractStore, DeliveryRecord } from '../../ports/contracts.ts';
import { cancellationCodes, dependencyFailure } from './errors.ts';
import { ALL_CONTRACTS, contractKey, deliveryPrefix, deliverySk, lateFlagKey, operatorContracts } from './keys.ts';
import { outboxPut } from './outbox.ts';
import { DEFAULT_LIMIT, pageOf, startKeyOf } from './pagination.ts';

function toContract(item: Record<string, unknown>): Contract {
  const { id, operatorId, service, startsOn, endsOn, obligations, createdAt } = item as Contract;
  return { id, operatorId, service, startsOn, endsOn, obligations, createdAt };
}

/** DSP contracts, deliveries (written by publication) and late flags. */
export class DynamoContractStore implements ContractStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async createContract(contract: Contract, event: PendingAuditEvent): Promise<void> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { ...contractKey(contract.id), ...contract, gsi1pk: ALL_CONTRACTS, gsi1sk: contract.id, gsi2pk: operatorContracts(contract.operatorId), gsi2sk: contract.id },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            outboxPut(this.tableName, event),
          ],
        }),
      );
    } catch (error) {
      throw dependencyFailure('TransactWriteItems', error);
    }
  }

  async getContract(id: string): Promise<Contract | undefined> {
    const out = await this.run(() => this.db.send(new GetCommand({ TableName: this.tableName, Key: contractKey(id) })));
    return out.Item ? toContract(out.Item) : undefined;
  }

  listContracts(page: PageRequest): Promise<Page<Contract>> {
    return this.queryIndex('gsi1', ALL_CONTRACTS, page);
  }

  listOperatorContracts(operatorId: string, page: PageRequest): Promise<Page<Contract>> {
    return this.queryIndex('gsi2', operatorContracts(operatorId), page);
  }

  async deliveries(contractId: string, obligationId: string): Promise<DeliveryRecord[]> {
    const found: DeliveryRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.run(() =>
        this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: { ':pk': contractKey(contractId).pk, ':prefix': deliveryPrefix(obligationId) },
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        ),
      );
      found.push(...(out.Items ?? []).map((i) => ({ datasetId: String(i.datasetId), version: Number(i.version), publishedAt: String(i.publishedAt) })));
      start = out.LastEvaluatedKey;
    } while (start);
    return found;
  }

  async removeDelivery(obligation: { contractId: string; obligationId: string }, d: DeliveryRecord): Promise<void> {
    await this.run(() =>
      this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { pk: contractKey(obligation.contractId).pk, sk: deliverySk(obligation.obligationId, d.publishedAt, d.datasetId, d.version) },
        }),
      ),
    );
  }

  async flagLate(contractId: string, obligationId: string, periodIndex: number, event: PendingAuditEvent): Promise<boolean> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.tableName, Item: { ...lateFlagKey(contractId, obligationId, periodIndex), flaggedAt: event.body.at }, ConditionExpression: 'attribute_not_exists(pk)' } },
            outboxPut(this.tableName, event),
          ],
        }),
      );
      return true;
    } catch (error) {
      if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return false;
      throw dependencyFailure('TransactWriteItems', error);
    }
  }

  private async queryIndex(index: 'gsi1' | 'gsi2', partition: string, page: PageRequest): Promise<Page<Contract>> {
    const pkName = `${index}pk`;
    const start = startKeyOf(page, ['pk', 'sk', pkName, `${index}sk`]);
    if (start && start[pkName] !== partition) throw new InvalidRequestError('cursor belongs to another list');
    const out = await this.run(() =>
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: index,
          KeyConditionExpression: `${pkName} = :p`,
          ExpressionAttributeValues: { ':p': partition },
          Limit: page.limit ?? DEFAULT_LIMIT,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      ),
    );
    return pageOf((out.Items ?? []).map(toContract), out.LastEvaluatedKey);
  }

  private async run<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw dependencyFailure('contracts', error);
    }
  }
}
