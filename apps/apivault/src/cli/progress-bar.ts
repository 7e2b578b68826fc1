import { formatBytes } from '#connectors';
import type { RunStats } from '../runs/run-stats.js';

/** What the progress line shows of a run's stats. */
export type ProgressStats = Pick<RunStats, 'callsDone' | 'callsPlanned' | 'artifacts' | 'itemsParsed' | 'bytes'>;

/** Where the line is drawn: stderr, or anything shaped like it. */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export interface RunProgressBarOptions {
  runId: string;
  /** First on the line, e.g. the source name. */
  label: string;
  /** The run record's current `stats` (JSON as stored); null or anything unreadable shows as no progress yet. */
  readStats: (runId: string) => Promise<unknown>;
  /** Default process.stderr. */
  stream?: ProgressStream;
  /** Default 250 ms. */
  intervalMs?: number;
}

export interface RunProgressBar {
  /** Stops redrawing and clears the line; resolves once nothing more will be written. */
  stop(): Promise<void>;
}

const DEFAULT_INTERVAL_MS = 250;
const DEFAULT_COLUMNS = 80;
const BAR_MIN = 10;
const BAR_MAX = 30;
/** Back to the line's start, then erase to its end: one line redrawn in place. */
const CARRIAGE_RETURN = '\r';
const ERASE_TO_END = '\u001b[K';

/** The stats out of a stored `stats` JSON; a field missing or not a number is left out. */
export function progressStatsOf(json: unknown): Partial<ProgressStats> {
  if (typeof json !== 'object' || json === null) return {};
  const fields = json as Record<string, unknown>;
  const stats: Partial<ProgressStats> = {};
  for (const name of ['callsDone', 'artifacts', 'itemsParsed', 'bytes'] as const) {
    const value = fields[name];
    if (typeof value === 'number' && Number.isFinite(value)) stats[name] = value;
  }
  if (typeof fields.callsPlanned === 'number' && Number.isFinite(fields.callsPlanned)) stats.callsPlanned = fields.callsPlanned;
  return stats;
}

/** Whole percent of the planned calls done, or null while the plan is unknown. Never above 100. */
export function percentDone(stats: Partial<ProgressStats>): number | null {
  const planned = stats.callsPlanned;
  if (planned === null || planned === undefined || planned <= 0) return null;
  return Math.floor((Math.min(stats.callsDone ?? 0, planned) / planned) * 100);
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function bar(percent: number, width: number): string {
  const filled = Math.round((percent / 100) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

/**
 * The progress line for `columns` terminal columns, e.g.
 * `dataworks [##########..........]  50%  7/14 calls · 6 artifacts · 120 items · 1.5 MiB`.
 * It never reaches the last column (the terminal would wrap): when it does not fit, the bar goes
 * first, then everything but the calls, then the end of the line.
 */
export function formatProgressLine(label: string, stats: Partial<ProgressStats>, columns: number): string {
  const room = Math.max(1, columns - 1);
  const percent = percentDone(stats);
  const done = stats.callsDone ?? 0;
  const calls = percent === null ? count(done, 'call', 'calls') : `${done}/${stats.callsPlanned} calls`;
  const details = [
    calls,
    count(stats.artifacts ?? 0, 'artifact', 'artifacts'),
    count(stats.itemsParsed ?? 0, 'item', 'items'),
    formatBytes(stats.bytes ?? 0),
  ].join(' · ');
  const percentText = percent === null ? '' : `${String(percent).padStart(3)}%  `;

  const withoutBar = `${label}  ${percentText}${details}`;
  if (percent !== null) {
    // The bar adds its width and two brackets to the line without it.
    const barWidth = Math.min(BAR_MAX, room - withoutBar.length - 2);
    if (barWidth >= BAR_MIN) return `${label} ${bar(percent, barWidth)} ${percentText}${details}`;
  }
  if (withoutBar.length <= room) return withoutBar;
  const short = `${label}  ${percentText}${calls}`;
  if (short.length <= room) return short;
  return `${short.slice(0, room - 1)}…`;
}

/**
 * Redraws the run's progress on one line of a terminal every `intervalMs`, reading the run as it
 * goes. On anything but a terminal (a pipe, a file, CI logs, TERM=dumb) it writes nothing at all,
 * so logs and JSON output stay clean. The cursor is left at the start of the line, so a log line
 * written meanwhile overwrites the bar instead of being glued to it; the next redraw comes below.
 * A failed read keeps the last line: the progress bar never fails a backup.
 */
export function startRunProgressBar(options: RunProgressBarOptions): RunProgressBar {
  const stream = options.stream ?? process.stderr;
  if (!stream.isTTY || process.env.TERM === 'dumb') return { stop: async () => undefined };

  let stopped = false;
  let drawn = false;
  let reading: Promise<void> | undefined;
  const draw = (stats: Partial<ProgressStats>): void => {
    if (stopped) return;
    stream.write(`${CARRIAGE_RETURN}${formatProgressLine(options.label, stats, stream.columns ?? DEFAULT_COLUMNS)}${ERASE_TO_END}${CARRIAGE_RETURN}`);
    drawn = true;
  };
  const tick = (): void => {
    // One read at a time: a slow database skips frames rather than piling up queries.
    if (reading || stopped) return;
    reading = options
      .readStats(options.runId)
      .then((json) => draw(progressStatsOf(json)))
      .catch(() => undefined)
      .finally(() => (reading = undefined));
  };

  draw({});
  tick();
  const timer = setInterval(tick, options.intervalMs ?? DEFAULT_INTERVAL_MS);
  // Never what keeps the CLI alive.
  timer.unref();

  return {
    stop: async () => {
      if (stopped) return;
      clearInterval(timer);
      stopped = true;
      await reading;
      if (drawn) stream.write(`${CARRIAGE_RETURN}${ERASE_TO_END}`);
    },
  };
}
