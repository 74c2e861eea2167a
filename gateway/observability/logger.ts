/**
 * Structured JSON logs (pino): one line per GraphQL request and a few lines about the gateway's
 * own life (start, circuit changes, store failures, shutdown). What goes in is chosen field by
 * field in request-tracker.ts, so that no variable, token, identity number, name, address or
 * response ever reaches a log; the redaction below is a second line of defence for headers.
 */
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

export interface LoggerOptions {
  level?: string;
  /** Where lines go (stdout by default; tests pass a buffer). */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'gateway' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: ['headers', 'req.headers', 'variables', '*.variables'], remove: true },
    },
    options.destination,
  );
}
