import type { FailureDetails } from '#connectors';
import type { IncompleteScopes } from '#catalog';
import { describeRunFailure } from './run-failure.js';

/** One part of a source as a run saw it: what the vendor listed, what we parsed, what failed. */
export interface CoveragePart {
  scope: string;
  expected: number | null;
  parsed: number;
  failure: FailureDetails | { stage: string; code: string; message: string } | null;
}

/**
 * What a run covered, part by part. A part that failed, or that yielded fewer entries than the
 * vendor said it holds, makes the run `partial` and is excluded from tombstoning.
 */
export class RunCoverage {
  private readonly parts = new Map<string, CoveragePart>();

  private part(scope: string): CoveragePart {
    let part = this.parts.get(scope);
    if (!part) {
      part = { scope, expected: null, parsed: 0, failure: null };
      this.parts.set(scope, part);
    }
    return part;
  }

  expect(scope: string, count: number): void {
    const part = this.part(scope);
    part.expected = (part.expected ?? 0) + count;
  }

  failed(scope: string, error: unknown): void {
    const part = this.part(scope);
    part.failure ??= describeRunFailure(error);
  }

  parsed(scope: string): void {
    this.part(scope).parsed++;
  }

  /** Marks shortfalls as failures and returns every part, failures first. */
  finish(): CoveragePart[] {
    for (const part of this.parts.values()) {
      if (!part.failure && part.expected !== null && part.parsed < part.expected) {
        part.failure = {
          stage: 'parse',
          code: 'SHORTFALL',
          message: `the vendor lists ${part.expected} item(s) in ${part.scope || 'the source'} but the export held ${part.parsed}`,
        };
      }
    }
    return [...this.parts.values()].sort((a, b) => Number(b.failure !== null) - Number(a.failure !== null) || (a.scope < b.scope ? -1 : 1));
  }

  incompleteScopes(): IncompleteScopes {
    const failed = [...this.parts.values()].filter((p) => p.failure !== null).map((p) => p.scope);
    return failed.includes('') ? { all: true } : { all: false, scopes: new Set(failed) };
  }

  hasFailures(): boolean {
    return [...this.parts.values()].some((p) => p.failure !== null);
  }

  /** Every part the run knows of failed: nothing of the source was backed up. */
  allFailed(): boolean {
    const parts = [...this.parts.values()];
    return parts.length > 0 && parts.every((p) => p.failure !== null);
  }
}
