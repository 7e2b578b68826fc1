import type { CorpusEntry } from './corpus-entry.js';
import { documentEntries } from './document-entries.js';
import { pageEntries } from './page-entries.js';
import { workbookEntries } from './workbook-entries.js';
import { zipEntries } from './zip-entries.js';

export { SOURCES, type CorpusEntry } from './corpus-entry.js';

/** Every hostile or broken vendor answer of the bad-inputs scenario (docs/reliability.md lists them). */
export const CORPUS: readonly CorpusEntry[] = [...zipEntries, ...workbookEntries, ...documentEntries, ...pageEntries];
