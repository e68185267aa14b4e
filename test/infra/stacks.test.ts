import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { CachePolicy, OriginRequestPolicy } from 'aws-cdk-lib/aws-cloudfront';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { DATASETS_BUCKET_DEFINITION } from '../../functions/adapters/s3/bucket-definition.ts';
import { buildComptoirApp, type ComptoirAppOptions } from '../../infra/app.ts';
import { API_PATH_PATTERNS, ConsoleStack } from '../../infra/stacks/console-stack.ts';
import { EDGE_RATE_LIMITS } from '../../infra/stacks/edge-stack.ts';
import { HTTP_FUNCTION_GROUPS, routes } from '../../schemas/routes.ts';
import { NOTIFIED_EVENTS } from '../../functions/domain/notifications/notification-service.ts';

/** A test app: no bundling (esbuild is benched separately) and no slow built-in template validation. */
const testApp = (stage = 'prod', context: Record<string, string> = {}) =>
  new App({
    outdir: mkdtempSync(join(tmpdir(), 'cdk-')),
    builtinCloudFormationValidation: false,
    context: { 'aws:cdk:bundling-stacks': [], 'comptoir:stage': stage, ...(context['comptoir:consoleDomain'] ? {} : { 'comptoir:publicUrl': 'https://d1111.cloudfront.net' }), ...context },
  } as ConstructorParameters<typeof App>[0]);

/** A small built console: index.html and one hashed asset. */
const consoleDir = 'test/fixtures/console-dist';
const build = (options: ComptoirAppOptions) => buildComptoirApp({ region: 'eu-west-3', consoleDir, ...options });
const lambdas = (t: Template) => Object.values(t.findResources('AWS::Lambda::Function')).map((f) => f.Properties);

describe('CDK app', () => {
  const { app, stateful, stateless, edge, console: site } = build({ app: testApp() });
  const data = Template.fromStack(stateful);
  const api = Template.fromStack(stateless);
  const web = Template.fromStack(site);
  const dev = build({ app: testApp('dev', { 'comptoir:consoleDomain': 'donnees.example.fr', 'comptoir:consoleCertificateArn': 'arn:aws:acm:us-east-1:123456789012:certificate/abc', 'comptoir:tileUrl': 'https://tuiles.example.fr/plan/{z}/{x}/{y}.png' }) });

  it('keeps the table recoverable: PITR, on-demand, two GSIs, TTL, stream, deletion protection', () => {
    data.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'gsi1' }), Match.objectLike({ IndexName: 'gsi2' })],
    });
  });

  it('encrypts the datasets bucket with a customer key, blocks public access, versions and expires', () => {
    data.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() }, BucketKeyEnabled: true },
        ],
      },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 2 } }),
          Match.objectLike({ Prefix: 'derived/', ExpirationInDays: 30 }),
          Match.objectLike({ Prefix: 'incoming/', ExpirationInDays: 7 }),
          Match.objectLike({ Prefix: 'exports/', ExpirationInDays: 1 }),
        ]),
      },
      CorsConfiguration: { CorsRules: [Match.objectLike({ ExposedHeaders: ['ETag'] })] },
    });
    data.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('lets browsers PUT and GET the datasets bucket through presigned URLs and read ETag, with the rule the emulator gets', () => {
    const { cors } = DATASETS_BUCKET_DEFINITION;
    data.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: Match.anyValue(),
      CorsConfiguration: {
        CorsRules: [
          { AllowedMethods: ['PUT', 'GET', 'HEAD'], AllowedOrigins: ['*'], AllowedHeaders: ['*'], ExposedHeaders: ['ETag'], MaxAge: 3000 },
        ],
      },
    });
    expect(cors).toMatchObject({ allowedMethods: ['PUT', 'GET', 'HEAD'], exposedHeaders: ['ETag'], maxAgeSeconds: 3000 });
  });

  it('refuses plain HTTP on every bucket', () => {
    const policies = [data, web].flatMap((t) => Object.values(t.findResources('AWS::S3::BucketPolicy')));
    expect(policies).toHaveLength(5);
    for (const policy of policies) {
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });

  it('keeps audit checkpoints write-once: Object Lock in compliance mode for a parameter of 10 years, no delete, no write without If-None-Match', () => {
    const [id, bucket] = Object.entries(data.findResources('AWS::S3::Bucket')).find(([, b]) => b.Properties.ObjectLockEnabled)!;
    expect(bucket.Properties).toMatchObject({
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Years: { Ref: 'CheckpointRetentionYears' } } } },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    });
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(data.toJSON().Parameters.CheckpointRetentionYears).toMatchObject({ Type: 'Number', Default: 10, MinValue: 1 });
    const policy = Object.values(data.findResources('AWS::S3::BucketPolicy')).find((p) => JSON.stringify(p.Properties.Bucket).includes(id))!;
    const statements = policy.Properties.PolicyDocument.Statement as { Effect: string; Principal: unknown; Action: string | string[]; Condition?: unknown }[];
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Principal: { AWS: '*' }, Action: expect.arrayContaining(['s3:DeleteObject', 's3:DeleteObjectVersion']) }));
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:PutObject', Condition: { Null: { 's3:if-none-match': 'true' } } }));
  });

  it('lets the sequencer and the schedule add checkpoints (PutObject alone), the audit function only read them and the public key', () => {
    const statementsOf = (fnPrefix: string) =>
      Object.entries(api.findResources('AWS::IAM::Policy'))
        .filter(([id]) => id.startsWith(fnPrefix))
        .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]);
    const onCheckpoints = (fnPrefix: string) =>
      statementsOf(fnPrefix)
        .filter((st) => JSON.stringify(st.Resource).includes('-checkpoints-'))
        .flatMap((st) => [st.Action].flat())
        .sort();
    expect(onCheckpoints('SequencerFn')).toEqual(['s3:GetObject', 's3:ListBucket', 's3:PutObject']);
    expect(onCheckpoints('SchedulerFn')).toEqual(['s3:GetObject', 's3:ListBucket', 's3:PutObject']);
    expect(onCheckpoints('AuditFn')).toEqual(['s3:GetObject', 's3:ListBucket']);
    const onAnyCheckpoint = Object.values(api.findResources('AWS::IAM::Policy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[])
      .filter((st) => JSON.stringify(st.Resource).includes('-checkpoints-') || JSON.stringify(st.Resource) === '"*"')
      .flatMap((st) => [st.Action].flat());
    expect(onAnyCheckpoint.filter((a) => a.startsWith('s3:') && !['s3:GetObject', 's3:ListBucket', 's3:PutObject'].includes(a))).toEqual([]);
    const kms = (fnPrefix: string) => statementsOf(fnPrefix).flatMap((st) => [st.Action].flat()).filter((a) => a.startsWith('kms:') && !/Decrypt|Encrypt|GenerateDataKey|DescribeKey/.test(a)).sort();
    expect(kms('AuditFn')).toEqual(['kms:GetPublicKey']);
    expect(kms('SequencerFn')).toEqual(['kms:GetPublicKey', 'kms:Sign']);
    const env = (fnPrefix: string) => Object.entries(api.findResources('AWS::Lambda::Function')).find(([id]) => id.startsWith(fnPrefix))![1].Properties.Environment.Variables;
    for (const fn of ['SequencerFn', 'SchedulerFn', 'AuditFn']) expect(env(fn)).toMatchObject({ CHECKPOINT_BUCKET_NAME: expect.anything(), SIGNING_KEY_ID: expect.anything() });
  });

  it('signs with a KMS Ed25519 key', () => {
    data.hasResourceProperties('AWS::KMS::Key', { KeySpec: 'ECC_NIST_EDWARDS25519', KeyUsage: 'SIGN_VERIFY' });
  });

  it('declares one HTTP route per declared route, the authorizer on every keyed route, none elsewhere', () => {
    const declared = Object.values(routes);
    const deployed = Object.values(api.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties);
    expect(deployed.map((r) => r.RouteKey).sort()).toEqual(declared.map((r) => `${r.method} ${r.path}`).sort());
    const keyed = new Set(declared.filter((r) => r.auth === 'key').map((r) => `${r.method} ${r.path}`));
    expect([...keyed].every((k) => k.includes(' /v1/') || k === 'POST /auth/logout')).toBe(true);
    for (const r of deployed) {
      if (keyed.has(String(r.RouteKey))) expect(r).toMatchObject({ AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: expect.stringContaining('ApiKeyAuthorizer') } });
      else expect(r.AuthorizationType ?? 'NONE').toBe('NONE');
    }
    // The public policy is the one /v1 route without a key.
    expect(deployed.find((r) => r.RouteKey === 'GET /v1/policy')?.AuthorizationType ?? 'NONE').toBe('NONE');
  });

  it('turns the authorizer cache off so revocation is immediate', () => {
    api.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      AuthorizerResultTtlInSeconds: 0,
      EnableSimpleResponses: true,
      AuthorizerPayloadFormatVersion: '2.0',
    });
  });

  it('logs API access and runs every function on arm64 Node.js 24 with its own log group', () => {
    api.hasResourceProperties('AWS::ApiGatewayV2::Stage', { StageName: '$default', AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.anyValue() } });
    const fns = lambdas(api);
    expect(fns).toHaveLength(21);
    for (const f of fns) expect(f).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], LoggingConfig: { LogGroup: { Ref: expect.stringContaining('Logs') } } });
  });

  it('feeds the sequencer from the stream with one writer at a time and a dead-letter queue', () => {
    api.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      ParallelizationFactor: 1,
      BatchSize: 99,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      FilterCriteria: { Filters: [{ Pattern: Match.stringLikeRegexp('OUTBOX#') }] },
    });
    api.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 1 });
    api.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(5 minutes)', Targets: [Match.objectLike({ DeadLetterConfig: Match.anyValue() })] });
  });

  it('ingests on dataset.version.uploaded and on the schedule\'s re-drives from the bus, with retries, a dead-letter queue and 15 minutes', () => {
    api.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['comptoir'], 'detail-type': ['dataset.version.uploaded', 'dataset.version.redriven'] },
      Targets: [Match.objectLike({ DeadLetterConfig: { Arn: Match.anyValue() }, RetryPolicy: { MaximumRetryAttempts: 4 } })],
    });
    api.hasResourceProperties('AWS::Lambda::Function', { Timeout: 900, MemorySize: 1024, Environment: { Variables: Match.objectLike({ BUCKET_NAME: Match.anyValue(), TABLE_NAME: 'comptoir-prod' }) } });
  });

  it('grants the datasets bucket only to the functions that handle bytes', () => {
    const withBucket = Object.entries(api.findResources('AWS::Lambda::Function'))
      .filter(([, f]) => f.Properties.Environment?.Variables?.BUCKET_NAME)
      .map(([id]) => id.replace(/Fn.*$/, ''))
      .sort();
    expect(withBucket).toEqual(['Access', 'Columnar', 'Datasets', 'Deliveries', 'Ingest', 'Open', 'Public', 'Query', 'Scheduler', 'Variants']);
  });

  it('copies published versions to Parquet on dataset.version.published, writing only *.parquet beside them', () => {
    api.hasResourceProperties('AWS::Events::Rule', { EventPattern: Match.objectLike({ 'detail-type': ['dataset.version.published'] }), Targets: Match.arrayWith([Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ColumnarFn'), 'Arn'] } })]) });
    const [roleId] = Object.keys(api.findResources('AWS::IAM::Role')).filter((id) => id.startsWith('ColumnarFn'));
    const puts = Object.values(api.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(roleId!))
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((st: { Action: string | string[] }) => [st.Action].flat().some((a) => a.startsWith('s3:Put')));
    expect(puts.length).toBeGreaterThan(0);
    // Beside the copies, only the manifest that points Athena's table at each copy.
    for (const st of puts) expect(JSON.stringify(st.Resource)).toMatch(/\/versions\/\*\.parquet"|\/athena\/manifests\/\*"/);
  });

  it('queries versions beyond one function with Athena: a Glue database, a workgroup enforcing a bytes-scanned cap (a parameter) and encrypted, expiring results', () => {
    data.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: Match.objectLike({ Name: 'comptoir_prod' }) });
    data.hasParameter('AthenaBytesScannedCutoffPerQuery', { Type: 'Number', Default: 10 * 1024 ** 3 });
    data.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'comptoir-prod',
      WorkGroupConfiguration: Match.objectLike({
        EnforceWorkGroupConfiguration: true,
        BytesScannedCutoffPerQuery: { Ref: 'AthenaBytesScannedCutoffPerQuery' },
        EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
        ResultConfiguration: Match.objectLike({
          OutputLocation: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith(['s3://', '/athena/results/'])]) }),
          EncryptionConfiguration: Match.objectLike({ EncryptionOption: 'SSE_KMS' }),
        }),
      }),
    });
    data.hasResourceProperties('AWS::S3::Bucket', { LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Prefix: 'athena/results/', ExpirationInDays: 1 })]) } });
    const statements = (fnPrefix: string) =>
      Object.entries(api.findResources('AWS::IAM::Policy'))
        .filter(([id]) => id.startsWith(fnPrefix))
        .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]);
    const actions = (fnPrefix: string, service: string) => statements(fnPrefix).flatMap((st) => [st.Action].flat()).filter((a) => a.startsWith(`${service}:`)).sort();
    // The query function runs queries in its one workgroup and reads tables; only the copy functions add tables.
    expect(actions('QueryFn', 'athena')).toEqual(['athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StartQueryExecution', 'athena:StopQueryExecution']);
    expect(JSON.stringify(statements('QueryFn').find((st) => [st.Action].flat().includes('athena:StartQueryExecution'))!.Resource)).toContain(':workgroup/comptoir-prod');
    expect(actions('QueryFn', 'glue')).toEqual(['glue:GetDatabase', 'glue:GetTable']);
    for (const fn of ['ColumnarFn', 'VariantsFn']) {
      expect(actions(fn, 'glue')).toEqual(['glue:CreateTable', 'glue:GetDatabase', 'glue:GetTable']);
      expect(actions(fn, 'athena')).toEqual([]);
    }
    for (const fn of ['AccessFn', 'OpenFn', 'IngestFn']) expect([...actions(fn, 'glue'), ...actions(fn, 'athena')]).toEqual([]);
    for (const st of statements('QueryFn').filter((s) => [s.Action].flat().some((a) => a.startsWith('glue:')))) expect(JSON.stringify(st.Resource)).toContain('table/comptoir_prod/*');
    const env = lambdas(api).find((f) => f.Environment?.Variables?.COMPTOIR_ATHENA_WORKGROUP && f.Handler?.includes('query'))?.Environment.Variables ?? lambdas(api).find((f) => f.Environment?.Variables?.COMPTOIR_GLUE_DATABASE)?.Environment.Variables;
    expect(env).toMatchObject({ COMPTOIR_ATHENA_WORKGROUP: 'comptoir-prod', COMPTOIR_GLUE_DATABASE: 'comptoir_prod' });
  });

  it('lets the public function, for /health/ready, read one probe key of the table and list nothing but the bucket', () => {
    const statements = Object.entries(api.findResources('AWS::IAM::Policy'))
      .filter(([id]) => id.startsWith('PublicFn'))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Condition?: unknown }[])
      .filter((st) => ![st.Action].flat().some((a) => a.startsWith('logs:') || a.startsWith('xray:')));
    expect(statements.map((st) => [st.Action].flat()).sort()).toEqual([['dynamodb:GetItem'], ['s3:ListBucket']]);
    expect(statements.find((st) => st.Action === 'dynamodb:GetItem')?.Condition).toEqual({ 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['READINESS'] } });
  });

  it('lets the upload-signing function write only under incoming/, ingest only under versions/ and queries only under exports/', () => {
    const writes = (fnPrefix: string) =>
      Object.entries(api.findResources('AWS::IAM::Policy'))
        .filter(([id]) => id.startsWith(fnPrefix))
        .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[])
        .filter((st) => [st.Action].flat().includes('s3:PutObject'))
        .map((st) => JSON.stringify(st.Resource));
    expect(writes('DatasetsFn')).toEqual([expect.stringContaining('/incoming/*')]);
    expect(writes('IngestFn')).toEqual([expect.stringContaining('/versions/*')]);
    expect(writes('OpenFn')).toEqual([]);
    expect(writes('AccessFn')).toEqual([]);
    expect(writes('VariantsFn')).toEqual([expect.stringContaining('/derived/*'), expect.stringContaining('/athena/manifests/*')]);
    expect(writes('DeliveriesFn')).toEqual([]);
    expect(writes('QueryFn')).toEqual([expect.stringContaining('/exports/*'), expect.stringContaining('/athena/results/*')]);
    expect(writes('SchedulerFn')).toEqual([expect.stringContaining('/incoming/*'), expect.stringContaining('-checkpoints-')]);
    // The schedule ends abandoned uploads: it deletes incoming bytes, never published ones.
    const deletes = Object.entries(api.findResources('AWS::IAM::Policy'))
      .filter(([id]) => id.startsWith('SchedulerFn'))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[])
      .filter((st) => [st.Action].flat().includes('s3:DeleteObject*'))
      .map((st) => JSON.stringify(st.Resource));
    expect(deletes).toEqual([expect.stringContaining('/incoming/*')]);
  });

  it('delivers webhooks on dataset.version.published, retries them every minute and dead-letters to SQS', () => {
    const deliveries = Object.entries(api.findResources('AWS::Lambda::Function')).find(([id]) => id.startsWith('DeliveriesFn'))!;
    expect(deliveries[1].Properties).toMatchObject({ Timeout: 900, Environment: { Variables: expect.objectContaining({ WEBHOOK_DEAD_LETTER_QUEUE_URL: expect.anything() }) } });
    expect(deliveries[1].Properties.Environment.Variables.COMPTOIR_WEBHOOKS_ALLOW_LOOPBACK_HTTP).toBeUndefined();
    const target = Match.objectLike({ Arn: { 'Fn::GetAtt': [deliveries[0], 'Arn'] } });
    api.hasResourceProperties('AWS::Events::Rule', { EventPattern: { source: ['comptoir'], 'detail-type': ['dataset.version.published'] }, Targets: [target] });
    api.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 minute)', Targets: [target] });
    const sends = Object.entries(api.findResources('AWS::IAM::Policy'))
      .filter(([id]) => id.startsWith('DeliveriesFn'))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as { Action: string | string[] }[])
      .filter((st) => [st.Action].flat().includes('sqs:SendMessage'));
    expect(sends).toHaveLength(1);
  });

  it('e-mails people through SES from the identity and sender the deployment parameters name: ses:SendEmail for the notifications function alone', () => {
    const [fnId, fn] = Object.entries(api.findResources('AWS::Lambda::Function')).find(([id]) => id.startsWith('NotificationsFn'))!;
    expect(fn.Properties.Environment.Variables).toMatchObject({ COMPTOIR_MAIL_SES: 'true', COMPTOIR_MAIL_FROM: { Ref: 'MailSender' } });
    api.hasParameter('MailIdentity', { Type: 'String', Default: '' });
    api.hasParameter('MailSender', { Type: 'String', Default: '' });
    const statements = Object.entries(api.findResources('AWS::IAM::Policy')).flatMap(([id, p]) =>
      (p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]).map((st) => ({ id, ...st })),
    );
    const sends = statements.filter((st) => JSON.stringify(st.Action).includes('ses:'));
    expect(sends).toHaveLength(1);
    expect(sends[0]!.id.startsWith('NotificationsFn')).toBe(true);
    expect(sends[0]!.Action).toBe('ses:SendEmail');
    // One identity, never ses:* nor identity/*.
    expect(JSON.stringify(sends[0]!.Resource)).toMatch(/:identity\/"?,\{"Ref":"MailIdentity"\}/);
    const target = Match.objectLike({ Arn: { 'Fn::GetAtt': [fnId, 'Arn'] } });
    api.hasResourceProperties('AWS::Events::Rule', { EventPattern: { source: ['comptoir'], 'detail-type': [...NOTIFIED_EVENTS] }, Targets: [target] });
    expect(NOTIFIED_EVENTS).toEqual(expect.arrayContaining(['person.invited', 'licence.requested', 'barter.proposed', 'dataset.change.requested', 'licence.approved', 'subscription.failing', 'reminder.delivery.due', 'reminder.duty.due', 'reminder.licence.expiring']));
    // The daily digests: the same function, once a day.
    api.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'cron(0 6 * * ? *)', Targets: [target] });
  });

  it('reports SES bounces and complaints to an encrypted topic that only the bounces function reads, which may only put suppressed addresses', () => {
    // Arrange
    const [setId] = Object.keys(api.findResources('AWS::SES::ConfigurationSet'));
    const [topicId, topic] = Object.entries(api.findResources('AWS::SNS::Topic'))[0]!;
    const [keyId] = Object.keys(api.findResources('AWS::KMS::Key', { Properties: { Description: Match.stringLikeRegexp('SES bounce') } }));
    const [bouncesId] = Object.keys(api.findResources('AWS::Lambda::Function')).filter((id) => id.startsWith('BouncesFn'));
    const statementsOf = (prefix: string) =>
      Object.entries(api.findResources('AWS::IAM::Policy'))
        .filter(([id]) => id.startsWith(prefix))
        .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown; Condition?: unknown }[]);

    // Assert: the configuration set sends bounces and complaints, and nothing else, to the topic.
    api.resourceCountIs('AWS::SES::ConfigurationSet', 1);
    api.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: { Ref: setId },
      EventDestination: { Enabled: true, MatchingEventTypes: ['bounce', 'complaint'], SnsDestination: { TopicARN: { Ref: topicId } } },
    });
    // Encrypted with a rotated customer key that SES may use for this account only; TLS only; SES alone publishes.
    expect(topic.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    api.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'ses.amazonaws.com' }, Action: ['kms:GenerateDataKey*', 'kms:Decrypt'], Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } })]) },
    });
    api.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Allow', Action: 'sns:Publish', Principal: { Service: 'ses.amazonaws.com' } }),
        ]),
      },
    });
    // One subscriber, the bounces function, with a dead-letter queue for what it could not take.
    api.resourceCountIs('AWS::SNS::Subscription', 1);
    api.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'lambda', TopicArn: { Ref: topicId }, Endpoint: { 'Fn::GetAtt': [bouncesId, 'Arn'] }, RedrivePolicy: { deadLetterTargetArn: Match.anyValue() } });
    // Least privilege: PutItem on the items of suppressed addresses, nothing else of the table.
    const writes = statementsOf('BouncesFn').filter((st) => JSON.stringify(st.Action).includes('dynamodb:'));
    expect(writes).toEqual([{ Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: Match.anyValue(), Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['MAILSUPPRESS#*'] } } }].map((w) => expect.objectContaining({ ...w, Resource: expect.anything() })));
    expect(statementsOf('BouncesFn').some((st) => JSON.stringify(st.Action).match(/ses:|sns:|kms:/))).toBe(false);
    // Every send goes through the configuration set, which the notifications function may use.
    const notifications = Object.entries(api.findResources('AWS::Lambda::Function')).find(([id]) => id.startsWith('NotificationsFn'))![1];
    expect(notifications.Properties.Environment.Variables.COMPTOIR_MAIL_CONFIGURATION_SET).toEqual({ Ref: setId });
    const send = statementsOf('NotificationsFn').find((st) => st.Action === 'ses:SendEmail')!;
    expect(JSON.stringify(send.Resource)).toMatch(/:configuration-set\/"?,\{"Ref":"MailConfigurationSet/);
  });

  it('serves the console from a private bucket through CloudFront origin access control', () => {
    web.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: 'site/' },
    });
    web.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' },
    });
    web.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Allow', Action: 's3:GetObject', Principal: { Service: 'cloudfront.amazonaws.com' }, Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } } }),
        ]),
      },
    });
    web.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        HttpVersion: 'http2and3',
        PriceClass: 'PriceClass_100',
        Logging: { Bucket: Match.anyValue(), Prefix: 'cloudfront/' },
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https', AllowedMethods: ['GET', 'HEAD', 'OPTIONS'] }),
        Origins: Match.arrayWith([Match.objectLike({ S3OriginConfig: Match.anyValue(), OriginAccessControlId: { 'Fn::GetAtt': [Match.stringLikeRegexp('OriginAccessControl'), 'Id'] } })]),
      }),
    });
    expect(web.findOutputs('ConsoleUrl')).toHaveProperty('ConsoleUrl.Value', { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [expect.stringMatching(/^Distribution/), 'DomainName'] }]] });
  });

  it('routes the API paths to the HTTP API uncached, with every method and header, so the console needs no CORS', () => {
    const config = Object.values(web.findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig;
    const apiOrigin = config.Origins.find((o: { CustomOriginConfig?: unknown }) => o.CustomOriginConfig);
    expect(apiOrigin).toMatchObject({
      CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] },
      DomainName: { 'Fn::Select': [2, { 'Fn::Split': ['/', { 'Fn::ImportValue': expect.stringContaining('ApiEndpoint') }] }] },
    });
    // Every other path is the console's files (the embeddable page has its own headers, tested below).
    const apiBehaviours = config.CacheBehaviors.filter((b: { PathPattern: string }) => b.PathPattern !== '/embed.html');
    expect(apiBehaviours.map((b: { PathPattern: string }) => b.PathPattern)).toEqual([...API_PATH_PATTERNS]);
    for (const behaviour of apiBehaviours) {
      expect(behaviour).toMatchObject({
        TargetOriginId: apiOrigin.Id,
        CachePolicyId: CachePolicy.CACHING_DISABLED.cachePolicyId,
        OriginRequestPolicyId: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER.originRequestPolicyId,
        AllowedMethods: expect.arrayContaining(['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE']),
        ViewerProtocolPolicy: 'https-only',
      });
    }
    const glob = (pattern: string) => new RegExp(`^${pattern.replace(/[.]/g, '\\.').replace(/\*/g, '.*')}$`);
    for (const route of Object.values(routes)) expect(API_PATH_PATTERNS.some((p) => glob(p).test(route.path)), route.path).toBe(true);
  });

  it('puts a us-east-1 WAF web ACL on the distribution: managed common and known-bad-inputs rules, a rate per API key and one per IP on /open/*', () => {
    // Arrange
    const waf = Template.fromStack(edge);
    // Assert: the ACL lives where CloudFront requires it, in its own stack
    expect(edge.region).toBe('us-east-1');
    const acl = Object.values(waf.findResources('AWS::WAFv2::WebACL'))[0]!.Properties;
    expect(acl).toMatchObject({ Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} } });
    const rule = (name: string) => acl.Rules.find((r: { Name: string }) => r.Name === name);
    for (const name of ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet']) {
      expect(rule(name)).toMatchObject({ OverrideAction: { None: {} }, Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: name } } });
    }
    expect(rule('PerApiKey')).toMatchObject({
      Action: { Block: {} },
      Statement: { RateBasedStatement: { AggregateKeyType: 'CUSTOM_KEYS', CustomKeys: [{ Header: { Name: 'authorization' } }], Limit: { Ref: 'RequestsPerApiKeyPer5Minutes' }, EvaluationWindowSec: 300 } },
    });
    expect(rule('OpenDataPerIp')).toMatchObject({
      Action: { Block: {} },
      Statement: {
        RateBasedStatement: {
          AggregateKeyType: 'IP',
          Limit: { Ref: 'OpenDataRequestsPerIpPer5Minutes' },
          ScopeDownStatement: { ByteMatchStatement: { FieldToMatch: { UriPath: {} }, PositionalConstraint: 'STARTS_WITH', SearchString: '/open/' } },
        },
      },
    });
    // The limits are stack parameters, with documented defaults.
    expect(waf.findParameters('RequestsPerApiKeyPer5Minutes')).toHaveProperty('RequestsPerApiKeyPer5Minutes.Default', EDGE_RATE_LIMITS.perApiKey);
    expect(waf.findParameters('OpenDataRequestsPerIpPer5Minutes')).toHaveProperty('OpenDataRequestsPerIpPer5Minutes.Default', EDGE_RATE_LIMITS.perIpOnOpenData);
    // The distribution uses it (read across regions).
    const config = Object.values(web.findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig;
    expect(config.WebACLId).toBeDefined();
    expect(JSON.stringify(config.WebACLId)).toMatch(/WebAcl/);
  });

  it('sends security headers and a CSP that allows only the console itself and presigned S3 uploads', () => {
    web.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: {
          StrictTransportSecurity: { AccessControlMaxAgeSec: 63072000, IncludeSubdomains: true, Override: true },
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
          ContentSecurityPolicy: { ContentSecurityPolicy: Match.anyValue(), Override: true },
        },
      }),
    });
    const policies = (stack: Template) => Object.entries(stack.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
    const cspOf = (stack: Template, prefix: string) => {
      const policy = policies(stack).find(([id]) => id.startsWith(prefix))![1].Properties.ResponseHeadersPolicyConfig;
      return Object.fromEntries((policy.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy as string).split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    };
    const console = {
      'default-src': ["'self'"],
      'script-src': ["'self'"],
      'style-src': ["'self'"],
      'font-src': ["'self'", 'data:'],
      // The basemap's tiles: the IGN plan unless comptoir:tileUrl names another.
      'img-src': ["'self'", 'data:', 'https://data.geopf.fr'],
      'connect-src': ["'self'", 'https://*.amazonaws.com'],
      'frame-ancestors': ["'none'"],
    };
    expect(cspOf(web, 'SecurityHeaders')).toEqual({ ...console, 'object-src': ["'none'"], 'base-uri': ["'self'"], 'form-action': ["'self'"] });
    expect(cspOf(Template.fromStack(dev.console), 'SecurityHeaders')['img-src']).toEqual(["'self'", 'data:', 'https://tuiles.example.fr']);
    // The embeddable views: the same policy, framed by any site, without X-Frame-Options.
    expect(cspOf(web, 'EmbedHeaders')).toMatchObject({ ...console, 'frame-ancestors': ['*'] });
    expect(policies(web).find(([id]) => id.startsWith('EmbedHeaders'))![1].Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.FrameOptions).toBeUndefined();
    const config = Object.values(web.findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig;
    const embed = config.CacheBehaviors.filter((b: { PathPattern: string }) => b.PathPattern === '/embed.html');
    expect(embed).toHaveLength(1);
    expect(embed[0]).toMatchObject({ ResponseHeadersPolicyId: { Ref: expect.stringMatching(/^EmbedHeaders/) }, TargetOriginId: config.DefaultCacheBehavior.TargetOriginId, AllowedMethods: ['GET', 'HEAD', 'OPTIONS'] });
    for (const behaviour of [config.DefaultCacheBehavior, ...config.CacheBehaviors].filter((b) => b.PathPattern !== '/embed.html')) {
      expect(behaviour.ResponseHeadersPolicyId).toEqual({ Ref: expect.stringMatching(/^SecurityHeaders/) });
    }
  });

  it('deploys the console settings beside it, and refuses a basemap URL that is no tile template', () => {
    const entry = Object.entries(web.findResources('Custom::CDKBucketDeployment')).find(([id]) => id.startsWith('DeploymentEntry'))![1];
    // One source for the built files, one for config.json.
    expect(entry.Properties.SourceObjectKeys).toHaveLength(2);
    const staged = readdirSync(app.outdir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('config.json')).map((f) => JSON.parse(readFileSync(join(app.outdir, f), 'utf8')));
    expect(staged).toContainEqual({ tileUrl: expect.stringMatching(/^https:\/\/data\.geopf\.fr\/wmts\?.*TILEMATRIX=\{z\}&TILEROW=\{y\}&TILECOL=\{x\}/), tileAttribution: '© IGN — Plan IGN' });
    expect(() => build({ app: testApp('prod', { 'comptoir:tileUrl': 'https://tuiles.example.fr/plan.png' }) })).toThrow(/tile URL/);
  });

  it('deploys the built console: hashed assets cached for a year first, then the entry files, invalidating the distribution', () => {
    const [assets, entry] = ['DeploymentAssets', 'DeploymentEntry'].map((prefix) => Object.entries(web.findResources('Custom::CDKBucketDeployment')).find(([id]) => id.startsWith(prefix))!);
    expect(assets![1].Properties).toMatchObject({ DestinationBucketKeyPrefix: 'assets/', Prune: false, SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' } });
    expect(entry![1].Properties).toMatchObject({
      DestinationBucketName: { Ref: expect.stringMatching(/^Site/) },
      Prune: true,
      Exclude: ['assets/*'],
      SystemMetadata: { 'cache-control': 'no-cache' },
      DistributionId: { Ref: expect.stringMatching(/^Distribution/) },
      DistributionPaths: ['/*'],
      RetainOnDelete: true,
    });
    expect(entry![1].DependsOn).toContain(assets![0]);
    // The other function is CDK's reader of the web ACL's ARN across regions.
    const [provider, ...others] = lambdas(web).filter((f) => f.Role?.['Fn::GetAtt']?.[0]?.startsWith('DeploymentRole'));
    expect(others).toEqual([]);
    expect(lambdas(web)).toHaveLength(2);
    expect(provider).toMatchObject({ Role: { 'Fn::GetAtt': [expect.stringMatching(/^DeploymentRole/), 'Arn'] }, LoggingConfig: { LogGroup: { Ref: expect.stringMatching(/^DeploymentLogs/) } } });
    web.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
    expect(Object.entries(web.findResources('AWS::IAM::Role')).filter(([id]) => !id.startsWith('CustomCrossRegionExportReader')).flatMap(([, r]) => r.Properties.ManagedPolicyArns ?? [])).toEqual([]);
  });

  it('answers only through the distribution: it sends a generated secret header that every API function and the authorizer require', () => {
    const secrets = api.findResources('AWS::SecretsManager::Secret');
    expect(Object.values(secrets)).toHaveLength(1);
    const [secretId, secret] = Object.entries(secrets)[0]!;
    expect(secret.Properties.GenerateSecretString).toMatchObject({ PasswordLength: 48, ExcludePunctuation: true });
    // Each reader gets the deployment-time dynamic reference to that secret, never a literal value.
    const resolvesSecret = (value: unknown) => JSON.stringify(value).includes('{{resolve:secretsmanager:') && JSON.stringify(value).includes(secretId);
    const groups = [...HTTP_FUNCTION_GROUPS, 'authorizer'];
    const readers = Object.entries(api.findResources('AWS::Lambda::Function')).filter(([id]) => groups.some((g) => id.startsWith(`${g[0]!.toUpperCase()}${g.slice(1)}Fn`)));
    expect(readers).toHaveLength(groups.length);
    for (const [id, f] of readers) expect(resolvesSecret(f.Properties.Environment.Variables.COMPTOIR_ORIGIN_SECRET), id).toBe(true);
    const config = Object.values(web.findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig;
    const apiOrigin = config.Origins.find((o: { CustomOriginConfig?: unknown }) => o.CustomOriginConfig);
    expect(apiOrigin.OriginCustomHeaders).toHaveLength(1);
    expect(apiOrigin.OriginCustomHeaders[0].HeaderName).toBe('x-comptoir-origin-verify');
    expect(JSON.stringify(apiOrigin.OriginCustomHeaders[0].HeaderValue)).toContain('{{resolve:secretsmanager:');
    expect(api.findOutputs('ApiUrl')).toEqual({});
  });

  it('signs people in with the configured OpenID provider: its client secret in Secrets Manager, read by the identity function alone', () => {
    const withProvider = build({ app: testApp('prod', { 'comptoir:oidcIssuer': 'https://auth.agentconnect.gouv.fr/api/v2', 'comptoir:oidcClientId': 'comptoir-metropole' }) });
    const t = Template.fromStack(withProvider.stateless);
    t.resourceCountIs('AWS::SecretsManager::Secret', 2);
    const [secretId] = Object.entries(t.findResources('AWS::SecretsManager::Secret')).find(([id]) => id.startsWith('OpenIdClientSecret'))!;
    const withIssuer = lambdas(t).filter((f) => f.Environment?.Variables?.COMPTOIR_OIDC_ISSUER);
    expect(withIssuer).toHaveLength(1);
    expect(withIssuer[0].Environment.Variables).toMatchObject({ COMPTOIR_OIDC_ISSUER: 'https://auth.agentconnect.gouv.fr/api/v2', COMPTOIR_OIDC_CLIENT_ID: 'comptoir-metropole', COMPTOIR_OIDC_CLIENT_SECRET_ARN: { Ref: secretId } });
    // The secret reaches the function through the Parameters and Secrets extension, never as a plain variable.
    expect(JSON.stringify(withIssuer[0].Layers)).toContain('AWS-Parameters-and-Secrets-Lambda-Extension');
    expect(JSON.stringify(withIssuer[0].Environment.Variables)).not.toMatch(/CLIENT_SECRET"/);
    const readers = Object.values(t.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p.Properties.PolicyDocument).includes(`"Ref":"${secretId}"`));
    expect(readers).toHaveLength(1);
    expect(JSON.stringify(readers[0]!.Properties.PolicyDocument)).toContain('secretsmanager:GetSecretValue');
    // Without a provider: no secret, no sign-in variables.
    expect(lambdas(api).some((f) => f.Environment?.Variables?.COMPTOIR_OIDC_ISSUER)).toBe(false);
    expect(() => build({ app: testApp('prod', { 'comptoir:oidcIssuer': 'http://idp.example' , 'comptoir:oidcClientId': 'x' }) })).toThrow(/https/);
    expect(() => build({ app: testApp('prod', { 'comptoir:oidcIssuer': 'https://idp.example' }) })).toThrow(/both/);
  });

  it('gives every API function the partner-admin assurance level comptoir:partnerAdminAcr names, and refuses a malformed one or one without a provider', () => {
    const oidc = { 'comptoir:oidcIssuer': 'https://proconnect.gouv.fr/api/v2', 'comptoir:oidcClientId': 'comptoir-metropole' };
    const levels = (t: Template) =>
      Object.entries(t.findResources('AWS::Lambda::Function')).map(([id, f]) => [id.replace(/FnFunction[A-F0-9]+$/, ''), f.Properties.Environment?.Variables?.COMPTOIR_PARTNER_ADMIN_ACR] as const);
    const withLevel = levels(Template.fromStack(build({ app: testApp('prod', { ...oidc, 'comptoir:partnerAdminAcr': 'eidas2' }) }).stateless));
    expect(withLevel.filter(([, acr]) => acr === 'eidas2').map(([id]) => id).sort()).toEqual(HTTP_FUNCTION_GROUPS.map((g) => `${g[0]!.toUpperCase()}${g.slice(1)}`).sort());
    expect(lambdas(api).some((f) => f.Environment?.Variables?.COMPTOIR_PARTNER_ADMIN_ACR)).toBe(false);
    expect(() => build({ app: testApp('prod', { ...oidc, 'comptoir:partnerAdminAcr': 'eidas2 <b>' }) })).toThrow(/not an acr value/);
    expect(() => build({ app: testApp('prod', { 'comptoir:partnerAdminAcr': 'eidas2' }) })).toThrow(/needs an OpenID provider/);
  });

  it('gives the authorizer the public URL too, and routes /auth/* through the distribution to the API', () => {
    const authorizer = Object.entries(api.findResources('AWS::Lambda::Function')).find(([id]) => id.startsWith('AuthorizerFn'))![1];
    expect(authorizer.Properties.Environment.Variables.COMPTOIR_PUBLIC_URL).toBe('https://d1111.cloudfront.net');
    const behaviours = Object.values(web.findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig.CacheBehaviors.map((b: { PathPattern: string }) => b.PathPattern);
    expect(behaviours).toContain('/auth/*');
  });

  it('gives every API function the public URL, the console domain\'s or comptoir:publicUrl, and refuses a malformed one', () => {
    const publicUrls = (t: Template) =>
      Object.entries(t.findResources('AWS::Lambda::Function'))
        .filter(([id]) => HTTP_FUNCTION_GROUPS.some((g) => id.startsWith(`${g[0]!.toUpperCase()}${g.slice(1)}Fn`)))
        .map(([, f]) => f.Properties.Environment?.Variables?.COMPTOIR_PUBLIC_URL);
    expect(publicUrls(Template.fromStack(dev.stateless))).toEqual(HTTP_FUNCTION_GROUPS.map(() => 'https://donnees.example.fr'));
    expect(new Set(publicUrls(api))).toEqual(new Set(['https://d1111.cloudfront.net']));
    // Without one, nothing synthesises: the functions would otherwise refuse to load.
    expect(() => build({ app: new App({ context: { 'aws:cdk:bundling-stacks': [] } }) })).toThrow(/comptoir:publicUrl/);
    const chosen = build({ app: testApp('dev', { 'comptoir:publicUrl': 'https://d1234.cloudfront.net/' }) });
    expect(new Set(publicUrls(Template.fromStack(chosen.stateless)))).toEqual(new Set(['https://d1234.cloudfront.net']));
    expect(() => build({ app: testApp('dev', { 'comptoir:publicUrl': 'd1234.cloudfront.net' }) })).toThrow(/comptoir:publicUrl must be an absolute URL/);
  });

  it('refuses to build without the built console, naming the command that builds it', () => {
    expect(() => build({ app: testApp(), consoleDir: 'test/fixtures' })).toThrow(/npm run build:console/);
  });

  it('sets TLS 1.2 (2021) on a custom console domain, and lets dev console buckets go with the stack', () => {
    const devWeb = Template.fromStack(dev.console);
    devWeb.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['donnees.example.fr'],
        ViewerCertificate: { AcmCertificateArn: Match.stringLikeRegexp('^arn:aws:acm:us-east-1:'), MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' },
      }),
    });
    expect(devWeb.findOutputs('ConsoleUrl')).toHaveProperty('ConsoleUrl.Value', 'https://donnees.example.fr');
    for (const bucket of Object.values(devWeb.findResources('AWS::S3::Bucket'))) expect(bucket.DeletionPolicy).toBe('Delete');
    for (const bucket of Object.values(web.findResources('AWS::S3::Bucket'))) expect(bucket.DeletionPolicy).toBe('Retain');
    devWeb.hasResourceProperties('Custom::CDKBucketDeployment', { RetainOnDelete: false });
  });

  it('leaves CloudFront standard logs off in EU opt-in regions, whose buckets CloudFront cannot write to', () => {
    const alone = testApp();
    const holder = new Stack(alone, 'Api', { env: { region: 'eu-south-1' } });
    const httpApi = HttpApi.fromHttpApiAttributes(holder, 'Api', { httpApiId: 'abc123', apiEndpoint: 'https://abc123.execute-api.eu-south-1.amazonaws.com' });
    const originSecret = Secret.fromSecretNameV2(holder, 'OriginVerify', 'comptoir-origin-verify');
    const milan = new ConsoleStack(alone, 'Console', { env: { region: 'eu-south-1' }, stage: 'prod', api: httpApi, originSecret, consoleDir });
    Validations.of(alone).addPlugins(new AwsSolutionsChecks(alone));
    expect(Template.fromStack(milan).findResources('AWS::CloudFront::Distribution')).toSatisfy((d: object) => Object.values(d).every((r) => r.Properties.DistributionConfig.Logging === undefined));
    expect(() => alone.synth()).not.toThrow();
  });

  it('passes cdk-nag AwsSolutions checks, with the default and with a custom console domain', () => {
    expect(() => app.synth({ force: true })).not.toThrow();
    expect(() => dev.app.synth({ force: true })).not.toThrow();
  });

  it('fails synthesis when a resource breaks an AwsSolutions rule (the check is live)', () => {
    const { app: bad, stateful: s } = build({ app: testApp('dev') });
    new Bucket(s as Stack, 'Careless');
    expect(() => bad.synth()).toThrow(/AwsSolutions|validation/i);
  });

  it.each(['us-east-1', 'ap-southeast-2', 'eu-west-2', 'me-central-1'])('refuses the non-EU region %s', (region) => {
    expect(() => build({ app: testApp(), region })).toThrow(/only to EU regions/);
  });

  it('lets dev stacks be destroyed', () => {
    Template.fromStack(dev.stateful).hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: false });
  });
});
