import { EXPORT_PREFIX } from '../../functions/domain/query/exports.ts';
import { CfnParameter, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpRoute, HttpRouteKey, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Table, type ITable } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, Rule, Schedule, type IEventBus } from 'aws-cdk-lib/aws-events';
import { EVENT_SOURCE } from '../../functions/adapters/events/eventbridge-publisher.ts';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { ConfigurationSet, ConfigurationSetEventDestination, EmailSendingEvent, EventDestination } from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { HTTP_FUNCTION_GROUPS, type HttpFunctionGroup, type RouteDeclaration, routes } from '../../schemas/routes.ts';
import { LINKS_PER_BATCH } from '../../functions/domain/audit/sequencer.ts';
import { NOTIFIED_EVENTS } from '../../functions/domain/notifications/notification-service.ts';
import { INGEST_TIMEOUT_SECONDS, INGEST_TRIGGERS } from '../../functions/domain/catalogue/in-flight.ts';
import { ComptoirFunction } from '../constructs/comptoir-function.ts';
import { busNameOf, checkpointsBucketNameOf, datasetsBucketNameOf, queryDatabaseNameOf, queryWorkGroupNameOf, tableNameOf } from './stateful-stack.ts';

export interface StatelessStackProps extends StackProps {
  readonly stage: string;
  /** The table's stream, the one value taken from the stateful stack by reference. */
  readonly tableStreamArn: string;
  /** The datasets bucket's KMS key, taken by reference like the stream ARN. */
  readonly datasetsKeyArn: string;
  /** The platform's Ed25519 signing key (KMS). */
  readonly signingKeyArn: string;
  readonly projectRoot: string;
  /** Where the console and the API are served (CloudFront); the base of every URI, feed link and console link. */
  readonly publicUrl: string;
  /** The OpenID provider people sign in with (`comptoir:oidcIssuer`, `comptoir:oidcClientId`); absent: API keys only. */
  readonly openId?: { readonly issuer: string; readonly clientId: string; readonly partnerAdminAcr?: string };
}

/** The HTTP API, its functions, the audit sequencer and the schedule; holds no data. */
export class StatelessStack extends Stack {
  readonly api: HttpApi;
  /** The header value the console's distribution sends the API (see {@link ComptoirFunction.bindOriginSecret}). */
  readonly originSecret: Secret;
  readonly functions: Record<HttpFunctionGroup | 'authorizer' | 'sequencer' | 'scheduler' | 'ingest' | 'columnar' | 'variants' | 'duties' | 'deliveries' | 'notifications' | 'bounces', ComptoirFunction>;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const table = Table.fromTableAttributes(this, 'Table', {
      tableName: tableNameOf(props.stage),
      tableStreamArn: props.tableStreamArn,
      grantIndexPermissions: true,
    });
    const bus = EventBus.fromEventBusName(this, 'Bus', busNameOf(props.stage));
    const signingKey = Key.fromKeyArn(this, 'SigningKey', props.signingKeyArn);
    const datasets = Bucket.fromBucketAttributes(this, 'Datasets', {
      bucketName: datasetsBucketNameOf(props.stage),
      encryptionKey: Key.fromKeyArn(this, 'DatasetsKey', props.datasetsKeyArn),
    });
    // SSE-S3 and addressed by name: nothing to take by reference.
    const checkpoints = Bucket.fromBucketName(this, 'Checkpoints', checkpointsBucketNameOf(props.stage));
    const queryCatalogue = { database: queryDatabaseNameOf(props.stage), workGroup: queryWorkGroupNameOf(props.stage) };
    // Deployment parameters: SES knows the identity only once it is verified in the account, after synthesis.
    const mailIdentity = new CfnParameter(this, 'MailIdentity', {
      type: 'String',
      default: '',
      allowedPattern: '^$|^[^@\\s]+(@[^@\\s]+)?$',
      description: 'The SES identity e-mails are sent from, verified in this account and region: a domain (donnees.example.fr) or an address. Empty: no e-mail.',
    });
    const mailSender = new CfnParameter(this, 'MailSender', {
      type: 'String',
      default: '',
      description: 'The From of every e-mail, under that identity: "Comptoir <ne-pas-repondre@donnees.example.fr>". Empty: no e-mail.',
    });
    // Every e-mail goes out through it, so SES reports its bounces and complaints (see mailFeedback).
    const mailConfigurationSet = new ConfigurationSet(this, 'MailConfigurationSet', { reputationMetrics: true });
    const make = (group: string, extra: Partial<ConstructorParameters<typeof ComptoirFunction>[2]> = {}) =>
      new ComptoirFunction(this, `${group[0]!.toUpperCase()}${group.slice(1)}Fn`, { group, projectRoot: props.projectRoot, ...extra });

    const fns = {
      // The readiness probes only: one table key, the bucket's existence.
      public: make('public').bindReadinessProbes(table, datasets),
      identity: make('identity', { secretsExtension: props.openId !== undefined }).bindTable(table, 'readWrite'),
      // Verifies the chain against the checkpoints: reads them and the platform's public key, signs nothing.
      audit: make('audit').bindTable(table, 'read').bindCheckpoints(checkpoints, 'read').bindSigningKey(signingKey, { sign: false }),
      // Presigns uploads: writes only under incoming/, so no URL it signs can touch published bytes.
      datasets: make('datasets').bindTable(table, 'readWrite').bindBucket(datasets, { read: true, writePrefix: 'incoming/', delete: true }),
      contracts: make('contracts').bindTable(table, 'readWrite'),
      open: make('open').bindTable(table, 'read').bindBucket(datasets, { read: true }),
      policy: make('policy').bindTable(table, 'readWrite'),
      licences: make('licences').bindTable(table, 'readWrite').bindSigningKey(signingKey),
      // Presigns downloads of originals and variants: read-only on the bucket.
      access: make('access').bindTable(table, 'readWrite').bindBucket(datasets, { read: true }),
      feeds: make('feeds').bindTable(table, 'readWrite'),
      // Queries columnar copies in ephemeral storage with DuckDB; decides licensed access (counts quotas), so it writes the table; writes exports only.
      query: make('query', { memorySize: 2048, timeout: Duration.seconds(30), embedsDuckDb: true })
        .bindTable(table, 'readWrite')
        .bindBucket(datasets, { read: true, writePrefix: EXPORT_PREFIX })
        .bindQueryCatalogue(queryCatalogue, datasets),
      // Webhook fan-out: decides access and presigns per attempt; the variants function builds enforced bytes.
      deliveries: make('deliveries', { timeout: Duration.minutes(15) })
        .bindTable(table, 'readWrite')
        .bindBucket(datasets, { read: true })
        .bindWebhookDeadLetterQueue(this.deadLetterQueue('WebhookDeadLetters')),
      duties: make('duties').bindTable(table, 'readWrite'),
      // Reads people and the territory, records what it sent, sends through SES from the one identity the parameters name.
      notifications: make('notifications').bindTable(table, 'readWrite').bindMailer({ identity: mailIdentity.valueAsString, sender: mailSender.valueAsString, configurationSet: mailConfigurationSet.configurationSetName }),
      // Writes one kind of item: a suppressed address, from SES's bounce and complaint events.
      bounces: make('bounces').bindMailSuppressions(table),
      // Streams originals through the transforms into derived/ only.
      // Parquet copies of published versions: reads them, writes only `*.parquet` beside them.
      // Each copy gets its Glue table, so Athena can query the copies too large for the query function.
      columnar: make('columnar', { memorySize: 2048, timeout: Duration.minutes(15), embedsDuckDb: true })
        .bindTable(table, 'read')
        .bindBucket(datasets, { read: true, writePattern: 'versions/*.parquet' })
        .bindQueryCatalogue(queryCatalogue, datasets, { register: true }),
      variants: make('variants', { memorySize: 1024, timeout: Duration.minutes(15), embedsDuckDb: true })
        .bindTable(table, 'readWrite')
        .bindBucket(datasets, { read: true, writePrefix: 'derived/' })
        .bindQueryCatalogue(queryCatalogue, datasets, { register: true }),
      // Streams the whole object once: memory for the upload buffers, time for tens of GB.
      ingest: make('ingest', { memorySize: 1024, timeout: Duration.seconds(INGEST_TIMEOUT_SECONDS) })
        .bindTable(table, 'readWrite')
        .bindBucket(datasets, { read: true, writePrefix: 'versions/', delete: true }),
      // 8 s: above the SDK's worst case for one DynamoDB call (functions/adapters/sdk-timeouts.ts), so a down table answers 503, not a timeout.
      authorizer: make('authorizer', { memorySize: 256, timeout: Duration.seconds(8) }).bindTable(table, 'read'),
      // Reserved concurrency 1: the chain has exactly one writer.
      sequencer: make('sequencer', { reservedConcurrentExecutions: 1, timeout: Duration.seconds(60) })
        .bindTable(table, 'readWrite')
        .bindEventBus(bus)
        .bindSigningKey(signingKey)
        .bindCheckpoints(checkpoints, 'write'),
      // Ends abandoned uploads: aborts and deletes under incoming/ only.
      scheduler: make('scheduler', { timeout: Duration.minutes(5) })
        .bindTable(table, 'readWrite')
        .bindEventBus(bus)
        .bindBucket(datasets, { read: true, writePrefix: 'incoming/', delete: 'incoming/' })
        // Checkpoints the chain head when it moved in the last five minutes.
        .bindSigningKey(signingKey)
        .bindCheckpoints(checkpoints, 'write'),
    } satisfies StatelessStack['functions'];
    this.functions = fns;
    for (const group of HTTP_FUNCTION_GROUPS) fns[group].fn.addEnvironment('COMPTOIR_PUBLIC_URL', props.publicUrl);
    // The authorizer names the session cookie after it (`__Host-` prefix on https).
    fns.authorizer.fn.addEnvironment('COMPTOIR_PUBLIC_URL', props.publicUrl);
    if (props.openId) {
      // Its value is set once deployed (the provider issues it): `aws secretsmanager put-secret-value`.
      const clientSecret = new Secret(this, 'OpenIdClientSecret', { description: `Comptoir (${props.stage}): the OpenID provider's client secret (ProConnect)` });
      Validations.of(clientSecret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason: 'The OpenID provider (ProConnect) issues this secret; it is rotated there, then put here by hand.',
      });
      fns.identity.bindOpenIdProvider({ issuer: props.openId.issuer, clientId: props.openId.clientId, clientSecret });
      // Every API function checks admin routes against it, and the identity function the first sign-in of an admin.
      const partnerAdminAcr = props.openId.partnerAdminAcr;
      if (partnerAdminAcr) for (const group of HTTP_FUNCTION_GROUPS) fns[group].fn.addEnvironment('COMPTOIR_PARTNER_ADMIN_ACR', partnerAdminAcr);
    }
    this.originSecret = this.edgeOnly([...HTTP_FUNCTION_GROUPS.map((g) => fns[g]), fns.authorizer]);

    this.api = this.httpApi(fns);
    this.sequencer(fns.sequencer, table);
    this.schedule(fns.scheduler);
    // The schedule re-drives a validation cut off (retries exhausted, event in the DLQ) with dataset.version.redriven.
    this.onBusEvent('IngestOnUpload', INGEST_TRIGGERS, fns.ingest, bus, 'Validate and publish a dataset version once its upload is complete or the schedule re-drives it');
    this.onBusEvent('DutiesOnPublication', 'dataset.version.published', fns.duties, bus, "Fulfil licensees' share-back duties when they publish");
    this.onBusEvent('VariantOnAccess', 'licence.accessed', fns.variants, bus, 'Build the enforced variant a licensed access waits for');
    this.onBusEvent('ColumnarOnPublication', 'dataset.version.published', fns.columnar, bus, 'Write the Parquet copy that record queries read');
    this.onBusEvent('NotifyPeople', NOTIFIED_EVENTS, fns.notifications, bus, 'E-mail the people an event concerns (or hold it for their digest): approvals waiting, deadlines, answers, invitations');
    // At most one digest a day per person (its message id names the day), so a retried run sends none twice.
    new Rule(this, 'NotificationDigests', {
      description: 'Comptoir daily e-mail digests: one e-mail per person gathering the notifications they chose to get as a digest',
      schedule: Schedule.cron({ minute: '0', hour: '6' }),
      targets: [new LambdaFunction(fns.notifications.fn, { retryAttempts: 2, maxEventAge: Duration.hours(6) })],
    });
    this.mailFeedback(mailConfigurationSet, fns.bounces);
    this.onBusEvent('WebhooksOnPublication', 'dataset.version.published', fns.deliveries, bus, 'Deliver new versions to the webhooks subscribed to them');
    new Rule(this, 'WebhookRetries', {
      description: 'Comptoir webhook retries that are due (backoff from 30 s to 32 min)',
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [new LambdaFunction(fns.deliveries.fn, { retryAttempts: 0 })],
    });
    // No ApiUrl output: the API answers only through the console's distribution (ConsoleUrl).
  }

  /**
   * The HTTP API cannot drop its execute-api endpoint while CloudFront reaches it there, so the distribution
   * sends a generated secret header and every API function (and the authorizer) refuses requests without it.
   */
  private edgeOnly(functions: ComptoirFunction[]): Secret {
    const secret = new Secret(this, 'OriginVerify', {
      description: 'Comptoir: the header value CloudFront adds to API requests; the functions refuse requests without it',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'Both its readers, the distribution and the functions, resolve it at deployment: a new value is a `cdk deploy` of this stack and the console stack, not a rotation Lambda.',
    });
    for (const f of functions) f.bindOriginSecret(secret);
    return secret;
  }

  private httpApi(fns: StatelessStack['functions']): HttpApi {
    const api = new HttpApi(this, 'Api', { apiName: 'comptoir', createDefaultStage: false });
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', { retention: RetentionDays.ONE_YEAR });
    new HttpStage(this, 'DefaultStage', {
      httpApi: api,
      stageName: '$default',
      autoDeploy: true,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: AccessLogFormat.jsonWithStandardFields() },
      throttle: { rateLimit: 200, burstLimit: 400 },
    });
    const authorizer = new HttpLambdaAuthorizer('ApiKeyAuthorizer', fns.authorizer.fn, {
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      // Off: a revoked key must fail on the very next request.
      resultsCacheTtl: Duration.seconds(0),
      // No identity source: a request without a key still reaches the handler, which answers the API's own 401.
      identitySource: [],
    });
    const integrations = Object.fromEntries(
      HTTP_FUNCTION_GROUPS.map((g) => [g, new HttpLambdaIntegration(`${g}Integration`, fns[g].fn)]),
    ) as Record<HttpFunctionGroup, HttpLambdaIntegration>;
    for (const [routeId, route] of Object.entries(routes) as [string, RouteDeclaration][]) {
      const httpRoute = new HttpRoute(this, `Route-${routeId}`, {
        httpApi: api,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration: integrations[route.group],
        ...(route.auth === 'key' ? { authorizer } : {}),
      });
      if (route.auth === 'none') {
        Validations.of(httpRoute).acknowledge({ id: 'AwsSolutions-APIG4', reason: `${route.method} ${route.path} is public by design: ${route.summary}.` });
      }
    }
    return api;
  }

  private sequencer(fn: ComptoirFunction, table: ITable): void {
    const dlq = this.deadLetterQueue('SequencerDlq');
    fn.fn.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        // One stream batch is one chain transaction: the head update and its links.
        batchSize: LINKS_PER_BATCH,
        parallelizationFactor: 1,
        retryAttempts: 20,
        bisectBatchOnError: true,
        reportBatchItemFailures: false,
        onFailure: new SqsDlq(dlq),
        filters: [FilterCriteria.filter({ eventName: FilterRule.isEqual('INSERT'), dynamodb: { Keys: { pk: { S: FilterRule.beginsWith('OUTBOX#') } } } })],
      }),
    );
  }

  private schedule(fn: ComptoirFunction): void {
    new Rule(this, 'PeriodicChecks', {
      description: 'Comptoir periodic checks (deadlines, versions left in flight, outbox catch-up)',
      schedule: Schedule.rate(Duration.minutes(5)),
      targets: [new LambdaFunction(fn.fn, { deadLetterQueue: this.deadLetterQueue('ScheduleDlq'), retryAttempts: 2, maxEventAge: Duration.hours(1) })],
    });
  }

  /** A domain event from the audit outbox triggers a function, with retries and a dead-letter queue. */
  private onBusEvent(id: string, detailType: string | readonly string[], fn: ComptoirFunction, bus: IEventBus, description: string): void {
    new Rule(this, id, {
      eventBus: bus,
      description,
      eventPattern: { source: [EVENT_SOURCE], detailType: [detailType].flat() },
      targets: [new LambdaFunction(fn.fn, { deadLetterQueue: this.deadLetterQueue(`${id}Dlq`), retryAttempts: 4, maxEventAge: Duration.hours(6) })],
    });
  }

  /**
   * SES publishes the configuration set's bounces and complaints to an encrypted SNS topic, to which
   * the bounces function alone is subscribed (failed deliveries kept in a dead-letter queue).
   */
  private mailFeedback(configurationSet: ConfigurationSet, bounces: ComptoirFunction): void {
    const key = new Key(this, 'MailFeedbackKey', { enableKeyRotation: true, description: 'Comptoir: encrypts the SES bounce and complaint events at rest in SNS' });
    // SES encrypts what it publishes: it may use the key for this account's topics only.
    key.addToResourcePolicy(
      new PolicyStatement({
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        principals: [new ServicePrincipal('ses.amazonaws.com')],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    const topic = new Topic(this, 'MailFeedback', { displayName: 'Comptoir: SES bounces and complaints', masterKey: key, enforceSSL: true });
    new ConfigurationSetEventDestination(this, 'MailFeedbackDestination', {
      configurationSet,
      destination: EventDestination.snsTopic(topic),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
    });
    topic.addSubscription(new LambdaSubscription(bounces.fn, { deadLetterQueue: this.deadLetterQueue('MailFeedbackDlq') }));
  }

  private deadLetterQueue(id: string): Queue {
    const queue = new Queue(this, id, { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
    Validations.of(queue).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'This queue is itself a dead-letter queue.' });
    return queue;
  }
}
