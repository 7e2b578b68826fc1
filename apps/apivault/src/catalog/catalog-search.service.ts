import { Injectable } from '@nestjs/common';
import { CatalogSearchRepository, type CatalogSearchQuery } from '#catalog';
import { ValidationError } from '../http/app-errors.js';

function encodeCursor(key: string, id: string): string {
  return Buffer.from(JSON.stringify([key, id]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { key: string; id: string } {
  try {
    const [key, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof key === 'string' && typeof id === 'string') return { key, id };
  } catch {
    // fall through
  }
  throw new ValidationError('cursor is not a cursor this API returned', { field: 'cursor' });
}

@Injectable()
export class CatalogSearchService {
  constructor(private readonly search: CatalogSearchRepository) {}

  async find(query: Omit<CatalogSearchQuery, 'cursor'> & { cursor?: string }) {
    const rows = await this.search.search({ ...query, cursor: query.cursor ? decodeCursor(query.cursor) : undefined, limit: query.limit + 1 });
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(({ sortKey: _sortKey, ...row }) => row),
      nextCursor: rows.length > query.limit && last ? encodeCursor(last.sortKey, last.itemId) : null,
    };
  }
}
