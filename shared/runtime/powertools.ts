import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { SERVICE_NAME } from './environment';

/** Created once per execution environment and imported wherever logs, traces or metrics are written. */
export const logger = new Logger({ serviceName: SERVICE_NAME });

/** X-Ray: off where POWERTOOLS_TRACE_ENABLED is false (the local runtime, tests), where no daemon listens. */
export const tracer = new Tracer({ serviceName: SERVICE_NAME });

const EMPTY_METRICS_WARNING = 'No application metrics to publish';

/**
 * Business metrics as CloudWatch embedded-metric-format lines, flushed by the logMetrics middleware of every
 * handler chain. The namespace comes from POWERTOOLS_METRICS_NAMESPACE (set by the function construct); where
 * POWERTOOLS_METRICS_DISABLED is true (the local runtime, tests) nothing is written. Its own warnings go through the
 * logger, except the one for an invocation that recorded none: most requests settle nothing, which is no warning.
 */
export const metrics = new Metrics({
  serviceName: SERVICE_NAME,
  logger: {
    debug: (...content) => logger.debug(String(content[0]), ...content.slice(1)),
    info: (...content) => logger.info(String(content[0]), ...content.slice(1)),
    warn: (...content) =>
      String(content[0]).startsWith(EMPTY_METRICS_WARNING) ? logger.debug(String(content[0])) : logger.warn(String(content[0]), ...content.slice(1)),
    error: (...content) => logger.error(String(content[0]), ...content.slice(1)),
  },
});
