import * as z from 'zod';
import { EmptyBodySchema, HealthSchema, NotReadySchema, PageQuerySchema, ReadySchema } from './common.ts';
import { DcatCatalogSchema, LINKED_DATA_MEDIA_TYPES, LinkedDatasetSchema, LinkedPartnerSchema, LinkedPlatformSchema, OdrlProfileSchema } from './linked-data.ts';
import {
  CreatePartnerRequestSchema,
  CreatePartnerResponseSchema,
  PartnerListSchema,
  PartnerPathSchema,
  PartnerSchema,
} from './partner.ts';
import { CallbackQuerySchema, InvitePersonRequestSchema, LoginQuerySchema, LogoutResponseSchema, PersonListSchema, PersonPathSchema, PersonSchema, SignInRedirectHeaders } from './person.ts';
import { NotificationPreferencesSchema, PutNotificationPreferencesRequestSchema } from './notification.ts';
import { CreateKeyRequestSchema, CreateKeyResponseSchema, KeyListSchema, KeyPathSchema, MeResponseSchema } from './key.ts';
import { AuditCheckpointListSchema, AuditCheckpointQuerySchema, AuditListSchema, AuditQuerySchema, AuditVerifyQuerySchema, AuditVerifySchema } from './audit.ts';
import {
  CompleteUploadRequestSchema,
  CreateDatasetRequestSchema,
  CreateVersionRequestSchema,
  CreateVersionResponseSchema,
  DatasetListSchema,
  DatasetPathSchema,
  DatasetQuerySchema,
  DatasetSchema,
  DatasetVersionSchema,
  PartUrlsRequestSchema,
  PartUrlsResponseSchema,
  PurgeVersionQuerySchema,
  PurgeVersionRequestSchema,
  UpdateDatasetRequestSchema,
  VersionListSchema,
  VersionPathSchema,
} from './dataset.ts';
import { ComplianceQuerySchema, ComplianceSchema, ContractListSchema, ContractSchema, CreateContractRequestSchema } from './contract.ts';
import { MaskRequestSchema, RegisterMaskSchema, RegisterPathSchema, RegisterQuerySchema, RegisterSchema } from './register.ts';
import { DatasetChangeListSchema, DatasetChangePathSchema, DatasetChangeQuerySchema, DatasetChangeSchema } from './dataset-change.ts';

import {
  CreateLicenceRequestSchema,
  CreateOfferRequestSchema,
  LicenceListSchema,
  LicenceQuerySchema,
  LicenceSchema,
  OfferListSchema,
  OfferQuerySchema,
  OfferSchema,
  OptionalReasonRequestSchema,
  ReasonRequestSchema,
  AccessDeniedSchema,
  AccessGrantedSchema,
  AccessPreparingSchema,
  AccessRequestSchema,
  AttestRequestSchema,
  DutyListSchema,
  DutyPathSchema,
  DutySchema,
} from './licence.ts';
import { AcceptBarterRequestSchema, ApproveBarterRequestSchema, BarterListSchema, BarterQuerySchema, BarterSchema, CreateBarterRequestSchema } from './barter.ts';
import { CreateSubscriptionRequestSchema, DeliveryListSchema, FeedPathSchema, JsonFeedSchema, SubscriptionListSchema, SubscriptionSchema, SubscriptionWithSecretSchema } from './feed.ts';
import { GrantRequestSchema, GrantResponseSchema, LedgerQuerySchema, LedgerSchema } from './ledger.ts';
import { ExportPathSchema, ExportQuerySchema, LicensedExportQuerySchema, LicensedRecordsQuerySchema, RecordsPageSchema, RecordsQuerySchema } from './query.ts';
import { ClauseCatalogueSchema, PolicyPreviewSchema, PolicySchema, PutPolicyRequestSchema, TemplateCatalogueSchema, ZoneLayerSchema, ZoneListSchema, ZonePathSchema, ZoneSchema } from './policy.ts';

const IdPathSchema = z.object({ id: z.string().min(1).max(64) });
const RetryAfterHeaders = z.object({ 'Retry-After': z.number().int().positive().meta({ description: 'Seconds to wait before asking again' }) });
const LocationHeaders = z.object({ Location: z.url().meta({ description: 'Where the bytes are: a presigned URL valid a few minutes' }) });
const OpenDatasetSchema = DatasetSchema.extend({ versions: z.array(DatasetVersionSchema) }).meta({ id: 'OpenDataset' });
const NextPageHeaders = z.object({ Link: z.string().optional().meta({ description: 'The next page: `<url>; rel="next"` (absent on the last page)' }) });
const DownloadQuerySchema = z.object({ version: z.coerce.number().int().positive().optional() }).strict();

/** The Lambda functions that serve HTTP routes; one bundle each. */
export const HTTP_FUNCTION_GROUPS = ['public', 'identity', 'audit', 'datasets', 'contracts', 'open', 'policy', 'licences', 'access', 'feeds', 'query'] as const;
export type HttpFunctionGroup = (typeof HTTP_FUNCTION_GROUPS)[number];

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A role an API key carries. */
export type CallerRole = 'officer' | 'admin' | 'member';

/**
 * The relation the caller's partner must have to the object a route acts on (named in its path or
 * body): `self` the partner in the path, `key-owner` the partner of the key, `dataset-owner` the
 * publisher, `dataset-licensee` a holder of an active licence on the dataset, `offer-owner` the offering partner, `contract-operator` the DSP operator,
 * `licence-party` either party, `licensee`, `licensor`, `barter-party` either side,
 * `counterparty` the barter's addressee, `access-owner` the licensee who asked, `subscriber` the
 * subscription's owner, `change-requester` the partner who asked for a dataset change, `person-partner` the
 * partner a person belongs to.
 */
export type PartyRelation =
  | 'self' | 'key-owner' | 'dataset-owner' | 'dataset-licensee' | 'offer-owner' | 'contract-operator' | 'licence-party' | 'licensee' | 'licensor'
  | 'barter-party' | 'counterparty' | 'access-owner' | 'subscriber' | 'change-requester' | 'person-partner';

/**
 * Who may call a route. The roles are enforced at the edge (403 `role_not_allowed`); the party
 * relation by the domain service that loads the object: a partner that is no party gets 404 (ids do
 * not leak), a party on the other side 403. `officers`: officers act although not a party.
 */
export interface RoutePermission {
  readonly roles: readonly CallerRole[];
  readonly party?: PartyRelation;
  readonly officers?: boolean;
  /**
   * Roles whose sessions must have signed in at the territory's partner-admin assurance level
   * (`COMPTOIR_PARTNER_ADMIN_ACR`) to call the route, else 403 `acr_insufficient`; keys are not sessions.
   */
  readonly acr?: readonly CallerRole[];
}

export type SuccessStatus = 200 | 201 | 202 | 204 | 302 | 303;

/** A success answer of a route besides its main one. */
export interface OtherAnswer {
  readonly summary: string;
  readonly response?: z.ZodType;
  readonly headers?: z.ZodObject;
}

/** One HTTP route, declared once: CDK, the local router, validation and OpenAPI all read it. */
export interface RouteDeclaration {
  readonly method: HttpMethod;
  /** API Gateway path syntax: `/v1/partners/{id}`. */
  readonly path: string;
  readonly group: HttpFunctionGroup;
  /** `key`: the Lambda authorizer runs and the handler requires an authenticated caller. */
  readonly auth: 'none' | 'key';
  readonly summary: string;
  /** Who may call it, in words, for the OpenAPI description. */
  readonly who: string;
  readonly status: SuccessStatus;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly body?: z.ZodType;
  /** The body may be left out: the route then reads `{}` (for DELETE, whose bodies many clients cannot send). */
  readonly bodyOptional?: true;
  readonly response?: z.ZodType;
  /** Media types of the success body, when not `application/json` alone (several: content negotiation on `Accept`). */
  readonly mediaTypes?: readonly string[];
  /** The route answers 303 See Other to clients that prefer HTML (browsers); says where to. */
  readonly seeOther?: string;
  /** Headers of the `status` answer that clients rely on (a redirect's `Location`). */
  readonly responseHeaders?: z.ZodObject;
  /** Other success answers, e.g. 202 while an enforced variant is built. */
  readonly otherAnswers?: Partial<Record<SuccessStatus, OtherAnswer>>;
  /** Error answers whose body carries more than the error shape (an access denial lists its clauses). */
  readonly errorBodies?: Partial<Record<403 | 404 | 409 | 422 | 503, z.ZodType>>;
  /** The service honours an `Idempotency-Key` header (claimed before the change, answer replayed). */
  readonly idempotent?: true;
  /** Who may call it: `anyone` for routes without a key, otherwise roles and party relation. */
  readonly allow: 'anyone' | RoutePermission;
  /** Business-rule answers a caller should expect besides 400/401/500 (503: not ready yet). */
  readonly errors?: readonly (401 | 403 | 404 | 409 | 422 | 503)[];
}

const route = <const R extends RouteDeclaration>(r: R): R => r;

/** Every route of the HTTP API, keyed by operation id. */
export const routes = {
  health: route({
    method: 'GET', path: '/health', group: 'public', auth: 'none', status: 200,
    summary: 'Ready to serve', who: 'anyone', response: HealthSchema,
    allow: 'anyone',
  }),
  ready: route({
    method: 'GET', path: '/health/ready', group: 'public', auth: 'none', status: 200,
    summary: 'The table and the bucket answer (checked at most once a second)', who: 'anyone', response: ReadySchema,
    errors: [503], errorBodies: { 503: NotReadySchema },
    allow: 'anyone',
  }),
  openapi: route({
    method: 'GET', path: '/openapi.json', group: 'public', auth: 'none', status: 200,
    summary: 'This OpenAPI 3.1 document', who: 'anyone', response: z.record(z.string(), z.unknown()),
    allow: 'anyone',
  }),
  me: route({
    method: 'GET', path: '/v1/me', group: 'identity', auth: 'key', status: 200,
    summary: 'The calling key, its partner and role', who: 'any key', response: MeResponseSchema,
    allow: { roles: ['officer', 'admin', 'member'] },
  }),
  getNotificationPreferences: route({
    method: 'GET', path: '/v1/me/notifications', group: 'identity', auth: 'key', status: 200,
    summary: "The signed-in person's e-mail settings: per kind immediate or daily digest, and the language (422 with an API key: it has no person)", who: 'a signed-in person',
    response: NotificationPreferencesSchema, errors: [422],
    allow: { roles: ['officer', 'admin', 'member'] },
  }),
  putNotificationPreferences: route({
    method: 'PUT', path: '/v1/me/notifications', group: 'identity', auth: 'key', status: 200,
    summary: "Change the signed-in person's e-mail settings; kinds left out keep theirs (422 with an API key: it has no person)", who: 'a signed-in person',
    body: PutNotificationPreferencesRequestSchema, response: NotificationPreferencesSchema, errors: [422],
    allow: { roles: ['officer', 'admin', 'member'] },
  }),
  createPartner: route({
    method: 'POST', path: '/v1/partners', group: 'identity', auth: 'key', status: 201,
    summary: 'Register a partner and issue its first admin key', who: 'officer',
    body: CreatePartnerRequestSchema, response: CreatePartnerResponseSchema, errors: [403, 409],
    allow: { roles: ['officer'] },
  }),
  listPartners: route({
    method: 'GET', path: '/v1/partners', group: 'identity', auth: 'key', status: 200,
    summary: 'List partners', who: 'officer: all; a partner: itself',
    query: PageQuerySchema.strict(), response: PartnerListSchema,
    allow: { roles: ['officer', 'admin', 'member'] },
  }),
  getPartner: route({
    method: 'GET', path: '/v1/partners/{id}', group: 'identity', auth: 'key', status: 200,
    summary: 'One partner', who: 'officer; the partner itself (404 for any other)',
    params: PartnerPathSchema, response: PartnerSchema, errors: [404],
    allow: { roles: ['officer', 'admin', 'member'], party: 'self', officers: true },
  }),
  createKey: route({
    method: 'POST', path: '/v1/partners/{id}/keys', group: 'identity', auth: 'key', status: 201,
    summary: 'Issue an API key for a partner', who: "officer; that partner's admin",
    params: PartnerPathSchema, body: CreateKeyRequestSchema, response: CreateKeyResponseSchema, errors: [403, 404, 422],
    allow: { roles: ['officer', 'admin'], acr: ['admin'], party: 'self', officers: true },
  }),
  listKeys: route({
    method: 'GET', path: '/v1/partners/{id}/keys', group: 'identity', auth: 'key', status: 200,
    summary: "A partner's keys (metadata only)", who: "officer; that partner's admin",
    params: PartnerPathSchema, query: PageQuerySchema.strict(), response: KeyListSchema, errors: [403, 404],
    allow: { roles: ['officer', 'admin'], acr: ['admin'], party: 'self', officers: true },
  }),
  revokeKey: route({
    method: 'DELETE', path: '/v1/keys/{keyId}', group: 'identity', auth: 'key', status: 204,
    summary: 'Revoke a key; it stops working on the next request', who: "officer (any key); a partner's admin (its keys)",
    params: KeyPathSchema, errors: [403, 404, 409],
    allow: { roles: ['officer', 'admin'], acr: ['admin'], party: 'key-owner', officers: true },
  }),
  invitePerson: route({
    method: 'POST', path: '/v1/partners/{id}/people', group: 'identity', auth: 'key', status: 201,
    summary: 'Invite a person by e-mail address; they sign in with the OpenID provider (ProConnect)', who: "officer; that partner's admin",
    params: PartnerPathSchema, body: InvitePersonRequestSchema, response: PersonSchema, errors: [403, 404, 409, 422],
    allow: { roles: ['officer', 'admin'], acr: ['admin'], party: 'self', officers: true },
  }),
  listPeople: route({
    method: 'GET', path: '/v1/partners/{id}/people', group: 'identity', auth: 'key', status: 200,
    summary: "A partner's people (personal data: officers and that partner only)", who: 'officer; that partner',
    params: PartnerPathSchema, query: PageQuerySchema.strict(), response: PersonListSchema, errors: [404],
    allow: { roles: ['officer', 'admin', 'member'], party: 'self', officers: true },
  }),
  removePerson: route({
    method: 'DELETE', path: '/v1/people/{personId}', group: 'identity', auth: 'key', status: 204,
    summary: 'Remove a person and end their sessions; the audit keeps their pseudonymous id', who: "officer; the person's partner's admin",
    params: PersonPathSchema, errors: [403, 404, 409],
    allow: { roles: ['officer', 'admin'], acr: ['admin'], party: 'person-partner', officers: true },
  }),
  login: route({
    method: 'GET', path: '/auth/login', group: 'identity', auth: 'none', status: 302,
    summary: 'Start signing in: redirects to the OpenID provider (PKCE, state, nonce) and binds the state to this browser', who: 'anyone',
    query: LoginQuerySchema, responseHeaders: SignInRedirectHeaders, errors: [404],
    allow: 'anyone',
  }),
  callback: route({
    method: 'GET', path: '/auth/callback', group: 'identity', auth: 'none', status: 302,
    summary: "The provider's redirect back: checks it, opens a session (HttpOnly cookie) and redirects to the console", who: 'anyone',
    query: CallbackQuerySchema, responseHeaders: SignInRedirectHeaders, errors: [401, 403, 404, 409],
    allow: 'anyone',
  }),
  logout: route({
    method: 'POST', path: '/auth/logout', group: 'identity', auth: 'key', status: 200,
    summary: "End this session, and say where the browser ends the provider's", who: 'a signed-in person',
    response: LogoutResponseSchema, errors: [422],
    allow: { roles: ['officer', 'admin', 'member'] },
  }),
  listAudit: route({
    method: 'GET', path: '/v1/audit', group: 'audit', auth: 'key', status: 200,
    summary: 'The audit chain: bodies of your own events, hashes of the others', who: 'officer (all bodies); partners',
    query: AuditQuerySchema, response: AuditListSchema,
    allow: { roles: ['officer', 'admin', 'member'] },
  }),
  verifyAudit: route({
    method: 'GET', path: '/v1/audit/verify', group: 'audit', auth: 'key', status: 200,
    summary: 'Recompute the chain, compare it with every signed checkpoint, and report the first broken seq', who: 'any key',
    query: AuditVerifyQuerySchema, response: AuditVerifySchema,
    allow: { roles: ['officer', 'admin', 'member'] },
  }),
  listAuditCheckpoints: route({
    method: 'GET', path: '/v1/audit/checkpoints', group: 'audit', auth: 'key', status: 200,
    summary: "Signed checkpoints of the chain head (write-once storage), newest first, with the platform's public key", who: 'any key',
    query: AuditCheckpointQuerySchema, response: AuditCheckpointListSchema,
    allow: { roles: ['officer', 'admin', 'member'] },
  }),
  createDataset: route({
    method: 'POST', path: '/v1/datasets', group: 'datasets', auth: 'key', status: 201,
    summary: 'Register a dataset (metadata and schema)', who: 'any partner; DSP operators name the obligation it fulfils',
    body: CreateDatasetRequestSchema, response: DatasetSchema, errors: [422],
    allow: { roles: ['officer', 'admin'], acr: ['admin'] },
  }),
  listDatasets: route({
    method: 'GET', path: '/v1/datasets', group: 'datasets', auth: 'key', status: 200,
    summary: 'Search the catalogue (accent-insensitive word prefixes, theme, classification)', who: 'any partner',
    query: DatasetQuerySchema, response: DatasetListSchema,
    allow: { roles: ['officer', 'admin', 'member'] },
  }),
  getDataset: route({
    method: 'GET', path: '/v1/datasets/{id}', group: 'datasets', auth: 'key', status: 200,
    summary: 'Dataset metadata with its publisher', who: 'any partner', params: DatasetPathSchema, response: DatasetSchema, errors: [404],
    allow: { roles: ['officer', 'admin', 'member'] },
  }),
  updateDataset: route({
    method: 'PATCH', path: '/v1/datasets/{id}', group: 'datasets', auth: 'key', status: 200,
    summary: "Edit dataset metadata: 200 with the dataset, or 202 with a change request when the edit lowers privacy (a personal flag or field dropped, a classification opened); nothing changes until an officer approves it",
    who: 'the publisher', params: DatasetPathSchema, body: UpdateDatasetRequestSchema, response: DatasetSchema, errors: [403, 404, 409, 422],
    otherAnswers: { 202: { summary: 'The edit lowers privacy: held as a change request until an officer approves it', response: DatasetChangeSchema } },
    allow: { roles: ['officer', 'admin'], acr: ['admin'], party: 'dataset-owner' },
  }),
  createVersion: route({
    method: 'POST', path: '/v1/datasets/{id}/versions', group: 'datasets', auth: 'key', status: 201,
    summary: 'Start a new version: a presigned PUT, or a multipart upload above 64 MiB', who: 'the publisher',
    params: DatasetPathSchema, body: CreateVersionRequestSchema, response: CreateVersionResponseSchema, errors: [403, 404, 409],
    allow: { roles: ['officer', 'admin', 'member'], party: 'dataset-owner' },
  }),
  listVersions: route({
    method: 'GET', path: '/v1/datasets/{id}/versions', group: 'datasets', auth: 'key', status: 200,
    summary: 'Versions of a dataset, newest first', who: 'the publisher; officers', params: DatasetPathSchema, query: PageQuerySchema.strict(), response: VersionListSchema, errors: [403, 404],
    allow: { roles: ['officer', 'admin', 'member'], party: 'dataset-owner', officers: true },
  }),
  getVersion: route({
    method: 'GET', path: '/v1/datasets/{id}/versions/{n}', group: 'datasets', auth: 'key', status: 200,
    summary: 'A version: status, SHA-256, bytes, rows, quality report', who: 'the publisher; officers', params: VersionPathSchema, response: DatasetVersionSchema, errors: [403, 404],
    allow: { roles: ['officer', 'admin', 'member'], party: 'dataset-owner', officers: true },
  }),
  partUrls: route({
    method: 'POST', path: '/v1/datasets/{id}/versions/{n}/parts', group: 'datasets', auth: 'key', status: 200,
    summary: 'More presigned part URLs of a multipart upload (100 at most per call)', who: 'the publisher',
    params: VersionPathSchema, body: PartUrlsRequestSchema, response: PartUrlsResponseSchema, errors: [403, 404, 422],
    allow: { roles: ['officer', 'admin', 'member'], party: 'dataset-owner' },
  }),
  completeUpload: route({
    method: 'POST', path: '/v1/datasets/{id}/versions/{n}/complete', group: 'datasets', auth: 'key', status: 202,
    summary: 'Declare the upload finished; ingest validates it asynchronously (calling again is harmless)', who: 'the publisher',
    params: VersionPathSchema, body: CompleteUploadRequestSchema, response: DatasetVersionSchema, errors: [403, 404, 422],
    allow: { roles: ['officer', 'admin', 'member'], party: 'dataset-owner' },
  }),
  purgeVersion: route({
    method: 'DELETE', path: '/v1/datasets/{id}/versions/{n}', group: 'datasets', auth: 'key', status: 200,
    summary: 'Purge a version: bytes and variants removed, SHA-256 and reason kept in the audit trail', who: 'the publisher; officers',
    params: VersionPathSchema, query: PurgeVersionQuerySchema, body: PurgeVersionRequestSchema, bodyOptional: true, response: DatasetVersionSchema, errors: [403, 404, 409],
    allow: { roles: ['officer', 'admin'], acr: ['admin'], party: 'dataset-owner', officers: true },
  }),
  listDatasetChanges: route({
    method: 'GET', path: '/v1/dataset-changes', group: 'datasets', auth: 'key', status: 200,
    summary: "Dataset edits that lower privacy, held for an officer: the officers' inbox is ?state=pending", who: 'officers: all; partners: the requests they made',
    query: DatasetChangeQuerySchema, response: DatasetChangeListSchema,
    allow: { roles: ['officer', 'admin', 'member'] },
  }),
  getDatasetChange: route({
    method: 'GET', path: '/v1/dataset-changes/{id}', group: 'datasets', auth: 'key', status: 200,
    summary: 'One change request: the requested edit, what it makes less private, who asked and who decided', who: 'officers; the requesting partner',
    params: DatasetChangePathSchema, response: DatasetChangeSchema, errors: [404],
    allow: { roles: ['officer', 'admin', 'member'], party: 'change-requester', officers: true },
  }),
  approveDatasetChange: route({
    method: 'POST', path: '/v1/dataset-changes/{id}/approve', group: 'datasets', auth: 'key', status: 200,
    summary: 'Approve: the whole edit is applied in one transaction if the dataset has not changed since the request (409 and the request turns stale otherwise)',
    who: 'an officer, with a key other than the one that requested it', params: DatasetChangePathSchema, body: OptionalReasonRequestSchema, response: DatasetChangeSchema, errors: [403, 404, 409, 422],
    allow: { roles: ['officer'] },
  }),
  rejectDatasetChange: route({
    method: 'POST', path: '/v1/dataset-changes/{id}/reject', group: 'datasets', auth: 'key', status: 200,
    summary: 'Reject with a reason: the dataset stays as it is', who: 'officer', params: DatasetChangePathSchema, body: ReasonRequestSchema, response: DatasetChangeSchema, errors: [403, 404, 409],
    allow: { roles: ['officer'] },
  }),
  withdrawDatasetChange: route({
    method: 'POST', path: '/v1/dataset-changes/{id}/withdraw', group: 'datasets', auth: 'key', status: 200,
    summary: 'Withdraw a pending request: the dataset stays as it is', who: 'the requesting partner', params: DatasetChangePathSchema, body: EmptyBodySchema, bodyOptional: true, response: DatasetChangeSchema, errors: [404, 409],
    allow: { roles: ['officer', 'admin'], acr: ['admin'], party: 'change-requester' },
  }),
  createContract: route({
    method: 'POST', path: '/v1/contracts', group: 'contracts', auth: 'key', status: 201,
    summary: 'Register a DSP contract and its delivery obligations', who: 'officer', body: CreateContractRequestSchema, response: ContractSchema, errors: [403, 422],
    allow: { roles: ['officer'] },
  }),
  listContracts: route({
    method: 'GET', path: '/v1/contracts', group: 'contracts', auth: 'key', status: 200,
    summary: 'DSP contracts', who: 'officers: all; operators: their own', query: PageQuerySchema.strict(), response: ContractListSchema,
    allow: { roles: ['officer', 'admin', 'member'] },
  }),
  getContract: route({
    method: 'GET', path: '/v1/contracts/{id}', group: 'contracts', auth: 'key', status: 200,
    summary: 'One DSP contract', who: 'officers; its operator', params: PartnerPathSchema, response: ContractSchema, errors: [404],
    allow: { roles: ['officer', 'admin', 'member'], party: 'contract-operator', officers: true },
  }),
  contractCompliance: route({
    method: 'GET', path: '/v1/contracts/{id}/compliance', group: 'contracts', auth: 'key', status: 200,
    summary: 'Per obligation: last delivery, next due date, on_time | late (latest due period not delivered in time) | missing (two due periods in a row without any delivery)',
    who: 'officers; its operator', params: PartnerPathSchema, query: ComplianceQuerySchema, response: ComplianceSchema, errors: [404],
    allow: { roles: ['officer', 'admin', 'member'], party: 'contract-operator', officers: true },
  }),
  openDatasets: route({
    method: 'GET', path: '/open/datasets', group: 'open', auth: 'none', status: 200,
    summary: 'Open datasets', who: 'anyone, without a key', query: PageQuerySchema.strict(), response: DatasetListSchema,
    allow: 'anyone',
  }),
  openDataset: route({
    method: 'GET', path: '/open/datasets/{id}', group: 'open', auth: 'none', status: 200,
    summary: 'An open dataset and its open versions', who: 'anyone', params: DatasetPathSchema, response: OpenDatasetSchema, errors: [404],
    allow: 'anyone',
  }),
  openDownload: route({
    method: 'GET', path: '/open/datasets/{id}/download', group: 'open', auth: 'none', status: 302,
    summary: 'Redirect to a short-lived URL of the latest open version (or ?version=n)', who: 'anyone', params: DatasetPathSchema, query: DownloadQuerySchema, errors: [404],
    responseHeaders: LocationHeaders,
    allow: 'anyone',
  }),
  openVersionDownload: route({
    method: 'GET', path: '/open/datasets/{id}/versions/{n}/download', group: 'open', auth: 'none', status: 302,
    summary: 'Redirect to a short-lived URL of one open version (the stable dcat:accessURL)', who: 'anyone', params: VersionPathSchema, errors: [404],
    responseHeaders: LocationHeaders,
    allow: 'anyone',
  }),
  openRecords: route({
    method: 'GET', path: '/open/datasets/{id}/records', group: 'query', auth: 'none', status: 200,
    summary: 'Query the records of an open version (filters, sort, group-by, geographic filters), one page at a time', who: 'anyone',
    params: DatasetPathSchema, query: RecordsQuerySchema, response: RecordsPageSchema, errors: [404, 409, 422],
    allow: 'anyone',
  }),
  openExport: route({
    method: 'GET', path: '/open/datasets/{id}/exports/{format}', group: 'query', auth: 'none', status: 302,
    summary: 'The whole answer of a records query on an open version as one file (csv, ndjson, geojson for point data, parquet): a redirect to a short-lived URL; the same filters, select, order and group-by as the records route, no page', who: 'anyone',
    params: ExportPathSchema, query: ExportQuerySchema, errors: [404, 409, 422],
    responseHeaders: LocationHeaders,
    allow: 'anyone',
  }),
  openCatalog: route({
    method: 'GET', path: '/open/catalog.jsonld', group: 'open', auth: 'none', status: 200,
    summary: 'DCAT-AP 3.0.0 catalogue of the open datasets (JSON-LD, self-contained context), one page at a time: Hydra paging (`hydra:next` until the last page)',
    who: 'anyone, harvesters', query: PageQuerySchema.strict(), response: DcatCatalogSchema, mediaTypes: ['application/ld+json'],
    allow: 'anyone',
  }),
  openRegister: route({
    method: 'GET', path: '/open/register', group: 'open', auth: 'none', status: 200,
    summary: 'The public register of data sharing: every licence on shared or restricted data that is or was in force (organisations only), with its clauses in plain French, its end, the audit events that prove it; the DSP contracts and their compliance; the categories the territory keeps out, with their legal basis',
    who: 'anyone, without a key', query: RegisterQuerySchema, response: RegisterSchema,
    allow: 'anyone',
  }),
  openRegisterJsonLd: route({
    method: 'GET', path: '/open/register.jsonld', group: 'open', auth: 'none', status: 200,
    summary: 'The register as JSON-LD (self-contained context): DCAT-AP datasets, ODRL agreements as the licence export gives them, audit proofs; Hydra paging',
    who: 'anyone', query: RegisterQuerySchema, response: z.record(z.string(), z.unknown()), mediaTypes: ['application/ld+json'],
    allow: 'anyone',
  }),
  openRegisterCsv: route({
    method: 'GET', path: '/open/register.csv', group: 'open', auth: 'none', status: 200,
    summary: 'The register as CSV (RFC 4180, UTF-8, one row per licence); the next page in the `Link` header',
    who: 'anyone', query: RegisterQuerySchema, response: z.string(), mediaTypes: ['text/csv'], responseHeaders: NextPageHeaders,
    allow: 'anyone',
  }),
  datasetUri: route({
    method: 'GET', path: '/datasets/{id}', group: 'open', auth: 'none', status: 200,
    summary: "The URI of an open dataset (as DCAT and ODRL name it): its DCAT-AP description in JSON-LD; 404 for a dataset that is not open",
    who: 'anyone', params: DatasetPathSchema, response: LinkedDatasetSchema, mediaTypes: LINKED_DATA_MEDIA_TYPES,
    seeOther: "A browser (`Accept: text/html`): the dataset's page in the console, for any id (nothing is looked up)", errors: [404],
    allow: 'anyone',
  }),
  partnerUri: route({
    method: 'GET', path: '/partners/{id}', group: 'open', auth: 'none', status: 200,
    summary: "The URI of a partner (as DCAT and ODRL name it): its public description, its name only, in JSON-LD", who: 'anyone',
    params: PartnerPathSchema, response: LinkedPartnerSchema, mediaTypes: LINKED_DATA_MEDIA_TYPES, errors: [404],
    allow: 'anyone',
  }),
  platformUri: route({
    method: 'GET', path: '/platform', group: 'open', auth: 'none', status: 200,
    summary: 'The URI of the platform (the ODRL assignee of the transforms it performs): the agent that runs the catalogue for the collectivity, in JSON-LD',
    who: 'anyone', response: LinkedPlatformSchema, mediaTypes: LINKED_DATA_MEDIA_TYPES, seeOther: 'A browser (`Accept: text/html`): the console',
    allow: 'anyone',
  }),
  odrlProfile: route({
    method: 'GET', path: '/odrl/profile/v1', group: 'public', auth: 'none', status: 200,
    summary: 'The Comptoir ODRL profile the licence exports reference: its actions (each included in an ODRL action), left operands and properties',
    who: 'anyone', response: OdrlProfileSchema, mediaTypes: ['application/ld+json'],
    allow: 'anyone',
  }),
  getPolicy: route({
    method: 'GET', path: '/v1/policy', group: 'policy', auth: 'none', status: 200,
    summary: "The territory's public policy (versioned rules merged into every matching licence)", who: 'anyone, without a key', response: PolicySchema,
    allow: 'anyone',
  }),
  putPolicy: route({
    method: 'PUT', path: '/v1/policy', group: 'policy', auth: 'key', status: 200,
    summary: 'Replace the territory policy (a new version; applies to offers and licences made after it)', who: 'officer',
    body: PutPolicyRequestSchema, response: PolicySchema, errors: [403, 409],
    allow: { roles: ['officer'] },
  }),
  previewPolicy: route({
    method: 'POST', path: '/v1/policy/preview', group: 'licences', auth: 'key', status: 200,
    summary: 'Preview a draft policy: how every open offer, for each audience kind, would change or be refused; nothing is saved', who: 'officer',
    body: PutPolicyRequestSchema, response: PolicyPreviewSchema, errors: [403],
    allow: { roles: ['officer'] },
  }),
  listZones: route({
    method: 'GET', path: '/v1/zones', group: 'policy', auth: 'key', status: 200, summary: 'Zone layers for exclusion-zone clauses', who: 'any key', response: ZoneListSchema,
    allow: { roles: ['officer', 'admin', 'member'] },
  }),
  getZone: route({
    method: 'GET', path: '/v1/zones/{name}', group: 'policy', auth: 'key', status: 200, summary: 'One zone layer', who: 'any key', params: ZonePathSchema, response: ZoneSchema, errors: [404],
    allow: { roles: ['officer', 'admin', 'member'] },
  }),
  putZone: route({
    method: 'PUT', path: '/v1/zones/{name}', group: 'policy', auth: 'key', status: 200,
    summary: 'Publish a zone layer (GeoJSON FeatureCollection of polygons, e.g. school zones)', who: 'officer',
    params: ZonePathSchema, body: ZoneLayerSchema, response: ZoneSchema, errors: [403, 422],
    allow: { roles: ['officer'] },
  }),
  listClauses: route({
    method: 'GET', path: '/v1/clauses', group: 'policy', auth: 'key', status: 200, summary: 'The clause catalogue: kinds, enforcement modes, titles, parameter schemas', who: 'any key', response: ClauseCatalogueSchema,
    allow: { roles: ['officer', 'admin', 'member'] },
  }),
  listTemplates: route({
    method: 'GET', path: '/v1/licence-templates', group: 'policy', auth: 'key', status: 200, summary: 'Licence templates with their legal texts and default clauses', who: 'any key', response: TemplateCatalogueSchema,
    allow: { roles: ['officer', 'admin', 'member'] },
  }),
  createOffer: route({
    method: 'POST', path: '/v1/offers', group: 'licences', auth: 'key', status: 201,
    summary: 'Offer a dataset under a template and clauses; refused (422) when it contradicts the territory policy', who: 'the dataset owner',
    body: CreateOfferRequestSchema, response: OfferSchema, errors: [403, 404, 422],
    allow: { roles: ['officer', 'admin'], acr: ['admin'], party: 'dataset-owner' },
  }),
  listOffers: route({
    method: 'GET', path: '/v1/offers', group: 'licences', auth: 'key', status: 200, summary: 'Offers, optionally of one dataset', who: 'any partner', query: OfferQuerySchema, response: OfferListSchema,
    allow: { roles: ['officer', 'admin', 'member'] },
  }),
  withdrawOffer: route({
    method: 'DELETE', path: '/v1/offers/{id}', group: 'licences', auth: 'key', status: 204,
    summary: 'Withdraw an offer: no new licences, existing ones continue', who: 'the dataset owner', params: IdPathSchema, errors: [403, 404, 409],
    allow: { roles: ['officer', 'admin'], acr: ['admin'], party: 'offer-owner' },
  }),
  requestLicence: route({
    method: 'POST', path: '/v1/licences', group: 'licences', auth: 'key', status: 201,
    summary: 'Request a licence on an offer with a declared purpose', who: 'a partner (not the owner)', body: CreateLicenceRequestSchema, response: LicenceSchema, errors: [404, 422],
    allow: { roles: ['officer', 'admin'], acr: ['admin'] },
  }),
  listLicences: route({
    method: 'GET', path: '/v1/licences', group: 'licences', auth: 'key', status: 200,
    summary: "Licences by state: the officers' approval inbox is ?state=pending_approval", who: 'officers: all; partners: their own', query: LicenceQuerySchema, response: LicenceListSchema,
    allow: { roles: ['officer', 'admin', 'member'] },
  }),
  getLicence: route({
    method: 'GET', path: '/v1/licences/{id}', group: 'licences', auth: 'key', status: 200,
    summary: 'The full licence: effective clauses, document, digest, signatures, state history', who: 'its parties; officers', params: IdPathSchema, response: LicenceSchema, errors: [404],
    allow: { roles: ['officer', 'admin', 'member'], party: 'licence-party', officers: true },
  }),
  approveLicence: route({
    method: 'POST', path: '/v1/licences/{id}/approve', group: 'licences', auth: 'key', status: 200,
    summary: 'Approve a pending licence request', who: 'officer', params: IdPathSchema, body: OptionalReasonRequestSchema, response: LicenceSchema, errors: [403, 404, 409, 422],
    allow: { roles: ['officer'] },
  }),
  rejectLicence: route({
    method: 'POST', path: '/v1/licences/{id}/reject', group: 'licences', auth: 'key', status: 200,
    summary: 'Reject a pending licence request with a reason', who: 'officer', params: IdPathSchema, body: ReasonRequestSchema, response: LicenceSchema, errors: [403, 404, 409, 422],
    allow: { roles: ['officer'] },
  }),
  declineLicence: route({
    method: 'POST', path: '/v1/licences/{id}/decline', group: 'licences', auth: 'key', status: 200,
    summary: "Decline a pending request (pending_approval or awaiting_signature) with a reason; it frees one of the requester's pending slots", who: 'the licensor',
    params: IdPathSchema, body: ReasonRequestSchema, response: LicenceSchema, errors: [403, 404, 409, 422],
    allow: { roles: ['admin'], party: 'licensor', acr: ['admin'] },
  }),
  signLicence: route({
    method: 'POST', path: '/v1/licences/{id}/sign', group: 'licences', auth: 'key', status: 200,
    summary: 'Accept and sign: the licence document is digested, signed (Ed25519) and the licence becomes active; a priced offer debits the credits into escrow in the same transaction (honours Idempotency-Key)', who: 'the licensee',
    params: IdPathSchema, body: EmptyBodySchema, bodyOptional: true, response: LicenceSchema, errors: [403, 404, 409, 422],
    idempotent: true,
    allow: { roles: ['officer', 'admin'], acr: ['admin'], party: 'licensee' },
  }),
  revokeLicence: route({
    method: 'POST', path: '/v1/licences/{id}/revoke', group: 'licences', auth: 'key', status: 200,
    summary: 'Revoke a licence with a reason', who: 'officer; the licensor', params: IdPathSchema, body: ReasonRequestSchema, response: LicenceSchema, errors: [403, 404, 409, 422],
    allow: { roles: ['officer', 'admin'], acr: ['admin'], party: 'licensor', officers: true },
  }),
  terminateLicence: route({
    method: 'POST', path: '/v1/licences/{id}/terminate', group: 'licences', auth: 'key', status: 200,
    summary: 'End an active or suspended licence, giving the reason as notice to the other party', who: 'either party',
    params: IdPathSchema, body: ReasonRequestSchema, response: LicenceSchema, errors: [403, 404, 409, 422],
    allow: { roles: ['officer', 'admin'], acr: ['admin'], party: 'licence-party' },
  }),
  requestRegisterMask: route({
    method: 'POST', path: '/v1/register/{id}/mask', group: 'licences', auth: 'key', status: 200,
    summary: "Ask to mask (or show again) a register entry's dataset title and purpose, with the public reason; waits for a second officer", who: 'officer',
    params: RegisterPathSchema, body: MaskRequestSchema, response: RegisterMaskSchema, errors: [403, 404, 409, 422],
    allow: { roles: ['officer'] },
  }),
  approveRegisterMask: route({
    method: 'POST', path: '/v1/register/{id}/mask/approve', group: 'licences', auth: 'key', status: 200,
    summary: 'Apply the pending masking decision (four eyes: never with the key that asked)', who: 'an officer, with a key other than the one that asked',
    params: RegisterPathSchema, body: EmptyBodySchema, bodyOptional: true, response: RegisterMaskSchema, errors: [403, 404, 409, 422],
    allow: { roles: ['officer'] },
  }),
  rejectRegisterMask: route({
    method: 'POST', path: '/v1/register/{id}/mask/reject', group: 'licences', auth: 'key', status: 200,
    summary: 'Drop the pending masking decision, with a reason: the entry stays as it is', who: 'officer',
    params: RegisterPathSchema, body: ReasonRequestSchema, response: RegisterMaskSchema, errors: [403, 404, 409, 422],
    allow: { roles: ['officer'] },
  }),
  getLedger: route({
    method: 'GET', path: '/v1/ledger', group: 'licences', auth: 'key', status: 200,
    summary: 'Credits balance and statement (newest first)', who: 'a partner: its own; officers: any ?partnerId=', query: LedgerQuerySchema, response: LedgerSchema, errors: [404],
    allow: { roles: ['officer', 'admin', 'member'] },
  }),
  grantCredits: route({
    method: 'POST', path: '/v1/ledger/grants', group: 'licences', auth: 'key', status: 201,
    summary: "Grant credits to a partner from the territory's issuance account (honours Idempotency-Key)", who: 'officer',
    body: GrantRequestSchema, response: GrantResponseSchema, errors: [403, 404, 409],
    idempotent: true,
    allow: { roles: ['officer'] },
  }),
  proposeBarter: route({
    method: 'POST', path: '/v1/barters', group: 'licences', auth: 'key', status: 201,
    summary: "Propose access to one's own offer (and credits) against access to the counterpart's (honours Idempotency-Key)", who: 'a partner',
    body: CreateBarterRequestSchema, response: BarterSchema, errors: [404, 409, 422],
    idempotent: true,
    allow: { roles: ['officer', 'admin'], acr: ['admin'] },
  }),
  listBarters: route({
    method: 'GET', path: '/v1/barters', group: 'licences', auth: 'key', status: 200, summary: 'Barters', who: 'partners: their own; officers: all', query: BarterQuerySchema, response: BarterListSchema,
    allow: { roles: ['officer', 'admin', 'member'] },
  }),
  getBarter: route({
    method: 'GET', path: '/v1/barters/{id}', group: 'licences', auth: 'key', status: 200, summary: 'One barter', who: 'its parties; officers', params: IdPathSchema, response: BarterSchema, errors: [404],
    allow: { roles: ['officer', 'admin', 'member'], party: 'barter-party', officers: true },
  }),
  approveBarter: route({
    method: 'POST', path: '/v1/barters/{id}/approve', group: 'licences', auth: 'key', status: 200,
    summary: 'Approve one side of a barter that needs it', who: 'officer', params: IdPathSchema, body: ApproveBarterRequestSchema, response: BarterSchema, errors: [403, 404, 409, 422],
    allow: { roles: ['officer'] },
  }),
  rejectBarter: route({
    method: 'POST', path: '/v1/barters/{id}/reject', group: 'licences', auth: 'key', status: 200,
    summary: 'Reject a barter', who: 'officer', params: IdPathSchema, body: ReasonRequestSchema, response: BarterSchema, errors: [403, 404, 409, 422],
    allow: { roles: ['officer'] },
  }),
  acceptBarter: route({
    method: 'POST', path: '/v1/barters/{id}/accept', group: 'licences', auth: 'key', status: 200,
    summary: 'Accept: both licences become active and the credits move in one transaction (honours Idempotency-Key)', who: 'the counterparty',
    params: IdPathSchema, body: AcceptBarterRequestSchema, response: BarterSchema, errors: [403, 404, 409, 422],
    idempotent: true,
    allow: { roles: ['officer', 'admin'], acr: ['admin'], party: 'counterparty' },
  }),
  declineBarter: route({
    method: 'POST', path: '/v1/barters/{id}/decline', group: 'licences', auth: 'key', status: 200,
    summary: 'Decline a barter: nothing is activated', who: 'the counterparty', params: IdPathSchema, body: OptionalReasonRequestSchema, response: BarterSchema, errors: [403, 404, 409, 422],
    allow: { roles: ['officer', 'admin'], acr: ['admin'], party: 'counterparty' },
  }),
  getLicenceOdrl: route({
    method: 'GET', path: '/v1/licences/{id}/odrl', group: 'licences', auth: 'key', status: 200,
    summary: 'The effective licence as an ODRL 2.2 Agreement (JSON-LD) for data-space connectors', who: 'its parties; officers',
    params: IdPathSchema, response: z.record(z.string(), z.unknown()), mediaTypes: ['application/ld+json'], errors: [404, 422],
    allow: { roles: ['officer', 'admin', 'member'], party: 'licence-party', officers: true },
  }),
  listDuties: route({
    method: 'GET', path: '/v1/licences/{id}/duties', group: 'licences', auth: 'key', status: 200,
    summary: 'Tracked duties of a licence (share-back, deletion, usage reports) with due dates and status', who: 'its parties; officers',
    params: IdPathSchema, response: DutyListSchema, errors: [404],
    allow: { roles: ['officer', 'admin', 'member'], party: 'licence-party', officers: true },
  }),
  attestDuty: route({
    method: 'POST', path: '/v1/licences/{id}/duties/{dutyId}/attest', group: 'licences', auth: 'key', status: 200,
    summary: 'Attest a deletion or file a usage report; a suspended licence resumes once nothing is overdue', who: 'the licensee',
    params: DutyPathSchema, body: AttestRequestSchema, response: DutySchema, errors: [403, 404, 409, 422],
    allow: { roles: ['officer', 'admin'], acr: ['admin'], party: 'licensee' },
  }),
  accessLicence: route({
    method: 'POST', path: '/v1/licences/{id}/access', group: 'access', auth: 'key', status: 200,
    summary: 'Ask for the bytes: 200 with a URL, 202 while the enforced variant is built, 403 with the denying clauses', who: 'the licensee',
    params: IdPathSchema, body: AccessRequestSchema, response: AccessGrantedSchema, errors: [403, 404, 422],
    otherAnswers: { 202: { summary: 'Permitted; the enforced variant is being built: poll GET /v1/access/{accessId} after Retry-After seconds', response: AccessPreparingSchema, headers: RetryAfterHeaders } },
    errorBodies: { 403: AccessDeniedSchema },
    allow: { roles: ['officer', 'admin', 'member'], party: 'licensee' },
  }),
  licenceRecords: route({
    method: 'GET', path: '/v1/licences/{id}/records', group: 'query', auth: 'key', status: 200,
    summary: "Query the records of a version under the licence: the enforced copy only (dropped columns unknown, pseudonyms, zones, k-anonymity); each call is one access counted by the licence's quota",
    who: 'the licensee',
    params: IdPathSchema, query: LicensedRecordsQuerySchema, response: RecordsPageSchema, errors: [403, 404, 409, 422],
    allow: { roles: ['officer', 'admin', 'member'], party: 'licensee' },
  }),
  licenceExport: route({
    method: 'GET', path: '/v1/licences/{id}/exports/{format}', group: 'query', auth: 'key', status: 302,
    summary: "The whole answer of a records query under the licence as one file (csv, ndjson, geojson for point data, parquet), from the enforced copy only: a redirect to a short-lived URL; one access counted by the licence's quota",
    who: 'the licensee',
    params: ExportPathSchema, query: LicensedExportQuerySchema, errors: [403, 404, 409, 422],
    responseHeaders: LocationHeaders,
    allow: { roles: ['officer', 'admin', 'member'], party: 'licensee' },
  }),
  getAccess: route({
    method: 'GET', path: '/v1/access/{id}', group: 'access', auth: 'key', status: 200,
    summary: 'An access prepared earlier: 200 with a fresh URL once the enforced variant is ready, 202 until then', who: 'the licensee',
    params: IdPathSchema, response: AccessGrantedSchema, errors: [403, 404, 422],
    otherAnswers: { 202: { summary: 'Still building the enforced variant: ask again after Retry-After seconds', response: AccessPreparingSchema, headers: RetryAfterHeaders } },
    errorBodies: { 403: AccessDeniedSchema },
    allow: { roles: ['officer', 'admin', 'member'], party: 'access-owner' },
  }),
  createSubscription: route({
    method: 'POST', path: '/v1/subscriptions', group: 'feeds', auth: 'key', status: 201,
    summary: 'Subscribe a webhook to the new versions of a licensed dataset; the signing secret is shown once', who: 'the licensee',
    body: CreateSubscriptionRequestSchema, response: SubscriptionWithSecretSchema, errors: [403, 404, 422],
    allow: { roles: ['officer', 'admin', 'member'], party: 'licensee' },
  }),
  listSubscriptions: route({
    method: 'GET', path: '/v1/subscriptions', group: 'feeds', auth: 'key', status: 200, summary: "The caller's subscriptions", who: 'partners', response: SubscriptionListSchema,
    allow: { roles: ['officer', 'admin', 'member'] },
  }),
  deleteSubscription: route({
    method: 'DELETE', path: '/v1/subscriptions/{id}', group: 'feeds', auth: 'key', status: 204, summary: 'Unsubscribe: no further deliveries', who: 'its owner', params: IdPathSchema, errors: [404],
    allow: { roles: ['officer', 'admin', 'member'], party: 'subscriber' },
  }),
  rotateSubscriptionSecret: route({
    method: 'POST', path: '/v1/subscriptions/{id}/rotate-secret', group: 'feeds', auth: 'key', status: 200,
    summary: 'A new signing secret, shown once; the old one stops signing at once', who: 'its owner', params: IdPathSchema, body: EmptyBodySchema, bodyOptional: true, response: SubscriptionWithSecretSchema, errors: [404],
    allow: { roles: ['officer', 'admin', 'member'], party: 'subscriber' },
  }),
  listDeliveries: route({
    method: 'GET', path: '/v1/subscriptions/{id}/deliveries', group: 'feeds', auth: 'key', status: 200,
    summary: 'Deliveries of a subscription, newest first, with every attempt (time, status code, latency, error)', who: 'its owner', params: IdPathSchema, response: DeliveryListSchema, errors: [404],
    allow: { roles: ['officer', 'admin', 'member'], party: 'subscriber' },
  }),
  getFeed: route({
    method: 'GET', path: '/v1/feeds/{datasetId}', group: 'feeds', auth: 'key', status: 200,
    summary: "JSON Feed 1.1 of the versions the caller's licences cover, for consumers without webhooks", who: 'licensees', params: FeedPathSchema, response: JsonFeedSchema, mediaTypes: ['application/feed+json'], errors: [403, 404],
    allow: { roles: ['officer', 'admin', 'member'], party: 'dataset-licensee' },
  }),
} as const satisfies Record<string, RouteDeclaration>;

export type Routes = typeof routes;
export type RouteId = keyof Routes;
/** Route ids served by one function group. */
export type RoutesOf<G extends HttpFunctionGroup> = { [K in RouteId]: Routes[K]['group'] extends G ? K : never }[RouteId];

/** `GET /v1/partners/{id}`: the API Gateway route key of a declaration. */
export const routeKeyOf = (r: RouteDeclaration): string => `${r.method} ${r.path}`;
