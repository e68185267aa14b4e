import type {
  CreateKeyRequest,
  CreateKeyResponse,
  CreatePartnerRequest,
  CreatePartnerResponse,
  KeySummary,
  MeResponse,
  Partner,
  PartnerList,
  Role,
} from '../../../schemas/index.ts';
import type { IdentityStore } from '../../ports/identity.ts';
import type { PeopleStore } from '../../ports/people.ts';
import type { Clock, IdGenerator } from '../../ports/time.ts';
import { AuditTrail, actorOf, systemActor } from '../audit/audit-trail.ts';
import { BusinessRuleError, ForbiddenError, KeyNotFoundError, PartnerNotFoundError, UnauthenticatedError } from '../errors.ts';
import { isOfficer, type KeyRecord, type Page, type PageRequest, type Principal } from '../model.ts';
import { bearerToken, generateApiKey, hashApiKey, isWellFormedApiKey } from './api-keys.ts';
import { KeyAlreadyRevokedError, TerritoryNotBootstrappedError } from './errors.ts';

export interface IdentityDeps {
  readonly store: IdentityStore;
  /** To refuse a key whose person was removed. */
  readonly people: Pick<PeopleStore, 'getPerson'>;
  readonly audit: AuditTrail;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

export interface RecoveryRequest {
  /** Who ran the break-glass command (OS user and host), for the audit trail. */
  readonly operator: string;
}

export interface BootstrapRequest {
  readonly name: string;
  readonly contactEmail: string;
  /** Use this secret for the first officer key instead of a random one. */
  readonly officerKey?: string;
}

/** Partners, API keys and who may manage them. */
export class IdentityService {
  constructor(private readonly deps: IdentityDeps) {}

  /** The principal of an `Authorization` header value, or undefined (the authorizer's one read). */
  async authenticate(authorization: string | undefined): Promise<Principal | undefined> {
    const key = bearerToken(authorization);
    if (!key || !isWellFormedApiKey(key)) return undefined;
    const principal = await this.deps.store.principalByKeyHash(hashApiKey(key));
    // A removed person's keys would go on speaking as them: they die with the person (one more read, bound keys only).
    if (principal?.personId && !(await this.deps.people.getPerson(principal.personId))) return undefined;
    return principal;
  }

  async me(principal: Principal): Promise<MeResponse> {
    const partner = await this.deps.store.getPartner(principal.partnerId);
    // A key whose partner vanished is as good as revoked.
    if (!partner) throw new UnauthenticatedError();
    return {
      principal: { keyId: principal.keyId, label: principal.label, ...(principal.personId && !principal.session ? { personId: principal.personId } : {}) },
      partner: { id: partner.id, name: partner.name, kind: partner.kind },
      role: principal.role,
      ...(principal.session
        ? {
            person: { id: principal.session.personId, email: principal.session.email, ...(principal.session.name ? { name: principal.session.name } : {}) },
            session: { expiresAt: principal.session.expiresAt, csrfToken: principal.session.csrfToken, ...(principal.session.acr ? { acr: principal.session.acr } : {}) },
          }
        : {}),
    };
  }

  async createPartner(principal: Principal, req: CreatePartnerRequest): Promise<CreatePartnerResponse> {
    if (!isOfficer(principal)) throw new ForbiddenError('only a collectivity officer can register partners', 'officer_only');
    const partner: Partner = {
      id: this.deps.ids.next('prt'),
      name: req.name,
      kind: req.kind,
      ...(req.siren ? { siren: req.siren } : {}),
      contactEmail: req.contactEmail,
      createdAt: this.now(),
    };
    const { record, secret } = this.newKey(partner.id, 'admin', 'first admin key');
    const actor = actorOf(principal);
    await this.deps.store.createPartner(
      partner,
      record,
      this.deps.audit.record({ actor, action: 'partner.created', subject: partner.id, parties: [partner.id], data: { name: partner.name, kind: partner.kind, ...(partner.siren ? { siren: partner.siren } : {}) } }),
      this.keyIssuedEvent(actor, record),
    );
    return { partner, adminKey: { keyId: record.keyId, key: secret } };
  }

  async listPartners(principal: Principal, page: PageRequest): Promise<PartnerList> {
    if (isOfficer(principal)) return this.deps.store.listPartners(page);
    const own = await this.deps.store.getPartner(principal.partnerId);
    return { items: own ? [own] : [] };
  }

  async getPartner(principal: Principal, id: string): Promise<Partner> {
    if (!isOfficer(principal) && id !== principal.partnerId) throw new PartnerNotFoundError(id);
    const partner = await this.deps.store.getPartner(id);
    if (!partner) throw new PartnerNotFoundError(id);
    return partner;
  }

  async issueKey(principal: Principal, partnerId: string, req: CreateKeyRequest): Promise<CreateKeyResponse> {
    const partner = await this.getPartner(principal, partnerId);
    this.assertManagesKeysOf(principal, partnerId);
    const isCollectivity = partner.kind === 'collectivity';
    if (isCollectivity !== (req.role === 'officer')) {
      throw new BusinessRuleError(
        isCollectivity ? 'keys of the collectivity carry the officer role' : 'the officer role belongs to the collectivity only',
        'role_not_allowed',
      );
    }
    // A person's key for their own partner speaks as them (four eyes, histories); a machine's key, or one handed to another partner, stays its own actor.
    const personId = principal.partnerId === partner.id ? principal.personId : undefined;
    const { record, secret } = this.newKey(partner.id, req.role, req.label, undefined, personId);
    await this.deps.store.createKey(record, this.keyIssuedEvent(actorOf(principal), record));
    return { keyId: record.keyId, key: secret, role: record.role, label: record.label, partnerId: record.partnerId };
  }

  async listKeys(principal: Principal, partnerId: string, page: PageRequest): Promise<Page<KeySummary>> {
    await this.getPartner(principal, partnerId);
    this.assertManagesKeysOf(principal, partnerId);
    const result = await this.deps.store.listKeys(partnerId, page);
    return { ...result, items: result.items.map(({ keyHash: _hidden, ...summary }) => summary) };
  }

  async revokeKey(principal: Principal, keyId: string): Promise<void> {
    const key = await this.deps.store.getKey(keyId);
    if (!key || (!isOfficer(principal) && key.partnerId !== principal.partnerId)) throw new KeyNotFoundError(keyId);
    this.assertManagesKeysOf(principal, key.partnerId);
    if (key.revokedAt) throw new KeyAlreadyRevokedError(keyId);
    // The last active officer key is refused by the store, inside the revocation's own transaction.
    const event = this.deps.audit.record({
      actor: actorOf(principal),
      action: 'key.revoked',
      subject: key.keyId,
      parties: [key.partnerId],
      data: { partnerId: key.partnerId, role: key.role, label: key.label },
    });
    await this.deps.store.revokeKey(key, this.now(), event);
  }

  /** Creates the collectivity and its first officer key once; later calls return undefined. */
  async bootstrapTerritory(req: BootstrapRequest): Promise<{ collectivity: Partner; officerKey: string } | undefined> {
    if (await this.deps.store.territory()) return undefined;
    if (req.officerKey !== undefined && !isWellFormedApiKey(req.officerKey)) {
      throw new BusinessRuleError('an officer key must look like cpt_ followed by 20 to 128 characters of [A-Za-z0-9_-]', 'malformed_key');
    }
    const collectivity: Partner = {
      id: this.deps.ids.next('prt'),
      name: req.name,
      kind: 'collectivity',
      contactEmail: req.contactEmail,
      createdAt: this.now(),
    };
    const { record, secret } = this.newKey(collectivity.id, 'officer', 'first officer key', req.officerKey);
    const actor = systemActor('bootstrap');
    const created = await this.deps.store.bootstrapTerritory(collectivity, record, [
      this.deps.audit.record({ actor, action: 'territory.bootstrapped', subject: collectivity.id, parties: [collectivity.id], data: { name: collectivity.name } }),
      this.keyIssuedEvent(actor, record),
    ]);
    return created ? { collectivity, officerKey: secret } : undefined;
  }

  /** Binds the bootstrap's first officer key to the first officer person, so it speaks as them (four eyes) and dies with them. */
  async bindFirstOfficerKey(keyId: string, personId: string): Promise<void> {
    const key = await this.deps.store.getKey(keyId);
    if (!key) throw new KeyNotFoundError(keyId);
    const event = this.deps.audit.record({ actor: systemActor('bootstrap'), action: 'key.bound', subject: key.keyId, parties: [key.partnerId], data: { partnerId: key.partnerId, personId } });
    await this.deps.store.bindKey(key, personId, event);
  }

  /**
   * Break-glass for the infrastructure owner: a new officer key for the existing collectivity,
   * written with its `key.recovered` audit event in one transaction.
   */
  async recoverOfficerKey(req: RecoveryRequest): Promise<{ collectivity: Partner; keyId: string; officerKey: string }> {
    const territory = await this.deps.store.territory();
    if (!territory) throw new TerritoryNotBootstrappedError();
    const collectivity = await this.deps.store.getPartner(territory.collectivityId);
    if (!collectivity) throw new PartnerNotFoundError(territory.collectivityId);
    const { record, secret } = this.newKey(collectivity.id, 'officer', 'break-glass recovery key');
    await this.deps.store.createKey(
      record,
      this.deps.audit.record({
        actor: systemActor(`break-glass:${req.operator}`),
        action: 'key.recovered',
        subject: record.keyId,
        parties: [collectivity.id],
        data: { partnerId: collectivity.id, role: record.role, label: record.label, operator: req.operator },
      }),
    );
    return { collectivity, keyId: record.keyId, officerKey: secret };
  }

  private assertManagesKeysOf(principal: Principal, partnerId: string): void {
    if (isOfficer(principal)) return;
    if (principal.partnerId !== partnerId || principal.role !== 'admin') {
      throw new ForbiddenError("only an officer or the partner's admin can manage its keys", 'admin_only');
    }
  }

  private newKey(partnerId: string, role: Role, label: string, secret = generateApiKey(), personId?: string): { record: KeyRecord; secret: string } {
    const record: KeyRecord = { keyId: this.deps.ids.next('key'), keyHash: hashApiKey(secret), partnerId, role, label, createdAt: this.now(), ...(personId ? { personId } : {}) };
    return { record, secret };
  }

  private keyIssuedEvent(actor: ReturnType<typeof actorOf>, key: KeyRecord) {
    return this.deps.audit.record({ actor, action: 'key.issued', subject: key.keyId, parties: [key.partnerId], data: { partnerId: key.partnerId, role: key.role, label: key.label, ...(key.personId ? { personId: key.personId } : {}) } });
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }
}
