import { CfnOutput, CfnParameter, Stack, type StackProps } from 'aws-cdk-lib';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';

/** Default rate limits, per 5-minute window; each is a stack parameter an operator can change at deploy time. */
export const EDGE_RATE_LIMITS = {
  /** Requests one API key (the `Authorization` header) may make. */
  perApiKey: 3000,
  /** Requests one IP address may make to the anonymous `/open/*` routes. */
  perIpOnOpenData: 1000,
} as const;

/** WAF's region for CloudFront: a web ACL with scope CLOUDFRONT lives in us-east-1 whatever the app's region. */
export const EDGE_REGION = 'us-east-1';

export interface EdgeStackProps extends StackProps {
  readonly stage: string;
}

const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({ metricName, cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true });

/**
 * The web ACL in front of the console's distribution: AWS managed rules (common, known bad inputs) and
 * rate limits per API key and per IP on open data. It holds rules only, no territorial data.
 */
export class EdgeStack extends Stack {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, props);
    const perKey = new CfnParameter(this, 'RequestsPerApiKeyPer5Minutes', {
      type: 'Number',
      default: EDGE_RATE_LIMITS.perApiKey,
      minValue: 10,
      description: 'Requests one API key (Authorization header) may make in 5 minutes before WAF blocks it.',
    });
    const perIp = new CfnParameter(this, 'OpenDataRequestsPerIpPer5Minutes', {
      type: 'Number',
      default: EDGE_RATE_LIMITS.perIpOnOpenData,
      minValue: 10,
      description: 'Requests one IP address may make to /open/* in 5 minutes before WAF blocks it.',
    });
    const managed = (name: string, priority: number): CfnWebACL.RuleProperty => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
      visibilityConfig: visibility(name),
    });
    const startsWith = (path: string): CfnWebACL.StatementProperty => ({
      byteMatchStatement: { fieldToMatch: { uriPath: {} }, positionalConstraint: 'STARTS_WITH', searchString: path, textTransformations: [{ priority: 0, type: 'NONE' }] },
    });
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      name: `comptoir-${props.stage}`,
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(`comptoir-${props.stage}`),
      rules: [
        managed('AWSManagedRulesCommonRuleSet', 0),
        managed('AWSManagedRulesKnownBadInputsRuleSet', 1),
        {
          name: 'PerApiKey',
          priority: 2,
          action: { block: {} },
          // Keyed on the header's value: each API key has its own budget, whatever IPs it comes from.
          statement: {
            rateBasedStatement: {
              limit: perKey.valueAsNumber,
              evaluationWindowSec: 300,
              aggregateKeyType: 'CUSTOM_KEYS',
              customKeys: [{ header: { name: 'authorization', textTransformations: [{ priority: 0, type: 'NONE' }] } }],
            },
          },
          visibilityConfig: visibility('PerApiKey'),
        },
        {
          name: 'OpenDataPerIp',
          priority: 3,
          action: { block: {} },
          statement: { rateBasedStatement: { limit: perIp.valueAsNumber, evaluationWindowSec: 300, aggregateKeyType: 'IP', scopeDownStatement: startsWith('/open/') } },
          visibilityConfig: visibility('OpenDataPerIp'),
        },
      ],
    });
    new CfnOutput(this, 'WebAclArn', { value: this.webAcl.attrArn });
  }
}
