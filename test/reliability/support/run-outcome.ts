import { itemDifference, type ItemsByScope } from './reliability-estate.js';
import { sameItems, type SourceCatalogState } from './catalog-invariants.js';

/**
 * Why a run's error would not help an operator, or [] when it would: it must have a code other
 * than INTERNAL (the engine's "we did not see this coming"), and a message that says something,
 * with no stack trace, no "undefined" and no "[object Object]" in it.
 */
export function unclearErrorProblems(error: any): string[] {
  if (!error || typeof error !== 'object') return [`no error recorded (${JSON.stringify(error)})`];
  const problems: string[] = [];
  if (typeof error.code !== 'string' || error.code === '') problems.push(`error without a code: ${JSON.stringify(error)}`);
  if (error.code === 'INTERNAL') problems.push(`error code INTERNAL (the failure was not recognised): ${error.message}`);
  const message = error.message;
  if (typeof message !== 'string' || message.trim().length < 15) problems.push(`error message says nothing: ${JSON.stringify(message)}`);
  else if (/\bundefined\b|\[object Object\]|\n\s+at\s/.test(message)) problems.push(`error message is not clear: ${JSON.stringify(message.slice(0, 300))}`);
  return problems;
}

/** The codes a run's error carries: its own, and each failed part's. */
export function errorCodes(run: any): string[] {
  const parts: any[] = Array.isArray(run.error?.parts) ? run.error.parts : [];
  return [run.error?.code, ...parts.map((part) => part.failure?.code)].filter((code): code is string => typeof code === 'string');
}

/** The messages a run's error carries: its own, and each failed part's. */
export function errorMessages(run: any): string[] {
  const parts: any[] = Array.isArray(run.error?.parts) ? run.error.parts : [];
  return [run.error?.message, ...parts.map((part) => part.failure?.message)].filter((message): message is string => typeof message === 'string');
}

function scopesOf(...sets: ItemsByScope[]): string[] {
  return [...new Set(sets.flatMap((byScope) => [...byScope.keys()]))].sort();
}

const none = new Set<string>();

/**
 * Whether a run's outcome tells the truth about what it backed up, given the catalog of its
 * source before and after it and what the vendor held meanwhile (unchanged during the run):
 * - succeeded: the catalog holds exactly the vendor's items;
 * - partial: the error names every failed part with a clear reason; every other part holds
 *   exactly the vendor's items; a failed part lost nothing and gained nothing the vendor lacks;
 * - failed: a clear reason, and the catalog of the source is as it was.
 * Returns what was untrue, or [].
 */
export function dishonestOutcomeProblems(run: any, before: SourceCatalogState, after: SourceCatalogState, vendor: ItemsByScope): string[] {
  switch (run.status) {
    case 'succeeded': {
      const difference = itemDifference(after.items, vendor);
      return difference ? [`succeeded, but the catalog differs from the vendor: ${difference}`] : [];
    }
    case 'partial': {
      const problems: string[] = [];
      const parts: any[] = Array.isArray(run.error?.parts) ? run.error.parts : [];
      if (run.error?.code !== 'PARTIAL' || parts.length === 0) return [`partial without the failed parts: ${JSON.stringify(run.error)}`];
      const failed = new Set(parts.map((part) => part.scope as string));
      for (const part of parts) {
        problems.push(...unclearErrorProblems(part.failure).map((p) => `part ${part.scope}: ${p}`));
        if (!String(run.error.message).includes(part.scope || 'source')) problems.push(`the message does not name failed part ${part.scope}`);
      }
      for (const scope of scopesOf(before.items, after.items, vendor)) {
        const [had, has, truth] = [before.items.get(scope) ?? none, after.items.get(scope) ?? none, vendor.get(scope) ?? none];
        if (!failed.has(scope)) {
          const difference = itemDifference(new Map([[scope, has]]), new Map([[scope, truth]]));
          if (difference) problems.push(`part ${scope} is not failed but differs from the vendor: ${difference}`);
          continue;
        }
        const dropped = [...had].filter((id) => !has.has(id));
        const invented = [...has].filter((id) => !had.has(id) && !truth.has(id));
        if (dropped.length) problems.push(`failed part ${scope} lost items: ${dropped.join(', ')}`);
        if (invented.length) problems.push(`failed part ${scope} gained items the vendor does not have: ${invented.join(', ')}`);
      }
      return problems;
    }
    case 'failed': {
      const problems = unclearErrorProblems(run.error);
      if (!sameItems(before.items, after.items) || before.versions !== after.versions) {
        problems.push(`failed, but the catalog changed (${itemDifference(after.items, before.items) ?? `${before.versions} -> ${after.versions} versions`})`);
      }
      return problems;
    }
    default:
      return [`ended ${run.status}: ${JSON.stringify(run.error)}`];
  }
}
