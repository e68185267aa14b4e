import { createHash } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PendingAuditEvent } from '../../domain/audit/audit-trail.ts';
import { DomainError, StateConflictError } from '../../domain/errors.ts';
import type { Page, PageRequest } from '../../domain/model.ts';
import { PersonAlreadyInvitedError, PersonStateConflictError } from '../../domain/people/errors.ts';
import type { LoginAttempt, PeopleStore, SessionRecord, StoredPerson } from '../../ports/people.ts';
import { cancellationCodes, dependencyFailure, dynamoCall } from './errors.ts';
import { outboxPut } from './outbox.ts';
import { gsi1Page, pageOf } from './pagination.ts';

const personKey = (id: string) => ({ pk: `PERSON#${id}`, sk: 'PERSON' });
const emailKey = (email: string) => ({ pk: `EMAIL#${email}`, sk: 'EMAIL' });
// Hashed: an issuer URL plus a subject could exceed what a key should hold.
const subjectKey = (issuer: string, subject: string) => ({ pk: `SUBJECT#${createHash('sha256').update(`${issuer}\n${subject}`).digest('hex')}`, sk: 'SUBJECT' });
const sessionKey = (id: string) => ({ pk: `SESSION#${id}`, sk: 'SESSION' });
const loginKey = (stateHash: string) => ({ pk: `LOGIN#${stateHash}`, sk: 'LOGIN' });
const peopleOf = (partnerId: string) => `PARTNER#${partnerId}#PEOPLE`;
const sessionsOf = (personId: string) => `PERSON#${personId}#SESSIONS`;
/** A transaction holds 100 items; a removal spends a few on the person and keeps the rest for sessions. */
const MAX_SESSIONS_PER_REMOVAL = 90;
const ttlOf = (iso: string) => Math.ceil(Date.parse(iso) / 1000);

function toPerson(item: Record<string, unknown>): StoredPerson {
  const { pk: _pk, sk: _sk, gsi1pk: _g, gsi1sk: _s, ...person } = item;
  return person as unknown as StoredPerson;
}

function toSession(item: Record<string, unknown>): SessionRecord {
  const { pk: _pk, sk: _sk, gsi1pk: _g, gsi1sk: _s, ttl: _ttl, ...session } = item;
  return session as unknown as SessionRecord;
}

/** People, sessions and sign-ins under way in the single table (sessions and sign-ins expire by TTL too). */
export class DynamoPeopleStore implements PeopleStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getPerson(id: string): Promise<StoredPerson | undefined> {
    const item = await this.get(personKey(id));
    return item ? toPerson(item) : undefined;
  }

  async personByEmail(email: string): Promise<StoredPerson | undefined> {
    const pointer = await this.get(emailKey(email));
    return pointer ? this.getPerson(String(pointer.personId)) : undefined;
  }

  async personBySubject(issuer: string, subject: string): Promise<StoredPerson | undefined> {
    const pointer = await this.get(subjectKey(issuer, subject));
    return pointer ? this.getPerson(String(pointer.personId)) : undefined;
  }

  async listPeople(partnerId: string, page: PageRequest): Promise<Page<StoredPerson>> {
    const out = await gsi1Page(this.db, this.tableName, peopleOf(partnerId), page);
    return pageOf(out.Items!.map(toPerson), out.LastEvaluatedKey);
  }

  async invite(person: StoredPerson, event: PendingAuditEvent): Promise<void> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            this.putNew({ ...personKey(person.id), ...person, gsi1pk: peopleOf(person.partnerId), gsi1sk: person.id }),
            this.putNew({ ...emailKey(person.email), personId: person.id }),
            outboxPut(this.tableName, event),
          ],
        }),
      );
    } catch (error) {
      if (cancellationCodes(error)?.[1] === 'ConditionalCheckFailed') throw new PersonAlreadyInvitedError(person.email, { cause: error });
      throw this.translate('invite', error);
    }
  }

  async activate(person: StoredPerson, event: PendingAuditEvent): Promise<void> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { ...personKey(person.id), ...person, gsi1pk: peopleOf(person.partnerId), gsi1sk: person.id },
                ConditionExpression: '#status = :invited',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':invited': 'invited' },
              },
            },
            this.putNew({ ...subjectKey(person.issuer!, person.subject!), personId: person.id }),
            outboxPut(this.tableName, event),
          ],
        }),
      );
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes?.[0] === 'ConditionalCheckFailed') throw new PersonStateConflictError(`person ${person.id} was removed or signed in meanwhile`, { cause: error });
      if (codes?.[1] === 'ConditionalCheckFailed') throw new PersonStateConflictError("this provider account is already bound to another person", { cause: error });
      throw this.translate('activate', error);
    }
  }

  async remove(person: StoredPerson, event: PendingAuditEvent): Promise<void> {
    const sessions = await dynamoCall('Query', () =>
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :p',
          ExpressionAttributeValues: { ':p': sessionsOf(person.id) },
          Limit: MAX_SESSIONS_PER_REMOVAL,
        }),
      ),
    );
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Delete: { TableName: this.tableName, Key: personKey(person.id), ConditionExpression: 'attribute_exists(pk)' } },
            { Delete: { TableName: this.tableName, Key: emailKey(person.email) } },
            ...(person.issuer && person.subject ? [{ Delete: { TableName: this.tableName, Key: subjectKey(person.issuer, person.subject) } }] : []),
            ...sessions.Items!.map((s) => ({ Delete: { TableName: this.tableName, Key: sessionKey(String(s.sessionId)) } })),
            outboxPut(this.tableName, event),
          ],
        }),
      );
    } catch (error) {
      if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') throw new PersonStateConflictError(`person ${person.id} was removed meanwhile`, { cause: error });
      throw this.translate('remove', error);
    }
  }

  async createSession(session: SessionRecord, event: PendingAuditEvent): Promise<void> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            // A person removed between the provider's answer and now gets no session.
            { ConditionCheck: { TableName: this.tableName, Key: personKey(session.personId), ConditionExpression: 'attribute_exists(pk)' } },
            this.putNew({ ...sessionKey(session.sessionId), ...session, gsi1pk: sessionsOf(session.personId), gsi1sk: session.sessionId, ttl: ttlOf(session.expiresAt) }),
            outboxPut(this.tableName, event),
          ],
        }),
      );
    } catch (error) {
      if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') throw new PersonStateConflictError(`person ${session.personId} was removed meanwhile`, { cause: error });
      throw this.translate('createSession', error);
    }
  }

  async getSession(sessionId: string): Promise<SessionRecord | undefined> {
    const item = await this.get(sessionKey(sessionId));
    return item ? toSession(item) : undefined;
  }

  async deleteSession(sessionId: string): Promise<void> {
    await dynamoCall('DeleteItem', () => this.db.send(new DeleteCommand({ TableName: this.tableName, Key: sessionKey(sessionId) })));
  }

  async saveLoginAttempt(attempt: LoginAttempt): Promise<void> {
    await dynamoCall('PutItem', () => this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...loginKey(attempt.stateHash), ...attempt, ttl: ttlOf(attempt.expiresAt) } })));
  }

  async takeLoginAttempt(stateHash: string): Promise<LoginAttempt | undefined> {
    const out = await dynamoCall('DeleteItem', () => this.db.send(new DeleteCommand({ TableName: this.tableName, Key: loginKey(stateHash), ReturnValues: 'ALL_OLD' })));
    if (!out.Attributes) return undefined;
    const { pk: _pk, sk: _sk, ttl: _ttl, ...attempt } = out.Attributes;
    return attempt as unknown as LoginAttempt;
  }

  private putNew(item: Record<string, unknown>) {
    return { Put: { TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } };
  }

  private async get(key: { pk: string; sk: string }): Promise<Record<string, unknown> | undefined> {
    // Strongly consistent: a logout, a removal or a first sign-in holds from the very next request.
    const out = await dynamoCall('GetItem', () => this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true })));
    return out.Item;
  }

  private translate(operation: string, error: unknown): Error {
    if (error instanceof DomainError) return error;
    if (cancellationCodes(error)?.includes('TransactionConflict')) {
      return new StateConflictError('a concurrent change touched the same records; retry', 'concurrent_change', { cause: error });
    }
    return dependencyFailure(operation, error);
  }
}
