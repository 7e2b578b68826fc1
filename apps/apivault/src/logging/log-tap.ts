import type { Logger } from 'pino';

type Listener = (line: string) => void;

/**
 * Every line a logger writes, after redaction, to whoever listens (the per-run log book). One
 * tap per root logger: child loggers write through their root's.
 */
export class LogTap {
  private readonly listeners = new Set<Listener>();

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(line: string): void {
    for (const listener of this.listeners) {
      try {
        listener(line);
      } catch {
        // A listener's failure must never cost the log line.
      }
    }
  }
}

const taps = new WeakMap<Logger, LogTap>();

export function attachLogTap(logger: Logger, tap: LogTap): void {
  taps.set(logger, tap);
}

/** The tap of a logger made by createLogger; undefined for any other logger. */
export function logTapOf(logger: Logger): LogTap | undefined {
  return taps.get(logger);
}
