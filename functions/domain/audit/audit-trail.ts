import { digestOf } from '../../../contracts/digest.ts';
import type { Actor, AuditEventBody } from '../../../schemas/index.ts';
import type { Clock, IdGenerator } from '../../ports/time.ts';
import type { Principal } from '../model.ts';

/** An audit event ready to be written to the outbox in the same transaction as its change. */
export interface PendingAuditEvent {
  readonly body: AuditEventBody;
  /** SHA-256 of the RFC 8785 canonical JSON of `body`. */
  readonly bodyHash: string;
}

export interface AuditEventInput {
  readonly actor: Actor;
  readonly action: string;
  readonly subject: string;
  readonly parties: readonly string[];
  readonly data?: Record<string, unknown>;
}

/** The actor an API caller is recorded as. */
export const actorOf = (p: Principal): Actor =>
  p.session
    ? { type: 'person', personId: p.session.personId, sessionId: p.session.sessionId, partnerId: p.partnerId, role: p.role }
    : { type: 'key', keyId: p.keyId, ...(p.personId ? { personId: p.personId } : {}), partnerId: p.partnerId, role: p.role };

/** The actor the platform itself is recorded as (schedule, ingest, bootstrap). */
export const systemActor = (name: string): Actor => ({ type: 'system', name });

/**
 * Builds audit events; every capability calls `record` and hands the result to its store,
 * which writes it as an outbox item inside the transaction of the change.
 */
export class AuditTrail {
  constructor(private readonly deps: { clock: Clock; ids: IdGenerator }) {}

  record(input: AuditEventInput): PendingAuditEvent {
    const body: AuditEventBody = {
      id: this.deps.ids.next('evt'),
      at: this.deps.clock.now().toISOString(),
      actor: input.actor,
      action: input.action,
      subject: input.subject,
      parties: [...new Set(input.parties)].sort(),
      data: input.data ?? {},
    };
    return { body, bodyHash: digestOf(body) };
  }
}
