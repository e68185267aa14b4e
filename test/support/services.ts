import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoAuditStore } from '../../functions/adapters/dynamo/audit-store.ts';
import { LocalSigner } from '../../functions/adapters/signing/local-signer.ts';
import { DynamoPeopleStore } from '../../functions/adapters/dynamo/people-store.ts';
import { DynamoIdentityStore } from '../../functions/adapters/dynamo/identity-store.ts';
import { AuditService } from '../../functions/domain/audit/audit-service.ts';
import { AuditTrail } from '../../functions/domain/audit/audit-trail.ts';
import { AuditSequencer } from '../../functions/domain/audit/sequencer.ts';
import { IdentityService } from '../../functions/domain/identity/identity-service.ts';
import { systemClock, ulidGenerator } from '../../functions/domain/ids.ts';
import type { Principal } from '../../functions/domain/model.ts';
import type { DomainEvent, DomainEventPublisher } from '../../functions/ports/audit.ts';
import type { TestTable } from './emulators.ts';
import { MemoryCheckpointStore } from './memory-checkpoints.ts';

/** A publisher that keeps what it was given, for assertions. */
export class RecordingPublisher implements DomainEventPublisher {
  readonly events: DomainEvent[] = [];
  async publish(events: readonly DomainEvent[]): Promise<void> {
    this.events.push(...events);
  }
}

/** The production services wired on a test table. */
export function servicesOn(table: TestTable) {
  const ids = ulidGenerator(systemClock);
  const identityStore = new DynamoIdentityStore(table.db, table.tableName);
  const auditStore = new DynamoAuditStore(table.db, table.tableName);
  const publisher = new RecordingPublisher();
  const checkpoints = new MemoryCheckpointStore();
  const signer = new LocalSigner(join(mkdtempSync(join(tmpdir(), 'comptoir-key-')), 'signing-key.pem'));
  return {
    identityStore,
    auditStore,
    publisher,
    identity: new IdentityService({ store: identityStore, people: new DynamoPeopleStore(table.db, table.tableName), audit: new AuditTrail({ clock: systemClock, ids }), clock: systemClock, ids }),
    checkpoints,
    signer,
    audit: new AuditService({ store: auditStore, checkpoints, signer }),
    sequencer: new AuditSequencer({ store: auditStore, publisher }),
  };
}

/** Bootstraps a territory and returns its first officer as a principal. */
export async function bootstrapOfficer(identity: IdentityService): Promise<{ officer: Principal; officerKey: string; collectivityId: string }> {
  const boot = await identity.bootstrapTerritory({ name: 'Test Territory', contactEmail: 'officer@territory.example' });
  if (!boot) throw new Error('territory already bootstrapped');
  const officer = await identity.authenticate(`Bearer ${boot.officerKey}`);
  if (!officer) throw new Error('officer key does not authenticate');
  return { officer, officerKey: boot.officerKey, collectivityId: boot.collectivity.id };
}
