import { formatProgressLine, percentDone, progressStatsOf, startRunProgressBar, type ProgressStream } from './progress-bar.js';

const HALF_WAY = { callsDone: 7, callsPlanned: 14, artifacts: 6, itemsParsed: 120, bytes: 1536 };

/** A stream that keeps what is written, as a terminal (isTTY) or as a pipe. */
function capturingStream(isTTY: boolean, columns = 100): ProgressStream & { written: string[] } {
  const written: string[] = [];
  return { isTTY, columns, written, write: (text: string) => written.push(text) };
}

describe('progress line', () => {
  it('shows the bar, the percent of planned calls, artifacts, items and human bytes', () => {
    expect(formatProgressLine('dataworks', HALF_WAY, 100)).toBe(
      `dataworks [${'#'.repeat(15)}${'.'.repeat(15)}]  50%  7/14 calls · 6 artifacts · 120 items · 1.5 KiB`,
    );
  });

  it('rounds the percent down and never past 100, and has no percent while the plan is unknown', () => {
    expect(percentDone({ callsDone: 2, callsPlanned: 3 })).toBe(66);
    expect(percentDone({ callsDone: 0, callsPlanned: 3 })).toBe(0);
    expect(percentDone({ callsDone: 5, callsPlanned: 4 })).toBe(100);
    expect(percentDone({ callsDone: 5, callsPlanned: null })).toBeNull();
    expect(percentDone({ callsDone: 0, callsPlanned: 0 })).toBeNull();
    expect(formatProgressLine('dlf', { callsDone: 1, callsPlanned: null, artifacts: 1, itemsParsed: 1, bytes: 3 * 1024 * 1024 }, 100)).toBe(
      'dlf  1 call · 1 artifact · 1 item · 3 MiB',
    );
    expect(formatProgressLine('dlf', {}, 100)).toBe('dlf  0 calls · 0 artifacts · 0 items · 0 bytes');
  });

  it('fits the terminal, one column short of it: a shorter bar, then no bar, then only the calls, then cut', () => {
    for (const columns of [200, 90, 80, 70, 60, 40, 25, 12, 2]) {
      const line = formatProgressLine('dataworks-production', HALF_WAY, columns);
      expect([columns, line.length <= columns - 1]).toEqual([columns, true]);
    }
    expect(formatProgressLine('dataworks', HALF_WAY, 200)).toContain(`[${'#'.repeat(15)}${'.'.repeat(15)}]`);
    expect(formatProgressLine('dataworks', HALF_WAY, 90)).toMatch(/^dataworks \[#{10,14}\.{10,14}\]  50%  7\/14 calls/);
    expect(formatProgressLine('dataworks', HALF_WAY, 70)).toBe('dataworks   50%  7/14 calls · 6 artifacts · 120 items · 1.5 KiB');
    expect(formatProgressLine('dataworks', HALF_WAY, 40)).toBe('dataworks   50%  7/14 calls');
    expect(formatProgressLine('dataworks', HALF_WAY, 20)).toBe('dataworks   50%  7…');
  });

  it('reads the stored stats JSON defensively', () => {
    expect(progressStatsOf({ ...HALF_WAY, added: 3, coverage: [] })).toEqual(HALF_WAY);
    expect(progressStatsOf({ callsDone: '7', callsPlanned: null, bytes: Number.NaN })).toEqual({});
    expect(progressStatsOf(null)).toEqual({});
    expect(progressStatsOf([1, 2])).toEqual({});
  });
});

describe('run progress bar', () => {
  // The terminal a test runs in must not decide what it checks (CI may set TERM=dumb).
  const term = process.env.TERM;
  beforeEach(() => {
    process.env.TERM = 'xterm-256color';
  });
  afterAll(() => {
    if (term === undefined) delete process.env.TERM;
    else process.env.TERM = term;
  });

  it('writes nothing and never reads the run when the stream is not a terminal', async () => {
    const stream = capturingStream(false);
    let reads = 0;
    const progress = startRunProgressBar({ runId: 'r1', label: 'dlf', stream, intervalMs: 5, readStats: async () => (reads++, HALF_WAY) });
    await new Promise((resolve) => setTimeout(resolve, 40));
    await progress.stop();
    expect([stream.written, reads]).toEqual([[], 0]);
  });

  it('writes nothing on a terminal that cannot erase a line (TERM=dumb)', async () => {
    process.env.TERM = 'dumb';
    const stream = capturingStream(true);
    const progress = startRunProgressBar({ runId: 'r1', label: 'dlf', stream, intervalMs: 5, readStats: async () => HALF_WAY });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await progress.stop();
    expect(stream.written).toEqual([]);
  });

  it('redraws one line in place on a terminal as the run advances, then clears it', async () => {
    const stream = capturingStream(true, 100);
    let callsDone = 0;
    const progress = startRunProgressBar({
      runId: 'r1',
      label: 'dataworks',
      stream,
      intervalMs: 5,
      readStats: async (runId) => (runId === 'r1' ? { ...HALF_WAY, callsDone: Math.min(14, ++callsDone) } : null),
    });
    await new Promise((resolve) => setTimeout(resolve, 60));
    await progress.stop();
    const framesAfterStop = stream.written.length;
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(stream.written.length).toBe(framesAfterStop);
    expect(stream.written.at(-1)).toBe('\r\u001b[K');
    const frames = stream.written.slice(0, -1);
    expect(frames.length).toBeGreaterThan(2);
    for (const frame of frames) expect(frame).toMatch(/^\r[^\r\n]*\u001b\[K\r$/);
    expect(frames[0]).toContain('dataworks  0 calls');
    expect(frames.some((frame) => frame.includes('  7%  1/14 calls'))).toBe(true);
  });

  it('keeps the last line when a read fails, and does not read twice at once', async () => {
    const stream = capturingStream(true);
    let inFlight = 0;
    let mostInFlight = 0;
    let reads = 0;
    const progress = startRunProgressBar({
      runId: 'r1',
      label: 'dlf',
      stream,
      intervalMs: 2,
      readStats: async () => {
        inFlight++;
        mostInFlight = Math.max(mostInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 15));
        inFlight--;
        if (++reads > 1) throw new Error('database gone');
        return HALF_WAY;
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 80));
    await progress.stop();
    expect(mostInFlight).toBe(1);
    expect(reads).toBeGreaterThan(1);
    expect(stream.written.filter((frame) => frame.includes('7/14 calls'))).toHaveLength(1);
  });
});
