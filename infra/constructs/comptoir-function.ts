import { Duration, Stack, Token } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { Architecture, ParamsAndSecretsLayerVersion, ParamsAndSecretsVersions, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { join } from 'node:path';
import { BUNDLE_SETTINGS, duckDbBeside, handlerEntry } from '../bundling.ts';
import { PROBE_KEY } from '../../functions/adapters/dynamo/table-probe.ts';
import { MANIFEST_PREFIX } from '../../functions/adapters/athena/glue-registry.ts';
import { DATASETS_BUCKET_DEFINITION } from '../../functions/adapters/s3/bucket-definition.ts';
import { SUPPRESSION_PREFIX } from '../../functions/adapters/dynamo/mail-suppression-store.ts';

/** Every function runs on Graviton; native modules are packaged for the same platform. */
const ARCHITECTURE = { cdk: Architecture.ARM_64, platform: 'linux-arm64' } as const;

/** A string as cdk-nag prints it in finding ids: pseudo parameters as <AWS::Name>. */
function renderForNag(value: string, stack: Stack): string {
  const resolved = stack.resolve(value) as unknown;
  if (typeof resolved === 'string') return resolved;
  const join = (resolved as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (!join) throw new Error(`cannot render ${JSON.stringify(resolved)} for a cdk-nag acknowledgement`);
  return join[1].map((part) => (typeof part === 'string' ? part : `<${(part as { Ref: string }).Ref}>`)).join(join[0]);
}

export interface ComptoirFunctionProps {
  /** Function group: the entry is `functions/handlers/<group>.ts`. */
  readonly group: string;
  readonly memorySize?: number;
  readonly timeout?: Duration;
  readonly reservedConcurrentExecutions?: number;
  readonly projectRoot: string;
  /** Adds the AWS Parameters and Secrets extension, through which the function reads its secrets (no SDK client bundled). */
  readonly secretsExtension?: boolean;
  /** Packages DuckDB (its native binding for the function's architecture) beside the bundle. */
  readonly embedsDuckDb?: boolean;
}

/** A Lambda function with the house defaults; `bind*` helpers set its environment and grant IAM together. */
export class ComptoirFunction extends Construct {
  readonly fn: NodejsFunction;

  constructor(scope: Construct, id: string, props: ComptoirFunctionProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', { retention: RetentionDays.SIX_MONTHS });
    // An own role writing only to its own log group, instead of the broader managed basic-execution policy.
    const role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);
    this.fn = new NodejsFunction(this, 'Function', {
      role,
      entry: join(props.projectRoot, handlerEntry(props.group)),
      handler: 'handler',
      projectRoot: props.projectRoot,
      depsLockFilePath: join(props.projectRoot, 'package-lock.json'),
      // Node.js 24 is the newest Lambda runtime and supported the longest.
      runtime: Runtime.NODEJS_24_X,
      architecture: ARCHITECTURE.cdk,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      ...(props.reservedConcurrentExecutions !== undefined ? { reservedConcurrentExecutions: props.reservedConcurrentExecutions } : {}),
      tracing: Tracing.ACTIVE,
      logGroup,
      ...(props.secretsExtension ? { paramsAndSecrets: ParamsAndSecretsLayerVersion.fromVersion(ParamsAndSecretsVersions.V1_0_103) } : {}),
      environment: {
        POWERTOOLS_SERVICE_NAME: 'comptoir',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        target: BUNDLE_SETTINGS.target,
        format: OutputFormat.CJS,
        minify: BUNDLE_SETTINGS.minify,
        sourceMap: true,
        mainFields: [...BUNDLE_SETTINGS.mainFields],
        externalModules: [...BUNDLE_SETTINGS.external],
        esbuildArgs: Object.fromEntries(Object.entries(BUNDLE_SETTINGS.alias).map(([from, to]) => [`--alias:${from}`, join(props.projectRoot, to)])),
        forceDockerBundling: false,
        ...(props.embedsDuckDb ? { commandHooks: duckDbBeside(props.projectRoot, ARCHITECTURE.platform) } : {}),
      },
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray PutTraceSegments/PutTelemetryRecords (and dynamodb:ListStreams for the stream consumer) only accept Resource "*".',
    });
  }

  /** TABLE_NAME and read or read-write access to the table and its indexes. */
  bindTable(table: ITable, access: 'read' | 'readWrite'): this {
    this.fn.addEnvironment('TABLE_NAME', table.tableName);
    if (access === 'read') table.grantReadData(this.fn);
    else table.grantReadWriteData(this.fn);
    const stack = Stack.of(this);
    const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
    const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
    Validations.of(this).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:dynamodb:${region}:${account}:table/${table.tableName}/index/*]`,
      reason: "Queries run on the table's two GSIs (gsi1, gsi2); the grant covers exactly this table's indexes.",
    });
    return this;
  }


  /**
   * BUCKET_NAME and the least object access the function needs: reads, writes under one prefix only
   * (so URLs it presigns cannot write elsewhere), deletes (anywhere, or under one prefix). The bucket's KMS key follows each grant.
   */
  bindBucket(bucket: IBucket, access: { read?: boolean; writePrefix?: string; writePattern?: string; delete?: boolean | string }): this {
    this.fn.addEnvironment('BUCKET_NAME', bucket.bucketName);
    const name = renderForNag(bucket.bucketName, Stack.of(this));
    const acknowledge = (finding: string, reason: string) => Validations.of(this).acknowledge({ id: `AwsSolutions::AwsSolutions-IAM5[${finding}]`, reason });
    const onObjects = 'Dataset objects are addressed by key under the datasets bucket.';
    if (access.read) {
      bucket.grantRead(this.fn);
      acknowledge(`Resource::arn:<AWS::Partition>:s3:::${name}/*`, onObjects);
      for (const a of ['s3:GetObject*', 's3:GetBucket*', 's3:List*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*']) acknowledge(`Action::${a}`, 'The CDK read grant: object reads and listings (versions included) with KMS decryption.');
    }
    if (access.writePrefix) {
      bucket.grantPut(this.fn, `${access.writePrefix}*`);
      acknowledge(`Resource::arn:<AWS::Partition>:s3:::${name}/${access.writePrefix}*`, `Writes are limited to keys under ${access.writePrefix}.`);
      for (const a of ['s3:Abort*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*']) acknowledge(`Action::${a}`, 'The CDK put grant: object writes, multipart aborts and KMS data keys.');
    }
    if (access.writePattern) {
      bucket.grantPut(this.fn, access.writePattern);
      acknowledge(`Resource::arn:<AWS::Partition>:s3:::${name}/${access.writePattern}`, `Writes are limited to keys matching ${access.writePattern}.`);
      for (const a of ['s3:Abort*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*']) acknowledge(`Action::${a}`, 'The CDK put grant: object writes, multipart aborts and KMS data keys.');
    }
    if (access.delete) {
      const pattern = typeof access.delete === 'string' ? `${access.delete}*` : '*';
      bucket.grantDelete(this.fn, pattern);
      acknowledge(`Resource::arn:<AWS::Partition>:s3:::${name}/${pattern}`, onObjects);
      acknowledge('Action::s3:DeleteObject*', 'Purge removes every version of an object.');
    }
    return this;
  }

  /**
   * TABLE_NAME, BUCKET_NAME and only what `GET /health/ready` calls: GetItem of the probe key
   * (dynamodb:LeadingKeys) and HeadBucket (s3:ListBucket on the bucket, no object).
   */
  bindReadinessProbes(table: ITable, bucket: IBucket): this {
    this.fn.addEnvironment('TABLE_NAME', table.tableName);
    this.fn.addEnvironment('BUCKET_NAME', bucket.bucketName);
    this.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [PROBE_KEY.pk] } },
      }),
    );
    this.fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
    return this;
  }

  /** SIGNING_KEY_ID and kms:GetPublicKey on the platform's Ed25519 key only, plus kms:Sign unless `sign` is false. */
  bindSigningKey(key: IKey, { sign = true }: { sign?: boolean } = {}): this {
    this.fn.addEnvironment('SIGNING_KEY_ID', key.keyArn);
    key.grant(this.fn, ...(sign ? ['kms:Sign'] : []), 'kms:GetPublicKey');
    return this;
  }

  /**
   * CHECKPOINT_BUCKET_NAME, reads and listings of the checkpoints, and for writers s3:PutObject alone on them:
   * no delete, retention, legal hold or tagging action (the bucket refuses a put without If-None-Match).
   */
  bindCheckpoints(bucket: IBucket, access: 'read' | 'write'): this {
    this.fn.addEnvironment('CHECKPOINT_BUCKET_NAME', bucket.bucketName);
    const objects = bucket.arnForObjects('checkpoints/*');
    this.fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
    this.fn.addToRolePolicy(new PolicyStatement({ actions: access === 'write' ? ['s3:GetObject', 's3:PutObject'] : ['s3:GetObject'], resources: [objects] }));
    Validations.of(this).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${renderForNag(bucket.bucketName, Stack.of(this))}/checkpoints/*]`,
      reason: 'Checkpoints are addressed by key (their seq) under checkpoints/.',
    });
    return this;
  }

  /**
   * COMPTOIR_ATHENA_WORKGROUP and COMPTOIR_GLUE_DATABASE, with what the function does there and nothing else:
   * queries run in the one workgroup (whose answers it writes under the results prefix, as Athena does with the
   * caller's rights), read the database's tables, and, for the copy functions (`register`), add tables and their manifests.
   */
  bindQueryCatalogue(catalogue: { database: string; workGroup: string }, bucket: IBucket, { register = false }: { register?: boolean } = {}): this {
    const stack = Stack.of(this);
    this.fn.addEnvironment('COMPTOIR_ATHENA_WORKGROUP', catalogue.workGroup);
    this.fn.addEnvironment('COMPTOIR_GLUE_DATABASE', catalogue.database);
    const glue = (kind: string, name = '') => stack.formatArn({ service: 'glue', resource: kind, resourceName: name || undefined });
    const tables = glue('table', `${catalogue.database}/*`);
    const acknowledge = (finding: string, reason: string) => Validations.of(this).acknowledge({ id: `AwsSolutions::AwsSolutions-IAM5[${finding}]`, reason });
    const glueActions = ['glue:GetTable', 'glue:GetDatabase', ...(register ? ['glue:CreateTable'] : [])];
    this.fn.addToRolePolicy(new PolicyStatement({ actions: glueActions, resources: [glue('catalog'), glue('database', catalogue.database), tables] }));
    const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
    const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
    acknowledge(`Resource::arn:<AWS::Partition>:glue:${region}:${account}:table/${catalogue.database}/*`, 'One Glue table per columnar copy, named from its key: the grant covers this database only.');
    if (register) {
      bucket.grantPut(this.fn, `${MANIFEST_PREFIX}*`);
      acknowledge(`Resource::arn:<AWS::Partition>:s3:::${renderForNag(bucket.bucketName, stack)}/${MANIFEST_PREFIX}*`, 'Manifests are written one per copy, under the manifests prefix only.');
      return this;
    }
    const workGroup = stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: catalogue.workGroup });
    this.fn.addToRolePolicy(new PolicyStatement({ actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StopQueryExecution'], resources: [workGroup] }));
    const results = DATASETS_BUCKET_DEFINITION.lifecycle.athenaResultsPrefix;
    bucket.grantPut(this.fn, `${results}*`);
    this.fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:GetBucketLocation', 's3:ListBucketMultipartUploads', 's3:ListMultipartUploadParts'], resources: [bucket.bucketArn, bucket.arnForObjects(`${results}*`)] }));
    acknowledge(`Resource::arn:<AWS::Partition>:s3:::${renderForNag(bucket.bucketName, stack)}/${results}*`, "Athena writes each query's answer under the results prefix with the caller's rights.");
    return this;
  }

  /**
   * COMPTOIR_ORIGIN_SECRET, resolved by CloudFormation at deployment (a dynamic reference, no IAM grant):
   * the value the console's distribution adds to each API request.
   */
  bindOriginSecret(secret: ISecret): this {
    this.fn.addEnvironment('COMPTOIR_ORIGIN_SECRET', secret.secretValue.unsafeUnwrap());
    return this;
  }

  /**
   * The OpenID provider people sign in with (ProConnect): issuer and client id in the environment, the
   * client secret's ARN with read access to that secret only; the function reads it through the extension.
   */
  bindOpenIdProvider(provider: { issuer: string; clientId: string; clientSecret: ISecret }): this {
    this.fn.addEnvironment('COMPTOIR_OIDC_ISSUER', provider.issuer);
    this.fn.addEnvironment('COMPTOIR_OIDC_CLIENT_ID', provider.clientId);
    this.fn.addEnvironment('COMPTOIR_OIDC_CLIENT_SECRET_ARN', provider.clientSecret.secretArn);
    provider.clientSecret.grantRead(this.fn);
    return this;
  }

  /** EVENT_BUS_NAME and events:PutEvents on that bus only. */
  bindEventBus(bus: IEventBus): this {
    this.fn.addEnvironment('EVENT_BUS_NAME', bus.eventBusName);
    bus.grantPutEventsTo(this.fn);
    return this;
  }

  /** COMPTOIR_MAIL_SES and COMPTOIR_MAIL_FROM, and ses:SendEmail from that one SES identity only. */
  bindMailer(mail: { identity: string; sender: string; configurationSet: string }): this {
    this.fn.addEnvironment('COMPTOIR_MAIL_SES', 'true');
    this.fn.addEnvironment('COMPTOIR_MAIL_FROM', mail.sender);
    this.fn.addEnvironment('COMPTOIR_MAIL_CONFIGURATION_SET', mail.configurationSet);
    const identity = Stack.of(this).formatArn({ service: 'ses', resource: 'identity', resourceName: mail.identity });
    // SES authorises a send on the identity and on the configuration set it goes through.
    const configurationSet = Stack.of(this).formatArn({ service: 'ses', resource: 'configuration-set', resourceName: mail.configurationSet });
    this.fn.addToRolePolicy(new PolicyStatement({ actions: ['ses:SendEmail'], resources: [identity, configurationSet] }));
    return this;
  }

  /** TABLE_NAME and dynamodb:PutItem on the items of suppressed addresses only (their partition keys' prefix). */
  bindMailSuppressions(table: ITable): this {
    this.fn.addEnvironment('TABLE_NAME', table.tableName);
    this.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:PutItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${SUPPRESSION_PREFIX}*`] } },
      }),
    );
    return this;
  }

  /** WEBHOOK_DEAD_LETTER_QUEUE_URL and sqs:SendMessage on that queue only. */
  bindWebhookDeadLetterQueue(queue: IQueue): this {
    this.fn.addEnvironment('WEBHOOK_DEAD_LETTER_QUEUE_URL', queue.queueUrl);
    queue.grantSendMessages(this.fn);
    return this;
  }
}
