import { canonicalJson } from './canonical-json.js';
import type { ApiDocument, ApiParameter } from './api-document.js';
import { isJsonObject, type JsonObject, type JsonValue } from './json.js';

/** What part of an API a semantic change is about. */
export type SemanticAspect = 'api' | 'method' | 'path' | 'parameter' | 'backend' | 'auth' | 'status' | 'protocol' | 'response';

/** One change a consumer of the API would care about, classified as breaking or not. */
export type SemanticChange = {
  aspect: SemanticAspect;
  /** Machine-readable, e.g. `parameter-removed`, `parameter-required`, `type-narrowed`. */
  change: string;
  breaking: boolean;
  /** The parameter (`query:limit`) or field it is about, when there is one. */
  subject: string | null;
  before: JsonValue;
  after: JsonValue;
  message: string;
};

/**
 * Widening order of scalar types: a value of an earlier type always fits a later one. Changing a
 * parameter to an earlier type narrows what callers may send, which breaks some of them.
 */
const TYPE_WIDTH: Record<string, number> = { boolean: 0, integer: 1, int: 1, long: 2, float: 3, number: 4, double: 4, string: 5 };

function isNarrowing(before: string | null, after: string | null): boolean {
  if (before === null || after === null || before === after) return false;
  const b = TYPE_WIDTH[before];
  const a = TYPE_WIDTH[after];
  // Unknown or structural types (object, array): any change may break callers.
  if (b === undefined || a === undefined) return true;
  return a < b;
}

function paramId(p: ApiParameter): string {
  return `${p.location}:${p.name}`;
}

function same(a: JsonValue, b: JsonValue): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function change(aspect: SemanticAspect, kind: string, breaking: boolean, subject: string | null, before: JsonValue, after: JsonValue, message: string): SemanticChange {
  return { aspect, change: kind, breaking, subject, before, after, message };
}

/** True when a document is shaped like an ApiDocument (connections and others are not). */
export function isApiDocument(document: JsonObject | null): document is ApiDocument & JsonObject {
  return document !== null && typeof document.service === 'string' && Array.isArray(document.parameters) && 'method' in document;
}

/**
 * The semantic difference between two versions of an API (`null` = absent). Breaking: the API
 * removed, a parameter removed, a new required parameter, an optional one made required, a
 * changed method or path, a narrowed parameter type, a changed auth type. Not breaking: a new
 * optional parameter, a widened type, descriptions, backend changes invisible to callers.
 */
export function semanticApiDiff(before: (ApiDocument & JsonObject) | null, after: (ApiDocument & JsonObject) | null): SemanticChange[] {
  if (before === null && after === null) return [];
  if (before === null) return [change('api', 'api-added', false, null, null, after!.name, `API ${after!.name} added`)];
  if (after === null) return [change('api', 'api-removed', true, null, before.name, null, `API ${before.name} removed`)];

  const out: SemanticChange[] = [];
  if (before.method !== after.method) {
    out.push(change('method', 'method-changed', true, null, before.method, after.method, `method changed from ${before.method ?? 'none'} to ${after.method ?? 'none'}`));
  }
  if (before.path !== after.path) {
    out.push(change('path', 'path-changed', true, null, before.path, after.path, `path changed from ${before.path ?? 'none'} to ${after.path ?? 'none'}`));
  }
  if (!same(before.protocols, after.protocols)) {
    const dropped = before.protocols.filter((p) => !after.protocols.includes(p));
    out.push(change('protocol', 'protocols-changed', dropped.length > 0, null, before.protocols, after.protocols, `protocols changed from ${before.protocols.join(',') || 'none'} to ${after.protocols.join(',') || 'none'}`));
  }

  const beforeParams = new Map(before.parameters.map((p) => [paramId(p), p]));
  const afterParams = new Map(after.parameters.map((p) => [paramId(p), p]));
  for (const [id, p] of beforeParams) {
    if (!afterParams.has(id)) out.push(change('parameter', 'parameter-removed', true, id, p as JsonObject, null, `parameter ${id} removed`));
  }
  for (const [id, p] of afterParams) {
    const old = beforeParams.get(id);
    if (!old) {
      out.push(change('parameter', p.required ? 'required-parameter-added' : 'optional-parameter-added', p.required, id, null, p as JsonObject, `${p.required ? 'required' : 'optional'} parameter ${id} added`));
      continue;
    }
    if (!old.required && p.required) out.push(change('parameter', 'parameter-required', true, id, false, true, `parameter ${id} became required`));
    if (old.required && !p.required) out.push(change('parameter', 'parameter-optional', false, id, true, false, `parameter ${id} became optional`));
    if (old.type !== p.type) {
      const narrowed = isNarrowing(old.type, p.type);
      out.push(change('parameter', narrowed ? 'type-narrowed' : 'type-widened', narrowed, id, old.type, p.type, `parameter ${id} type changed from ${old.type ?? 'none'} to ${p.type ?? 'none'}`));
    }
    if (!same(old.default, p.default)) out.push(change('parameter', 'default-changed', false, id, old.default, p.default, `parameter ${id} default changed`));
  }

  if (!same(before.backend as JsonValue, after.backend as JsonValue)) {
    out.push(change('backend', 'backend-changed', false, null, before.backend as JsonValue, after.backend as JsonValue, describeBackendChange(before, after)));
  }
  if (before.authType !== after.authType) {
    out.push(change('auth', 'auth-changed', true, null, before.authType, after.authType, `auth type changed from ${before.authType ?? 'none'} to ${after.authType ?? 'none'}`));
  }
  if (before.status !== after.status) {
    const unpublished = before.status === 'published' && after.status !== 'published';
    out.push(change('status', 'status-changed', unpublished, null, before.status, after.status, `status changed from ${before.status} to ${after.status}`));
  }
  if (!same(before.responseFields as JsonValue, after.responseFields as JsonValue)) {
    const names = (fields: ApiDocument['responseFields']) => new Set(fields.map((f) => f.name));
    const removed = [...names(before.responseFields)].filter((n) => !names(after.responseFields).has(n));
    out.push(change('response', 'response-changed', removed.length > 0, null, before.responseFields as JsonValue, after.responseFields as JsonValue, removed.length > 0 ? `response fields removed: ${removed.join(', ')}` : 'response fields changed'));
  }
  return out;
}

function describeBackendChange(before: ApiDocument, after: ApiDocument): string {
  const kind = (doc: ApiDocument) => (isJsonObject(doc.backend as JsonValue) ? String((doc.backend as JsonObject).type) : 'none');
  return kind(before) === kind(after) ? `${kind(after)} backend changed` : `backend changed from ${kind(before)} to ${kind(after)}`;
}

/** A readable, one-line-per-change rendering, breaking changes marked. */
export function renderSemanticChanges(changes: SemanticChange[]): string {
  return changes.map((c) => `${c.breaking ? '[BREAKING] ' : ''}${c.message}`).join('\n');
}
