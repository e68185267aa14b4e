import { CfnOutput, Duration, Fn, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  SSLMethod,
  ViewerProtocolPolicy,
  type BehaviorOptions,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { ConsoleDeployment } from '../constructs/console-deployment.ts';
import { ORIGIN_VERIFY_HEADER } from '../../functions/http/origin.ts';
import { consoleContentSecurityPolicy, EMBED_PAGE } from '../console-headers.ts';
import { consoleSettings, tileOrigin, type ConsoleSettings } from '../../schemas/console-settings.ts';
import { AccessLogBucket } from '../constructs/access-log-bucket.ts';

/**
 * Paths the distribution sends to the HTTP API; everything else is the console's static files. The
 * console routes on the URL's hash, so the linked-data URIs (`/datasets/…`, `/partners/…`, `/platform`)
 * and the ODRL profile never collide with its pages.
 */
export const API_PATH_PATTERNS = ['/v1/*', '/open/*', '/openapi.json', '/health', '/health/*', '/datasets/*', '/partners/*', '/platform', '/odrl/*', '/auth/*'] as const;

/** Regions whose buckets CloudFront cannot deliver standard logs to (opt-in regions). */
const NO_CLOUDFRONT_LOG_REGIONS = new Set(['eu-south-1', 'eu-south-2', 'eu-central-2']);

export interface ConsoleStackProps extends StackProps {
  /** `dev` stacks can be destroyed; any other stage keeps the buckets on deletion. */
  readonly stage: string;
  /** The HTTP API, served under the console's own origin so browsers need no CORS. */
  readonly api: IHttpApi;
  /** The built console directory (`index.html`, `assets/`). */
  readonly consoleDir: string;
  /** The value the distribution sends the API in `x-comptoir-origin-verify`, without which the API refuses a request. */
  readonly originSecret: ISecret;
  /** The WAF web ACL (scope CLOUDFRONT, us-east-1) in front of the distribution. */
  readonly webAclArn?: string;
  /** A custom domain and its ACM certificate (in us-east-1); without one, the cloudfront.net name is used. */
  readonly domain?: { readonly names: string[]; readonly certificateArn: string };
  /** The console's run-time settings (the basemap), deployed as `/config.json`; default the IGN plan. */
  readonly settings?: ConsoleSettings;
}

/** The web console: a private bucket behind CloudFront, which also proxies the API paths to the HTTP API. */
export class ConsoleStack extends Stack {
  readonly bucket: Bucket;
  readonly distribution: Distribution;

  constructor(scope: Construct, id: string, props: ConsoleStackProps) {
    super(scope, id, props);
    const removalPolicy = props.stage === 'dev' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;

    const logs = new AccessLogBucket(this, 'AccessLogs', { removalPolicy });

    this.bucket = new Bucket(this, 'Site', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'site/',
      removalPolicy,
    });

    const settings = props.settings ?? consoleSettings();
    const csp = (frameable: boolean) => consoleContentSecurityPolicy('https://*.amazonaws.com', { tileOrigin: tileOrigin(settings), frameable });
    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Comptoir console: HSTS, CSP, nosniff, no framing',
      securityHeadersBehavior: {
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
        contentSecurityPolicy: { contentSecurityPolicy: csp(false), override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
      },
    });
    // The embeddable views of open data: the same policy, but any site may frame them (no X-Frame-Options).
    const embedHeaders = new ResponseHeadersPolicy(this, 'EmbedHeaders', {
      comment: 'Comptoir embeddable views: HSTS, CSP, nosniff, framed by any site',
      securityHeadersBehavior: {
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
        contentSecurityPolicy: { contentSecurityPolicy: csp(true), override: true },
        contentTypeOptions: { override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
      },
    });

    // The endpoint is https://<id>.execute-api.<region>.amazonaws.com: the host is its third slash-separated part.
    const apiDomain = Fn.select(2, Fn.split('/', props.api.apiEndpoint));
    const api: BehaviorOptions = {
      origin: new HttpOrigin(apiDomain, {
        protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
        // Replaces any value a viewer sends under the same name.
        customHeaders: { [ORIGIN_VERIFY_HEADER]: props.originSecret.secretValue.unsafeUnwrap() },
      }),
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      // Never cached: answers depend on the caller's key, and caching off lets Authorization through.
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: headers,
    };

    const site = S3BucketOrigin.withOriginAccessControl(this.bucket);
    const files = { origin: site, viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS, allowedMethods: AllowedMethods.ALLOW_GET_HEAD_OPTIONS, cachePolicy: CachePolicy.CACHING_OPTIMIZED };
    const logsHere = !NO_CLOUDFRONT_LOG_REGIONS.has(this.region);
    this.distribution = new Distribution(this, 'Distribution', {
      comment: `Comptoir console (${props.stage})`,
      defaultRootObject: 'index.html',
      defaultBehavior: { ...files, responseHeadersPolicy: headers },
      additionalBehaviors: { ...Object.fromEntries(API_PATH_PATTERNS.map((path) => [path, api])), [`/${EMBED_PAGE}`]: { ...files, responseHeadersPolicy: embedHeaders } },
      httpVersion: HttpVersion.HTTP2_AND_3,
      ...(props.webAclArn ? { webAclId: props.webAclArn } : {}),
      priceClass: PriceClass.PRICE_CLASS_100,
      ...(props.domain
        ? {
            domainNames: props.domain.names,
            certificate: Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificateArn),
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
            sslSupportMethod: SSLMethod.SNI,
          }
        : {}),
      ...(logsHere ? { enableLogging: true, logBucket: logs, logFilePrefix: 'cloudfront/' } : {}),
    });
    const ack = (id: string, reason: string) => Validations.of(this.distribution).acknowledge({ id, reason });
    ack('AwsSolutions-CFR1', 'The console and the open data it lists are public services; no country is excluded.');
    if (!props.webAclArn) ack('AwsSolutions-CFR2', 'A console stack built alone, without the edge stack: the API stage throttles requests and every /v1 route requires a key.');
    if (!props.domain) {
      ack('AwsSolutions-CFR4', 'The default *.cloudfront.net certificate allows no minimum TLS setting; a custom domain (comptoir:consoleDomain) sets TLS 1.2 (2021).');
    }
    if (!logsHere) {
      ack('AwsSolutions-CFR3', `CloudFront cannot deliver standard logs to buckets in ${this.region}; the API keeps its own access logs.`);
    }

    new ConsoleDeployment(this, 'Deployment', { consoleDir: props.consoleDir, settings, bucket: this.bucket, distribution: this.distribution, retainOnDelete: props.stage !== 'dev' });
    new CfnOutput(this, 'ConsoleUrl', { value: `https://${props.domain?.names[0] ?? this.distribution.distributionDomainName}` });
  }
}
