import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { type ClaimsConfig, resourceNames, WEB_APPS } from './config.ts';
import { acknowledge } from './nag.ts';

export interface WebHostingStackProps extends StackProps {
  config: ClaimsConfig;
}

/**
 * The edge: a private bucket behind CloudFront (Origin Access Control) for the front ends.
 *
 * Its own stack at the bottom of the dependency chain because the CloudFront domain is needed by the
 * stateful stack (Cognito callback URLs, documents-bucket CORS) and by the stateless stack (API CORS,
 * links in emails). Content and the generated `config.json` are deployed by the stateless stack,
 * which knows the API URL.
 */
export class WebHostingStack extends Stack {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  /** `https://<domain>` without a trailing slash. */
  readonly webUrl: string;

  constructor(scope: Construct, id: string, props: WebHostingStackProps) {
    super(scope, id, props);
    const { config } = props;
    const names = resourceNames(this, config.stage);

    // CloudFront standard logs are delivered with ACLs, so this bucket (and only this one) keeps
    // object-writer ownership. Web-bucket access logs go here as well.
    const logs = new Bucket(this, 'WebLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      logs,
      'AwsSolutions-S1',
      'This is the access-log destination itself; logging it would recurse.',
    );

    this.bucket = new Bucket(this, 'WebBucket', {
      bucketName: names.webBucket,
      encryption: BucketEncryption.S3_MANAGED, // OAC + SSE-S3 needs no key policy for CloudFront
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 's3/',
      // Build output only: it is re-deployed from web/dist, but the bucket is kept rather than
      // failing a stack deletion on a non-empty bucket.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const securityHeaders = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: `${names.prefix} security headers`,
      securityHeadersBehavior: {
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          preload: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: {
          referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
        xssProtection: { protection: true, modeBlock: true, override: true },
        contentSecurityPolicy: {
          // The SPAs call the HTTP API, Cognito's hosted UI/token endpoints and S3 (presigned
          // POST/GET) - all on AWS-owned hosts in this region.
          contentSecurityPolicy: [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob: https://*.amazonaws.com",
            "font-src 'self' data:",
            `connect-src 'self' https://*.execute-api.${this.region}.amazonaws.com https://*.amazoncognito.com https://cognito-idp.${this.region}.amazonaws.com https://*.s3.${this.region}.amazonaws.com https://*.s3.amazonaws.com`,
            // The console previews a PDF document in a frame, from its presigned GET on S3 (a plugin
            // `<object>` stays refused: object-src 'none').
            `frame-src https://*.s3.${this.region}.amazonaws.com https://*.s3.amazonaws.com`,
            "frame-ancestors 'none'",
            "base-uri 'self'",
            "object-src 'none'",
          ].join('; '),
          override: true,
        },
      },
    });

    const spaRouter = new CloudFrontFunction(this, 'SpaRouter', {
      comment: 'Routes deep links of each SPA to its index.html',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(spaRouterCode(WEB_APPS)),
    });

    const customDomain = config.webDomainName && config.webCertificateArn;
    this.distribution = new Distribution(this, 'Distribution', {
      comment: `${names.prefix} web`,
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_200, // includes Asia edge locations (Vietnam)
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: securityHeaders,
        compress: true,
        functionAssociations: [{ function: spaRouter, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      // Fallback for anything the router does not rewrite (OAC returns 403 for a missing key).
      errorResponses: [403, 404].map((httpStatus) => ({
        httpStatus,
        responseHttpStatus: 200,
        responsePagePath: `/${WEB_APPS[0]}/index.html`,
        ttl: Duration.seconds(0),
      })),
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
      ...(customDomain
        ? {
            domainNames: [config.webDomainName as string],
            certificate: Certificate.fromCertificateArn(
              this,
              'Certificate',
              config.webCertificateArn as string,
            ),
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
    });

    this.webUrl = `https://${customDomain ? config.webDomainName : this.distribution.distributionDomainName}`;

    if (!customDomain) {
      acknowledge(
        this.distribution,
        'AwsSolutions-CFR4',
        'The default *.cloudfront.net certificate cannot enforce a minimum TLS version; pass ' +
          '-c webDomainName/webCertificateArn to get TLSv1.2_2021 (used for production).',
      );
    }
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR1',
      'No geo restriction: policyholders file claims while travelling abroad (travel/motor cover).',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR2',
      'Serves static files only; the API has its own throttling and JWT auth. A CloudFront WAF web ACL ' +
        'must live in us-east-1 and is attached per account via webAclId when the insurer requires it.',
    );
  }
}

/** CloudFront Functions (cloudfront-js-2.0) viewer-request router for several SPAs under one domain. */
function spaRouterCode(apps: readonly string[]): string {
  return `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  var apps = ${JSON.stringify(apps)};
  if (uri === '/' || uri === '') return redirect('/${apps[0]}/');
  var parts = uri.split('/');
  var app = parts[1];
  if (apps.indexOf(app) === -1) return request;
  if (parts.length === 2) return redirect('/' + app + '/');
  var last = parts[parts.length - 1];
  if (last.indexOf('.') === -1) request.uri = '/' + app + '/index.html';
  return request;
}
function redirect(location) {
  return { statusCode: 302, statusDescription: 'Found', headers: { location: { value: location } } };
}`;
}
