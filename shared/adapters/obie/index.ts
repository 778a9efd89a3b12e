import { ObieAccountInformationGateway } from './account-information';
import { ObieClient, type ObieClientOptions, type ObieConfigurationSource } from './client';
import { RegistryAspspDirectory } from './directory';
import { obieConfigurationFromEnvironment } from './environment';
import { ObieEventNotificationVerifier, ObieEventPollingGateway, type ObieEventVerifierOptions } from './event-notifications';
import { ObieFilePaymentGateway } from './file-payments';
import { ObiePaymentInitiationGateway } from './payment-initiation';
import { ObieVrpGateway } from './vrp';

export { ObieAccountInformationGateway, ACCOUNT_ACCESS_PERMISSIONS } from './account-information';
export { ObieError, ObieBankError, ObieResponseError, ObieTransportError, UnknownAspspError, UnknownPaymentStatusError, ObieConfigurationError } from './errors';
export { ObieClient, type ObieConfiguration, type ObieConfigurationSource, type ObieClientOptions } from './client';
export { RegistryAspspDirectory, publicAspsp } from './directory';
export { obieConfigurationFrom, obieConfigurationFromEnvironment } from './environment';
export { ObieEventNotificationVerifier, ObieEventPollingGateway, parseEvents, type ObieEventVerifierOptions } from './event-notifications';
export { ObiePaymentInitiationGateway, domesticInitiation, domesticRisk } from './payment-initiation';
export { ObieFilePaymentGateway, FILE_TYPE, fileInitiation, paymentFileDocument } from './file-payments';
export { ObieVrpGateway, vrpControlParameters, vrpInitiation, vrpRisk, type VrpConsentTerms, type VrpInstruction } from './vrp';
export { mapPaymentStatus, mapFilePaymentStatus, fileItemOutcome, isoPaymentStatusCode, describeStatusReasons } from './payment-status';
export { normaliseObieTransaction, toUtcIso } from './transactions';
export { UndiciObieTransport, type ObieTransport, type ObieHttpRequest, type ObieHttpResponse } from './transport';

export interface ObieGateways {
  readonly client: ObieClient;
  readonly directory: RegistryAspspDirectory;
  readonly accounts: ObieAccountInformationGateway;
  readonly payments: ObiePaymentInitiationGateway;
  readonly vrp: ObieVrpGateway;
  readonly files: ObieFilePaymentGateway;
  readonly verifier: ObieEventNotificationVerifier;
  readonly polling: ObieEventPollingGateway;
}

/** Everything the handlers need, over one client (one token cache, one set of mTLS agents per execution environment). */
export const createObieGateways = (
  configuration: ObieConfigurationSource = obieConfigurationFromEnvironment(),
  options: ObieClientOptions & { readonly verifier?: ObieEventVerifierOptions } = {},
): ObieGateways => {
  const client = new ObieClient(configuration, options);
  const verifier = new ObieEventNotificationVerifier(client, options.verifier);
  return {
    client,
    directory: new RegistryAspspDirectory(configuration),
    accounts: new ObieAccountInformationGateway(client),
    payments: new ObiePaymentInitiationGateway(client),
    vrp: new ObieVrpGateway(client),
    files: new ObieFilePaymentGateway(client),
    verifier,
    polling: new ObieEventPollingGateway(client, verifier),
  };
};
