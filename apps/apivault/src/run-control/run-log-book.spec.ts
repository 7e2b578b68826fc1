import { createLogger } from '../logging/logger.js';
import { RunLogBook } from './run-log-book.js';

describe('RunLogBook', () => {
  function setup(limits = { linesPerRun: 3, runs: 2 }) {
    const written: string[] = [];
    const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void written.push(line) } });
    return { logger, book: new RunLogBook(logger, limits), written };
  }

  it('keeps the newest lines of each run, already redacted, and counts what it dropped', () => {
    const { logger, book, written } = setup();
    const run = logger.child({ runId: 'r1', sourceId: 's' });
    for (let i = 1; i <= 5; i++) run.info({ step: i, password: 'hunter2' }, `step ${i}`);
    logger.info('not a run line');
    const { lines, retained, dropped } = book.read('r1', 0, 100);
    expect(retained).toBe(true);
    expect(dropped).toBe(2);
    expect(lines.map((l) => [l.seq, l.msg, l.level])).toEqual([
      [3, 'step 3', 'info'],
      [4, 'step 4', 'info'],
      [5, 'step 5', 'info'],
    ]);
    expect(lines[0]!.fields).toEqual({ step: 3, password: '[redacted]' });
    expect(book.read('r1', 4, 100).lines.map((l) => l.seq)).toEqual([5]);
    expect(written).toHaveLength(6);
  });

  it('filters by level and forgets the oldest run past the limit', () => {
    const { logger, book } = setup();
    logger.child({ runId: 'r1' }).warn('careful');
    logger.child({ runId: 'r1' }).debug('detail');
    expect(book.read('r1', 0, 10, 'warn').lines.map((l) => l.msg)).toEqual(['careful']);
    logger.child({ runId: 'r2' }).info('two');
    logger.child({ runId: 'r3' }).info('three');
    expect(book.read('r1', 0, 10)).toEqual({ lines: [], retained: false, dropped: 0 });
    expect(book.read('r3', 0, 10).lines).toHaveLength(1);
  });
});
