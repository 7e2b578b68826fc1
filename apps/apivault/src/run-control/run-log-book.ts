import { Inject, Injectable, Optional, type OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../core/tokens.js';
import { logTapOf } from '../logging/log-tap.js';

/** One log line of a run, as the API shows it. */
export interface RunLogLine {
  /** Position in the run's log, from 1; the cursor for tailing. */
  seq: number;
  time: string;
  level: string;
  msg: string;
  /** Everything else on the line (already redacted by the logger). */
  fields: Record<string, unknown>;
}

export interface RunLogLimits {
  linesPerRun: number;
  runs: number;
}

export const RUN_LOG_LIMITS = Symbol('RUN_LOG_LIMITS');
const DEFAULT_LIMITS: RunLogLimits = { linesPerRun: 1000, runs: 200 };

const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
/** Fields every line of a run repeats: left out of `fields`. */
const COMMON_FIELDS = new Set(['level', 'time', 'msg', 'service', 'pid', 'hostname', 'runId', 'sourceId', 'source', 'kind']);

interface RunLog {
  lines: RunLogLine[];
  written: number;
}

/**
 * The log lines of recent runs, kept in memory from the logger's tap (every line that carries a
 * runId): the newest `linesPerRun` lines of each of the last `runs` runs this process ran.
 * Bounded and per process on purpose: the full log stays in the log pipeline; this is the
 * operator's quick look at a run without it.
 */
@Injectable()
export class RunLogBook implements OnModuleDestroy {
  private readonly runs = new Map<string, RunLog>();
  private readonly unsubscribe: () => void;
  private readonly limits: RunLogLimits;

  constructor(@Inject(LOGGER) logger: Logger, @Optional() @Inject(RUN_LOG_LIMITS) limits?: RunLogLimits) {
    this.limits = limits ?? DEFAULT_LIMITS;
    this.unsubscribe = logTapOf(logger)?.subscribe((line) => this.take(line)) ?? (() => undefined);
  }

  onModuleDestroy(): void {
    this.unsubscribe();
  }

  /** Lines after `afterSeq`, oldest first; `dropped` counts lines that fell out of the ring. */
  read(runId: string, afterSeq: number, limit: number, minLevel?: string): { lines: RunLogLine[]; retained: boolean; dropped: number } {
    const log = this.runs.get(runId);
    if (!log) return { lines: [], retained: false, dropped: 0 };
    const minimum = minLevel ? levelNumber(minLevel) : 0;
    const lines = log.lines.filter((l) => l.seq > afterSeq && levelNumber(l.level) >= minimum).slice(0, limit);
    return { lines, retained: true, dropped: log.written - log.lines.length };
  }

  private take(line: string): void {
    if (!line.includes('"runId":"')) return;
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    const runId = parsed.runId;
    if (typeof runId !== 'string') return;
    let log = this.runs.get(runId);
    if (!log) {
      log = { lines: [], written: 0 };
      this.runs.set(runId, log);
      if (this.runs.size > this.limits.runs) this.runs.delete(this.runs.keys().next().value!);
    }
    const fields = Object.fromEntries(Object.entries(parsed).filter(([key]) => !COMMON_FIELDS.has(key)));
    log.written++;
    log.lines.push({
      seq: log.written,
      time: typeof parsed.time === 'string' ? parsed.time : new Date().toISOString(),
      level: LEVELS[parsed.level as number] ?? String(parsed.level),
      msg: typeof parsed.msg === 'string' ? parsed.msg : '',
      fields,
    });
    if (log.lines.length > this.limits.linesPerRun) log.lines.shift();
  }
}

function levelNumber(level: string): number {
  return Number(Object.entries(LEVELS).find(([, name]) => name === level)?.[0] ?? 0);
}
