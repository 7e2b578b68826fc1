/**
 * Where the export time comes from. Real vendors stamp every export with the time it was made
 * (zip entry times, workbook creation time), so two exports of an unchanged estate differ in
 * bytes but not in content; `wall` does the same. A fixed Date gives byte-identical exports, for
 * tests that check byte-level dedup; a function lets a test step the clock.
 */
export type SimClock = 'wall' | Date | (() => Date);

export function clockFunction(clock: SimClock = 'wall'): () => Date {
  if (clock === 'wall') return () => new Date();
  if (clock instanceof Date) {
    if (Number.isNaN(clock.getTime())) throw new RangeError('clock: invalid Date');
    const fixed = clock.getTime();
    return () => new Date(fixed);
  }
  return clock;
}
