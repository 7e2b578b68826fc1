/**
 * Percent-encoding as both Huawei's and Alibaba's signatures define it (RFC 3986): only
 * `A-Z a-z 0-9 - _ . ~` stay as they are, a space is `%20` (never `+`), `*` is `%2A`.
 * encodeURIComponent keeps `!'()*`, which both vendors encode.
 */
export function percentEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Decodes percent escapes but keeps a malformed escape as written rather than failing the request. */
export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The `name=value` pairs of a query string (or a form body), decoded, in their order. `+` reads
 * as a space, as form decoders do: clients send a literal plus as `%2B`. A pair without `=` has
 * the value `''`.
 */
export function decodeQueryPairs(search: string): [string, string][] {
  const query = search.startsWith('?') ? search.slice(1) : search;
  if (query === '') return [];
  return query
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const eq = part.indexOf('=');
      const name = eq < 0 ? part : part.slice(0, eq);
      const value = eq < 0 ? '' : part.slice(eq + 1);
      return [safeDecode(name.replace(/\+/g, ' ')), safeDecode(value.replace(/\+/g, ' '))];
    });
}

/** Sorting by UTF-16 code units, as JavaScript's default sort and the official SDKs do. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The canonical query of Huawei's SDK-HMAC-SHA256 and Alibaba's ACS3-HMAC-SHA256 alike: pairs
 * decoded (`+` as a space), sorted by name then value, both re-encoded, `name=value` joined by
 * `&`; a parameter without a value signs as `name=`.
 */
export function canonicalQuery(search: string): string {
  const pairs = decodeQueryPairs(search);
  pairs.sort(([an, av], [bn, bv]) => compareCodeUnits(an, bn) || compareCodeUnits(av, bv));
  return pairs.map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`).join('&');
}
