import { Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { constructIdOf } from '../settled-topology';
import { DEFAULT_ROUTE_PATH, type FunctionName, type HttpRoute, routeKeyOf } from '../topology';

/**
 * Default-stage throttling: well under the account's 10,000 requests/s so one runaway client cannot starve the other
 * APIs of the account, yet above the 1,000 settlements/s planned for on one account (docs/architecture.md §12).
 */
const STAGE_THROTTLE: apigwv2.ThrottleSettings = { rateLimit: 2_000, burstLimit: 4_000 };

/**
 * One JSON line per request from HTTP API context variables (CDK's default format is the REST API's). Never headers
 * or bodies: they carry API keys and bank details.
 */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    sourceIp: '$context.identity.sourceIp',
    routeKey: '$context.routeKey',
    method: '$context.httpMethod',
    path: '$context.path',
    status: '$context.status',
    responseLength: '$context.responseLength',
    responseLatencyMs: '$context.responseLatency',
    integrationLatencyMs: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
  }),
);

const FUNCTION_LEVEL_AUTHENTICATION =
  'Authentication happens in the function, where the request body is available: tenant routes take ' +
  '`Authorization: Bearer sk_...` API keys compared with their stored hashes (the tenant id comes from the key), ' +
  'admin routes an operator token from Secrets Manager, bank webhook routes a signature over the raw body ' +
  '(Standard Webhooks HMAC / detached JWS), which no API Gateway authorizer can check; /health and the $default ' +
  'not-found route expose no data. A Cognito or IAM authorizer would not fit machine-to-machine API keys.';

/** Props of {@link SettledHttpApi}. */
export interface SettledHttpApiProps {
  /** The routes of infra/topology.ts. */
  readonly routes: readonly HttpRoute[];
  /** The function behind each topology name. */
  readonly functions: Readonly<Record<FunctionName, lambda.IFunction>>;
}

/**
 * The public HTTP API (API Gateway HTTP API, Lambda proxy with payload format 2.0): one route per topology route, the
 * `$default` path as API Gateway's catch-all route, access logs in a log group and throttling on the default stage.
 */
export class SettledHttpApi extends Construct {
  readonly api: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  readonly accessLogGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: SettledHttpApiProps) {
    super(scope, id);
    this.api = new apigwv2.HttpApi(this, 'Api', {
      description: 'Settled public API',
      // The stage is declared below, with access logging and throttling the default one cannot be given.
      createDefaultStage: false,
    });
    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', { retention: logs.RetentionDays.ONE_MONTH });
    this.stage = new apigwv2.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: STAGE_THROTTLE,
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogGroup),
        format: ACCESS_LOG_FORMAT,
      },
    });

    const integrations = new Map<FunctionName, HttpLambdaIntegration>();
    const integrationOf = (name: FunctionName): HttpLambdaIntegration => {
      const existing = integrations.get(name);
      if (existing !== undefined) return existing;
      const integration = new HttpLambdaIntegration(`${constructIdOf(name)}Integration`, props.functions[name], {
        payloadFormatVersion: apigwv2.PayloadFormatVersion.VERSION_2_0,
      });
      integrations.set(name, integration);
      return integration;
    };

    for (const route of props.routes) {
      const httpRoute = new apigwv2.HttpRoute(this, `${constructIdOf(routeKeyOf(route))}Route`, {
        httpApi: this.api,
        routeKey:
          route.path === DEFAULT_ROUTE_PATH
            ? apigwv2.HttpRouteKey.DEFAULT
            : apigwv2.HttpRouteKey.with(route.path, apigwv2.HttpMethod[route.method]),
        integration: integrationOf(route.function),
      });
      Validations.of(httpRoute).acknowledge(
        { id: 'AwsSolutions-APIG4', reason: FUNCTION_LEVEL_AUTHENTICATION },
        { id: 'AwsSolutions-COG4', reason: FUNCTION_LEVEL_AUTHENTICATION },
      );
    }
  }

  /** The URL clients call (the `$default` stage is served at the API's root). */
  get url(): string {
    return this.stage.url;
  }
}
