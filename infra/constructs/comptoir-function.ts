import { Duration, Stack, Token } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { join } from 'node:path';
import { BUNDLE_SETTINGS, handlerEntry } from '../bundling.ts';

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
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      ...(props.reservedConcurrentExecutions !== undefined ? { reservedConcurrentExecutions: props.reservedConcurrentExecutions } : {}),
      tracing: Tracing.ACTIVE,
      logGroup,
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


  /** BUCKET_NAME and object access to the datasets bucket (its KMS key follows the grant). */
  bindBucket(bucket: IBucket, access: 'read' | 'readWrite'): this {
    this.fn.addEnvironment('BUCKET_NAME', bucket.bucketName);
    if (access === 'read') bucket.grantRead(this.fn);
    else bucket.grantReadWrite(this.fn);
    for (const finding of ['Action::s3:GetObject*', 'Action::s3:GetBucket*', 'Action::s3:List*', 'Action::kms:ReEncrypt*', 'Action::kms:GenerateDataKey*', 'Action::s3:DeleteObject*', 'Action::s3:Abort*']) {
      Validations.of(this).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[${finding}]`,
        reason: 'The CDK bucket grant: object reads, version listing, deletion and multipart aborts on the one datasets bucket, with the matching KMS data-key actions.',
      });
    }
    Validations.of(this).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${renderForNag(bucket.bucketName, Stack.of(this))}/*]`,
      reason: 'Dataset objects are addressed by key under the one datasets bucket.',
    });
    return this;
  }


  /** EVENT_BUS_NAME and events:PutEvents on that bus only. */
  bindEventBus(bus: IEventBus): this {
    this.fn.addEnvironment('EVENT_BUS_NAME', bus.eventBusName);
    bus.grantPutEventsTo(this.fn);
    return this;
  }

}
