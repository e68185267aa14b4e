import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DefaultStackSynthesizer, Stack, Token, Validations } from 'aws-cdk-lib';
import type { IDistribution } from 'aws-cdk-lib/aws-cloudfront';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { CfnBucket, IBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import type { ConsoleSettings } from '../../schemas/console-settings.ts';
import { SETTINGS_FILE } from '../console-headers.ts';

export interface ConsoleDeploymentProps {
  /** The built console: `index.html` at its root, content-hashed files under `assets/`. */
  readonly consoleDir: string;
  readonly bucket: IBucket;
  readonly distribution: IDistribution;
  /** Keep the files when the stack is deleted (every stage but `dev`). */
  readonly retainOnDelete: boolean;
  /** The console's run-time settings, written beside index.html as `config.json`. */
  readonly settings: ConsoleSettings;
}

/**
 * Uploads the built console to its bucket and invalidates the distribution: hashed assets are cached
 * for a year and kept across releases, the entry files are revalidated on every load.
 */
export class ConsoleDeployment extends Construct {
  /** The deployment of the entry files, which references the assets and invalidates the distribution. */
  readonly entry: BucketDeployment;

  constructor(scope: Construct, id: string, props: ConsoleDeploymentProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', { retention: RetentionDays.SIX_MONTHS });
    // An own role writing only to its own log group, instead of the managed basic-execution policy.
    const role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);
    const common = { destinationBucket: props.bucket, role, logGroup, retainOnDelete: props.retainOnDelete };

    const assetsDir = join(props.consoleDir, 'assets');
    const assets = existsSync(assetsDir)
      ? new BucketDeployment(this, 'Assets', {
          ...common,
          sources: [Source.asset(assetsDir)],
          destinationKeyPrefix: 'assets/',
          cacheControl: [CacheControl.fromString('public, max-age=31536000, immutable')],
          // Tabs still open on the previous release keep loading the files they reference.
          prune: false,
        })
      : undefined;
    this.entry = new BucketDeployment(this, 'Entry', {
      ...common,
      sources: [Source.asset(props.consoleDir, { exclude: ['assets/**'] }), Source.jsonData(SETTINGS_FILE, props.settings)],
      cacheControl: [CacheControl.noCache()],
      // Pruning spares assets/: that deployment owns it.
      exclude: ['assets/*'],
      distribution: props.distribution,
      distributionPaths: ['/*'],
    });
    // The new index.html must never reference assets that are not uploaded yet.
    if (assets) this.entry.node.addDependency(assets);

    this.acknowledgeProvider(role, props.bucket);
  }

  /** The deployment's provider function is CDK's own; only its grants and runtime are outside our control. */
  private acknowledgeProvider(role: Role, bucket: IBucket): void {
    const stack = Stack.of(this);
    const ack = (id: string, reason: string) => Validations.of(role).acknowledge({ id, reason });
    const grant = 'The CDK deployment grant: read the staged asset, sync and prune the console bucket.';
    for (const action of ['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*']) ack(`AwsSolutions::AwsSolutions-IAM5[Action::${action}]`, grant);
    ack(`AwsSolutions::AwsSolutions-IAM5[Resource::<${stack.getLogicalId(bucket.node.defaultChild as CfnBucket)}.Arn>/*]`, 'Every object of the console bucket is a console file the deployment may replace.');
    const qualifier = (this.node.tryGetContext('@aws-cdk/core:bootstrapQualifier') as string | undefined) ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER;
    const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
    const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
    ack(
      `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-${qualifier}-assets-${account}-${region}/*]`,
      'The CDK bootstrap asset bucket holds the staged console archive under a generated key.',
    );
    ack('AwsSolutions::AwsSolutions-IAM5[Resource::*]', 'cloudfront:CreateInvalidation and GetInvalidation do not support resource-level permissions.');
    // The provider is a singleton at the stack's root, shared by both deployments.
    const provider = stack.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (provider) {
      Validations.of(provider).acknowledge({
        id: 'AwsSolutions::AwsSolutions-L1',
        reason: "The runtime of CDK's bucket-deployment provider (Python, with the AWS CLI layer) is fixed by aws-cdk-lib.",
      });
    }
  }
}
