import { Aws, CfnParameter, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, StreamViewType, Table, type ITable } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { CfnWorkGroup } from 'aws-cdk-lib/aws-athena';
import { CfnDatabase } from 'aws-cdk-lib/aws-glue';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import { AnyPrincipal, Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, CfnBucket, HttpMethods, type IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { TABLE_DEFINITION } from '../../functions/adapters/dynamo/table-definition.ts';
import { DATASETS_BUCKET_DEFINITION } from '../../functions/adapters/s3/bucket-definition.ts';
import { AccessLogBucket } from '../constructs/access-log-bucket.ts';

/** Physical names of the stateful resources the stateless stack refers to. */
export const tableNameOf = (stage: string) => `comptoir-${stage}`;
export const busNameOf = (stage: string) => `comptoir-${stage}`;
/** Bucket names are global: the account and region make this one unique. */
export const datasetsBucketNameOf = (stage: string) => `comptoir-${stage}-datasets-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
export const checkpointsBucketNameOf = (stage: string) => `comptoir-${stage}-checkpoints-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
/** The Glue database holding one table per columnar copy (Glue names: lower case, no hyphen). */
export const queryDatabaseNameOf = (stage: string) => `comptoir_${stage.toLowerCase().replaceAll(/[^a-z0-9_]/g, '_')}`;
export const queryWorkGroupNameOf = (stage: string) => `comptoir-${stage}`;
/** Bytes one Athena query may scan unless the stack parameter says otherwise: 10 GiB (about 0.05 € a query). */
export const DEFAULT_ATHENA_BYTES_PER_QUERY = 10 * 1024 ** 3;
/** Years each audit checkpoint stays locked, unless the stack parameter says otherwise. */
export const DEFAULT_CHECKPOINT_RETENTION_YEARS = 10;

export interface StatefulStackProps extends StackProps {
  /** `dev` stacks can be destroyed; any other stage keeps data on deletion and protects the table. */
  readonly stage: string;
}

/** Everything that holds data: the table, the datasets bucket, the bus and the keys. */
export class StatefulStack extends Stack {
  readonly table: ITable;
  readonly datasets: IBucket;
  readonly datasetsKey: Key;
  readonly bus: EventBus;
  readonly signingKey: Key;
  readonly checkpoints: IBucket;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const isDev = props.stage === 'dev';
    const removalPolicy = isDev ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
    const def = TABLE_DEFINITION;

    const table = new Table(this, 'Table', {
      // A fixed name lets the stateless stack address it without a locking cross-stack export.
      tableName: tableNameOf(props.stage),
      partitionKey: { name: def.partitionKey, type: AttributeType.STRING },
      sortKey: { name: def.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: !isDev,
      timeToLiveAttribute: def.ttlAttribute,
      stream: StreamViewType[def.streamView],
      removalPolicy,
    });
    for (const [indexName, index] of Object.entries(def.indexes)) {
      table.addGlobalSecondaryIndex({
        indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
      });
    }
    this.table = table;

    const dataKey = new Key(this, 'DatasetsKey', {
      description: 'Comptoir datasets bucket encryption',
      enableKeyRotation: true,
      removalPolicy,
    });
    const accessLogs = new AccessLogBucket(this, 'AccessLogs', { removalPolicy });

    const { cors, lifecycle } = DATASETS_BUCKET_DEFINITION;
    this.datasetsKey = dataKey;
    this.datasets = new Bucket(this, 'Datasets', {
      bucketName: datasetsBucketNameOf(props.stage),
      versioned: true,
      encryption: BucketEncryption.KMS,
      encryptionKey: dataKey,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'datasets/',
      cors: [
        {
          allowedMethods: cors.allowedMethods.map((m) => HttpMethods[m]),
          allowedOrigins: [...cors.allowedOrigins],
          allowedHeaders: [...cors.allowedHeaders],
          exposedHeaders: [...cors.exposedHeaders],
          maxAge: cors.maxAgeSeconds,
        },
      ],
      lifecycleRules: [
        { abortIncompleteMultipartUploadAfter: Duration.days(lifecycle.abortIncompleteMultipartUploadDays) },
        { prefix: lifecycle.derivedPrefix, expiration: Duration.days(lifecycle.derivedExpirationDays) },
        { prefix: lifecycle.incomingPrefix, expiration: Duration.days(lifecycle.incomingExpirationDays) },
        { prefix: lifecycle.exportsPrefix, expiration: Duration.days(lifecycle.exportsExpirationDays) },
        { prefix: lifecycle.athenaResultsPrefix, expiration: Duration.days(lifecycle.athenaResultsExpirationDays) },
        { noncurrentVersionExpiration: Duration.days(lifecycle.noncurrentVersionExpirationDays) },
      ],
      removalPolicy,
    });

    this.bus = new EventBus(this, 'Bus', { eventBusName: busNameOf(props.stage), description: 'Comptoir domain events (dataset.version.published, licence.*, …)' });

    this.signingKey = new Key(this, 'SigningKey', {
      description: 'Comptoir platform signatures (licence documents, audit checkpoints)',
      keySpec: KeySpec.ECC_NIST_EDWARDS25519,
      keyUsage: KeyUsage.SIGN_VERIFY,
      removalPolicy,
    });

    this.checkpoints = this.checkpointsBucket(props.stage, accessLogs);
    this.queryCatalogue(props.stage, dataKey, isDev);
  }

  /**
   * Athena for copies too large for one function: a Glue database (one table per copy, added by the copy
   * functions) and a workgroup that enforces its settings, so every query is capped in bytes scanned and
   * writes its answer, encrypted, under the bucket's short-lived results prefix.
   */
  private queryCatalogue(stage: string, dataKey: Key, isDev: boolean): void {
    const cutoff = new CfnParameter(this, 'AthenaBytesScannedCutoffPerQuery', {
      type: 'Number',
      default: DEFAULT_ATHENA_BYTES_PER_QUERY,
      minValue: 10_000_000,
      description: 'Bytes one query of a large version may scan in Athena before it is cancelled (the caller gets 422 query_too_costly)',
    });
    new CfnDatabase(this, 'QueryDatabase', {
      catalogId: Aws.ACCOUNT_ID,
      databaseInput: { name: queryDatabaseNameOf(stage), description: 'Comptoir: one table per columnar copy of a published version or enforced variant' },
    });
    new CfnWorkGroup(this, 'QueryWorkGroup', {
      name: queryWorkGroupNameOf(stage),
      description: 'Comptoir record queries and exports of versions beyond one function',
      recursiveDeleteOption: isDev,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        bytesScannedCutoffPerQuery: cutoff.valueAsNumber,
        publishCloudWatchMetricsEnabled: true,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: `s3://${this.datasets.bucketName}/${DATASETS_BUCKET_DEFINITION.lifecycle.athenaResultsPrefix}`,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: dataKey.keyArn },
        },
      },
    });
  }

  /**
   * Write-once audit checkpoints: Object Lock in compliance mode (nobody, root included, shortens or deletes a
   * locked version), and a policy that refuses deletes (delete markers would hide a checkpoint) and any write
   * without `If-None-Match`, so a key once written is never overwritten, even by a role allowed to put.
   */
  private checkpointsBucket(stage: string, accessLogs: IBucket): IBucket {
    const years = new CfnParameter(this, 'CheckpointRetentionYears', {
      type: 'Number',
      default: DEFAULT_CHECKPOINT_RETENTION_YEARS,
      minValue: 1,
      maxValue: 100,
      description: 'Years each signed audit checkpoint is kept under S3 Object Lock (compliance mode: it cannot be shortened or deleted)',
    });
    const bucket = new Bucket(this, 'Checkpoints', {
      bucketName: checkpointsBucketNameOf(stage),
      versioned: true,
      objectLockEnabled: true,
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'checkpoints/',
      // Locked objects outlive any stack: a dev stack leaves the bucket behind too.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // The L2 takes a Duration, which cannot carry the parameter: years go on the L1.
    (bucket.node.defaultChild as CfnBucket).objectLockConfiguration = {
      objectLockEnabled: 'Enabled',
      rule: { defaultRetention: { mode: 'COMPLIANCE', years: years.valueAsNumber } },
    };
    bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'NoDeleteNoExpiry',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutLifecycleConfiguration'],
        resources: [bucket.bucketArn, bucket.arnForObjects('*')],
      }),
    );
    bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'WritesOnlyToNewKeys',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [bucket.arnForObjects('*')],
        conditions: { Null: { 's3:if-none-match': 'true' } },
      }),
    );
    return bucket;
  }
}
