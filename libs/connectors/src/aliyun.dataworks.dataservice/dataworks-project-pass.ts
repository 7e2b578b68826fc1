import type { DataWorksPage } from './dataworks-page.js';

/** A page as received: the bytes to archive, and what they say. */
export interface ReadPage {
  pageNumber: number;
  body: Buffer;
  contentType?: string;
  page: DataWorksPage;
}

/** Raw bytes received in a pass that did not complete (drift, or an unreadable page). */
export interface ReceivedPage {
  pageNumber: number;
  body: Buffer;
  contentType?: string;
}

export type ProjectPass =
  /** Every API the listing announced, each once: safe to catalog. */
  | { kind: 'consistent'; totalCount: number; pages: ReadPage[] }
  /** The listing moved while it was read: re-read from page 1. */
  | { kind: 'drift'; reason: string; pages: ReceivedPage[] }
  /** A page could not be fetched or read: the part fails. */
  | { kind: 'failed'; error: unknown; pages: ReceivedPage[] };

/** Fetches and reads one page (retries included); throws when it cannot. */
export type PageFetcher = (pageNumber: number) => Promise<ReadPage>;

/** Carries the bytes of a page that could not be read, so they can be archived all the same. */
export interface UnreadableBody {
  unreadableBody?: { pageNumber: number; body: Buffer; contentType?: string };
}

function unreadableBodyOf(error: unknown): ReceivedPage | undefined {
  for (let cause: unknown = error; cause; cause = (cause as { cause?: unknown }).cause) {
    const carried = (cause as UnreadableBody).unreadableBody;
    if (carried) return carried;
  }
  return undefined;
}

/**
 * One read of a workspace's listing, page 1 to the last, checking that the pages fit together:
 * the same TotalCount on every page, no ApiId twice, no page short before the last, and as many
 * distinct APIs as TotalCount. Any of these means APIs were created or deleted while we paged
 * (the listing is offset-based): the pass is reported as drift, never as a listing.
 */
export async function readProjectPass(fetchPage: PageFetcher, requestedPageSize: number, onPage?: (read: ReadPage, plannedPages: number) => void): Promise<ProjectPass> {
  const pages: ReadPage[] = [];
  const seen = new Set<number>();
  let totalCount: number | undefined;
  let pageSize = requestedPageSize;
  const drift = (reason: string): ProjectPass => ({ kind: 'drift', reason, pages });

  for (let pageNumber = 1; ; pageNumber++) {
    let read: ReadPage;
    try {
      read = await fetchPage(pageNumber);
    } catch (error) {
      const unreadable = unreadableBodyOf(error);
      return { kind: 'failed', error, pages: unreadable ? [...pages, unreadable] : pages };
    }
    pages.push(read);
    const { page } = read;
    if (totalCount === undefined) {
      totalCount = page.totalCount;
      // A vendor that caps PageSize lower than asked (its reference says 50 in one place, 100 in
      // another) pages by its own size: follow the size it answers.
      if (page.pageSize > 0 && page.pageSize < pageSize) pageSize = page.pageSize;
    }
    const plannedPages = Math.max(1, Math.ceil(totalCount / pageSize));
    onPage?.(read, plannedPages);

    if (page.totalCount !== totalCount) return drift(`TotalCount went from ${totalCount} to ${page.totalCount} between page 1 and page ${pageNumber}`);
    for (const api of page.apis) {
      const id = api.ApiId as number;
      if (seen.has(id)) return drift(`API ${id} is listed again on page ${pageNumber}`);
      seen.add(id);
    }
    const last = pageNumber >= plannedPages;
    if (!last && page.apis.length < pageSize) {
      return drift(`page ${pageNumber} holds ${page.apis.length} APIs where ${pageSize} were due (${totalCount} in all)`);
    }
    if (last || page.apis.length === 0) break;
  }
  if (seen.size !== totalCount) return drift(`TotalCount is ${totalCount} but the pages held ${seen.size} distinct APIs`);
  return { kind: 'consistent', totalCount: totalCount ?? 0, pages };
}
