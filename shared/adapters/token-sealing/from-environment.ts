import { KMSClient } from '@aws-sdk/client-kms';
import type { TokenSealer } from '../../domain/open-banking/authorisation';
import { getOptionalStringFromEnv } from '../../runtime/config';
import { RESOURCE_VARIABLES, SECRET_VARIABLES } from '../../runtime/environment';
import { tracer } from '../../runtime/powertools';
import { secretFromEnvironment } from '../secret-source';
import { KmsTokenSealer } from './kms-token-sealer';
import { LocalTokenSealer } from './local-token-sealer';

/**
 * The sealer a function's grants give it: the KMS key on AWS (`token-key:use` sets TOKEN_KEY_ID), else the local
 * runtime's AES key (SETTLED_TOKEN_SEALING_KEY). Neither is an error when the sealer is first used, not at cold start.
 */
export const tokenSealerFromEnvironment = (): TokenSealer => {
  const keyId = getOptionalStringFromEnv(RESOURCE_VARIABLES.tokenKeyId);
  if (keyId !== undefined) return new KmsTokenSealer(tracer.captureAWSv3Client(new KMSClient({ maxAttempts: 3 })), keyId);
  return new LocalTokenSealer(secretFromEnvironment(SECRET_VARIABLES.tokenSealingKey));
};
