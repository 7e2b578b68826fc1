import { canonicalJson } from './canonical-json.js';
import { isJsonObject, type JsonValue } from './json.js';

export type FieldChangeOp = 'added' | 'removed' | 'changed';

/** One difference between two versions of a document, addressed by a JSON pointer. */
export interface FieldChange {
  path: string;
  op: FieldChangeOp;
  before?: JsonValue;
  after?: JsonValue;
}

function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Structural diff of two JSON documents: objects are compared key by key, arrays element by
 * element (by index), anything else by canonical value. Sorted by path so the output is stable.
 */
export function diffDocuments(before: JsonValue, after: JsonValue, path = ''): FieldChange[] {
  const changes: FieldChange[] = [];
  walk(before, after, path, changes);
  return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function walk(before: JsonValue, after: JsonValue, path: string, out: FieldChange[]): void {
  if (isJsonObject(before) && isJsonObject(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const key of keys) {
      const childPath = `${path}/${escapePointerToken(key)}`;
      const inBefore = Object.hasOwn(before, key);
      const inAfter = Object.hasOwn(after, key);
      if (inBefore && !inAfter) out.push({ path: childPath, op: 'removed', before: before[key] });
      else if (!inBefore && inAfter) out.push({ path: childPath, op: 'added', after: after[key] });
      else walk(before[key], after[key], childPath, out);
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length);
    for (let i = 0; i < length; i++) {
      const childPath = `${path}/${i}`;
      if (i >= after.length) out.push({ path: childPath, op: 'removed', before: before[i] });
      else if (i >= before.length) out.push({ path: childPath, op: 'added', after: after[i] });
      else walk(before[i], after[i], childPath, out);
    }
    return;
  }
  if (canonicalJson(before) !== canonicalJson(after)) {
    out.push({ path: path || '/', op: 'changed', before, after });
  }
}
