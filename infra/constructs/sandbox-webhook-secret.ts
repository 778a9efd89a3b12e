import { RemovalPolicy, SecretValue, Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/** Standard Webhooks secrets are `whsec_` followed by the base64 of the signing key. */
export const STANDARD_WEBHOOKS_SECRET_PREFIX = 'whsec_';

/**
 * 44 characters from [A-Za-z0-9], a subset of the base64 alphabet: a length that is a multiple of 4 needs no padding,
 * so it decodes to a 33-byte key (about 262 bits of randomness), within Standard Webhooks' 24 to 64 bytes.
 */
const KEY_MATERIAL_LENGTH = 44;

const ROTATION_PROCEDURE =
  'Rotation is an operator procedure, not a rotation Lambda: the sandbox bank signs and the bank-webhooks function ' +
  'verifies with this one value, so it is replaced in place with ' +
  '`aws secretsmanager put-secret-value --secret-id <arn> --secret-string "whsec_$(openssl rand -base64 32)"`; ' +
  'both sides read it through the Powertools cache and use the new key within 5 minutes; a webhook rejected while ' +
  'their caches disagree is redelivered by the sender. There is no downstream system a rotation function could update.';

/**
 * The secret the sandbox bank signs its webhooks with (Standard Webhooks, `whsec_<base64>`), generated at deploy time.
 *
 * Why two Secrets Manager resources: `generateSecretString` cannot add a prefix (a `secretStringTemplate` only
 * produces a JSON object, and the functions read the whole secret string), and a value generated at synth time would
 * sit in plain text in the template and change on every synth. So Secrets Manager generates base64-alphabet key
 * material, and the webhook secret is `whsec_` + a CloudFormation dynamic reference to it, resolved by
 * CloudFormation at deploy time: the value never appears in the template, the cloud assembly or the stack events.
 * Only {@link secret} is granted to functions; the material is a deploy-time seed that nothing reads.
 */
export class SandboxWebhookSecret extends Construct {
  /** `whsec_<base64>`: the value functions read (SETTLED_SANDBOX_WEBHOOK_SECRET_SECRET_ARN). */
  readonly secret: secretsmanager.Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const keyMaterial = new secretsmanager.Secret(this, 'KeyMaterial', {
      description: 'Settled: random key material the sandbox webhook secret is derived from at deploy time',
      generateSecretString: {
        passwordLength: KEY_MATERIAL_LENGTH,
        excludePunctuation: true,
        includeSpace: false,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      description: 'Settled: Standard Webhooks secret (whsec_...) of the sandbox bank webhooks',
      secretStringValue: SecretValue.unsafePlainText(
        // A dynamic reference, not the value: CloudFormation resolves it when it creates the secret.
        `${STANDARD_WEBHOOKS_SECRET_PREFIX}${keyMaterial.secretValue.unsafeUnwrap()}`,
      ),
      removalPolicy: RemovalPolicy.RETAIN,
    });

    Validations.of(keyMaterial).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Deploy-time seed of the sandbox webhook secret, read by no function and granted to no one; rotating it ' +
        'would change nothing. The webhook secret itself is rotated as described on it.',
    });
    Validations.of(this.secret).acknowledge({ id: 'AwsSolutions-SMG4', reason: ROTATION_PROCEDURE });
  }
}
