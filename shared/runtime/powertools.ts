import { Logger } from '@aws-lambda-powertools/logger';
import { Tracer } from '@aws-lambda-powertools/tracer';

/** Created once per execution environment and imported wherever logs or traces are written. */
export const logger = new Logger({ serviceName: 'settled' });

export const tracer = new Tracer({ serviceName: 'settled' });
