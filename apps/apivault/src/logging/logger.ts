import pino, { type Logger, type LoggerOptions } from 'pino';
import { attachLogTap, LogTap } from './log-tap.js';

/**
 * Field paths pino censors wherever they appear in a log object, so a credential that reaches
 * a log call by mistake is still not written. Tests plant secrets and grep the output.
 */
export const REDACTED_LOG_PATHS = [
  'password',
  'secret',
  'secretAccessKey',
  'accessKeySecret',
  'accessKeyId',
  'securityToken',
  'token',
  'credential',
  'authorization',
  '*.password',
  '*.secret',
  '*.secretAccessKey',
  '*.accessKeySecret',
  '*.securityToken',
  '*.token',
  '*.credential',
  '*.authorization',
  '*.headers.authorization',
  '*.headers["x-auth-token"]',
  'req.headers.authorization',
  'req.headers["x-auth-token"]',
  'config.password',
  'config.config.password',
];

export interface LoggerSettings {
  level?: string;
  /** Human-readable output; default: only when stdout is a terminal. JSON everywhere else. */
  pretty?: boolean;
  destination?: pino.DestinationStream;
  /** File descriptor to write to: 1 for the daemon, 2 for CLI commands whose stdout is data. */
  fd?: 1 | 2;
}

export function createLogger(settings: LoggerSettings = {}): Logger {
  const tap = new LogTap();
  const options: LoggerOptions = {
    level: settings.level ?? process.env.LOG_LEVEL ?? 'info',
    base: { service: 'apivault' },
    redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Lines are serialized and redacted by now; the tap feeds the per-run log book.
    hooks: {
      streamWrite: (line: string) => {
        tap.emit(line);
        return line;
      },
    },
  };
  const logger = loggerTo(options, settings);
  attachLogTap(logger, tap);
  return logger;
}

function loggerTo(options: LoggerOptions, settings: LoggerSettings): Logger {
  if (settings.destination) return pino(options, settings.destination);
  const fd = settings.fd ?? 1;
  const stream = fd === 1 ? process.stdout : process.stderr;
  const pretty = settings.pretty ?? (stream.isTTY === true && process.env.LOG_FORMAT !== 'json');
  if (pretty) {
    return pino({
      ...options,
      transport: { target: 'pino-pretty', options: { destination: fd, colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'service,pid,hostname' } },
    });
  }
  return pino(options, pino.destination({ fd, sync: true }));
}
