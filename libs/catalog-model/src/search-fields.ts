import type { CatalogEntry } from './catalog-entry.js';
import { isApiDocument } from './api-semantic-diff.js';

/** What search and filters read from a version, copied into columns when it is written. */
export type SearchFields = {
  vendor: string | null;
  method: string | null;
  path: string | null;
  status: string | null;
  authType: string | null;
  tags: string[];
  /** Lower-case name, path, description and tags: the text free-text search matches. */
  searchText: string;
};

export function searchFieldsOf(entry: Pick<CatalogEntry, 'name' | 'document'>): SearchFields {
  const doc = entry.document;
  if (isApiDocument(doc)) {
    return {
      vendor: doc.vendor,
      method: doc.method,
      path: doc.path,
      status: doc.status,
      authType: doc.authType,
      tags: [...doc.tags].sort(),
      searchText: [doc.name, doc.path, doc.description, ...doc.tags].filter(Boolean).join(' ').toLowerCase(),
    };
  }
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  return {
    vendor: text(doc.vendor),
    method: null,
    path: null,
    status: null,
    authType: null,
    tags: [],
    searchText: [entry.name, text(doc.type), text(doc.description)].filter(Boolean).join(' ').toLowerCase(),
  };
}
