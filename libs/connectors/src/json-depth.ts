/**
 * How deep a vendor document may nest. Real exports nest a few dozen levels at most (OpenAPI
 * schemas of nested request bodies); the code that walks documents after parsing (redaction,
 * diffs, JSON.stringify, swagger-parser) is recursive and overflows the stack some thousands of
 * levels down, so anything deeper is refused as hostile before it gets there.
 */
export const MAX_JSON_DEPTH = 256;

/**
 * Whether a parsed JSON value nests deeper than `limit` (a scalar is depth 0, `[]` and `{}` 1).
 * Counted with an explicit stack, not recursion: it must not overflow on what it is guarding
 * against. JSON.parse itself is not recursive in V8, so a document can be parsed, then checked.
 */
export function jsonDepthExceeds(value: unknown, limit = MAX_JSON_DEPTH): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [node, depth] = pending.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth + 1 > limit) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (typeof child === 'object' && child !== null) pending.push([child, depth + 1]);
    }
  }
  return false;
}

/** The words every refusal uses, so that operators see the same reason whatever the vendor. */
export function tooDeepReason(limit = MAX_JSON_DEPTH): string {
  return `nests deeper than ${limit} levels (a hostile document: no vendor export does)`;
}
