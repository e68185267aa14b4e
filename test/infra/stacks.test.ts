import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { buildComptoirApp } from '../../infra/app.ts';
import { routes } from '../../schemas/routes.ts';

/** A test app: no bundling (esbuild is benched separately) and no slow built-in template validation. */
const testApp = (stage = 'prod') =>
  new App({
    outdir: mkdtempSync(join(tmpdir(), 'cdk-')),
    builtinCloudFormationValidation: false,
    context: { 'aws:cdk:bundling-stacks': [], 'comptoir:stage': stage },
  } as ConstructorParameters<typeof App>[0]);

describe('CDK app', () => {
  const { app, stateful, stateless } = buildComptoirApp({ app: testApp(), region: 'eu-west-3' });
  const data = Template.fromStack(stateful);
  const api = Template.fromStack(stateless);

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
        ]),
      },
      CorsConfiguration: { CorsRules: [Match.objectLike({ ExposedHeaders: ['ETag'] })] },
    });
    data.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('refuses plain HTTP on every bucket', () => {
    const policies = data.findResources('AWS::S3::BucketPolicy');
    expect(Object.keys(policies)).toHaveLength(2);
    for (const policy of Object.values(policies)) {
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });

  it('signs with a KMS Ed25519 key', () => {
    data.hasResourceProperties('AWS::KMS::Key', { KeySpec: 'ECC_NIST_EDWARDS25519', KeyUsage: 'SIGN_VERIFY' });
  });

  it('declares one HTTP route per declared route, the authorizer on every /v1 route, none elsewhere', () => {
    const declared = Object.values(routes);
    const deployed = Object.values(api.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties);
    expect(deployed.map((r) => r.RouteKey).sort()).toEqual(declared.map((r) => `${r.method} ${r.path}`).sort());
    for (const r of deployed) {
      if (String(r.RouteKey).includes(' /v1/')) expect(r).toMatchObject({ AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: expect.stringContaining('ApiKeyAuthorizer') } });
      else expect(r.AuthorizationType ?? 'NONE').toBe('NONE');
    }
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
    const fns = Object.values(api.findResources('AWS::Lambda::Function')).map((f) => f.Properties);
    expect(fns).toHaveLength(17);
    for (const f of fns) expect(f).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], LoggingConfig: { LogGroup: { Ref: expect.stringContaining('Logs') } } });
  });

  it('feeds the sequencer from the stream with one writer at a time and a dead-letter queue', () => {
    api.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      ParallelizationFactor: 1,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      FilterCriteria: { Filters: [{ Pattern: Match.stringLikeRegexp('OUTBOX#') }] },
    });
    api.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 1 });
    api.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(5 minutes)', Targets: [Match.objectLike({ DeadLetterConfig: Match.anyValue() })] });
  });

  it('ingests on dataset.version.uploaded from the bus, with retries, a dead-letter queue and 15 minutes', () => {
    api.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['comptoir'], 'detail-type': ['dataset.version.uploaded'] },
      Targets: [Match.objectLike({ DeadLetterConfig: { Arn: Match.anyValue() }, RetryPolicy: { MaximumRetryAttempts: 4 } })],
    });
    api.hasResourceProperties('AWS::Lambda::Function', { Timeout: 900, MemorySize: 1024, Environment: { Variables: Match.objectLike({ BUCKET_NAME: Match.anyValue(), TABLE_NAME: 'comptoir-prod' }) } });
  });

  it('grants the datasets bucket only to the functions that handle bytes', () => {
    const withBucket = Object.entries(api.findResources('AWS::Lambda::Function'))
      .filter(([, f]) => f.Properties.Environment?.Variables?.BUCKET_NAME)
      .map(([id]) => id.replace(/Fn.*$/, ''))
      .sort();
    expect(withBucket).toEqual(['Access', 'Datasets', 'Deliveries', 'Ingest', 'Open', 'Scheduler', 'Variants']);
  });

  it('lets the upload-signing function write only under incoming/ and ingest only under versions/', () => {
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
    expect(writes('VariantsFn')).toEqual([expect.stringContaining('/derived/*')]);
    expect(writes('DeliveriesFn')).toEqual([]);
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

  it('passes cdk-nag AwsSolutions checks', () => {
    expect(() => app.synth({ force: true })).not.toThrow();
  });

  it('fails synthesis when a resource breaks an AwsSolutions rule (the check is live)', () => {
    const { app: bad, stateful: s } = buildComptoirApp({ app: testApp('dev'), region: 'eu-west-3' });
    new Bucket(s as Stack, 'Careless');
    expect(() => bad.synth()).toThrow(/AwsSolutions|validation/i);
  });

  it.each(['us-east-1', 'ap-southeast-2', 'eu-west-2', 'me-central-1'])('refuses the non-EU region %s', (region) => {
    expect(() => buildComptoirApp({ app: testApp(), region })).toThrow(/only to EU regions/);
  });

  it('lets dev stacks be destroyed', () => {
    const { stateful: dev } = buildComptoirApp({ app: testApp('dev'), region: 'eu-west-3' });
    Template.fromStack(dev).hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: false });
  });
});
