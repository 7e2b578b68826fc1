import { SOURCES, type CorpusEntry } from './corpus-entry.js';
import { billionLaughsDoctype, deeplyNestedJson, externalEntityDoctype } from './hostile-bytes.js';

const dataWorks = (entry: Omit<CorpusEntry, 'route'>): CorpusEntry => ({ route: 'dataworks.list', ...entry });

/** A healthy XML page with a DOCTYPE inserted before its root element. */
const withXmlDoctype = (doctype: (root: string) => string) => (healthy: Buffer): string => {
  const text = healthy.toString('utf8');
  const root = /<([A-Za-z_][\w.-]*)[\s>]/.exec(text.replace(/^<\?xml[^>]*\?>/, ''));
  if (!root) throw new Error('corpus: the healthy page has no root element');
  const at = text.indexOf(`<${root[1]}`);
  return `${text.slice(0, at)}${doctype(root[1]!)}${text.slice(at)}`;
};

/** DataWorks ListDataServiceApis pages, JSON and XML: the Alibaba gateway's answers, spoiled. */
export const pageEntries: CorpusEntry[] = [
  dataWorks({
    id: 'xml-external-entity',
    source: SOURCES.dataWorksXml,
    checks: 'an XML page declaring external entities (file:///etc/passwd, cloud metadata URL) is refused before parsing',
    replacement: { body: withXmlDoctype(externalEntityDoctype) },
    codes: ['UNEXPECTED_CONTENT'],
    says: /refused an XML document with a DOCTYPE or entity declaration/,
  }),
  dataWorks({
    id: 'xml-billion-laughs',
    source: SOURCES.dataWorksXml,
    checks: 'an XML page with a billion-laughs entity bomb is refused without expanding it',
    replacement: { body: withXmlDoctype(billionLaughsDoctype) },
    codes: ['UNEXPECTED_CONTENT'],
    says: /refused an XML document with a DOCTYPE or entity declaration/,
  }),
  dataWorks({
    id: 'xml-deeply-nested',
    source: SOURCES.dataWorksXml,
    checks: 'an XML page nested 100,000 elements deep is refused at the depth limit',
    replacement: { body: `<?xml version="1.0" encoding="UTF-8"?>${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}` },
    codes: ['UNEXPECTED_CONTENT'],
    says: /Maximum nested tags exceeded/,
  }),
  dataWorks({
    id: 'json-deeply-nested',
    source: SOURCES.dataWorks,
    checks: 'a JSON page nested 100,000 levels deep is refused, not a stack overflow',
    replacement: { body: `{"RequestId":"x","Success":true,"Data":{"PageNumber":1,"PageSize":100,"TotalCount":1,"Apis":[{"ApiId":1,"ApiName":"deep","X":${deeplyNestedJson(100_000)}}]}}` },
    codes: ['UNEXPECTED_CONTENT'],
    says: /the page nests deeper than 256 levels/,
  }),
  dataWorks({
    id: 'json-error-envelope-200',
    source: SOURCES.dataWorks,
    checks: 'status 200 whose envelope says Success: false is the vendor error it carries, not an empty workspace',
    replacement: { body: '{"RequestId":"x","Success":false,"HttpStatusCode":403,"ErrorCode":"Forbidden.Access","ErrorMessage":"no permission on the workspace"}' },
    codes: ['UNEXPECTED_CONTENT'],
    says: /Forbidden\.Access: no permission on the workspace/,
  }),
  dataWorks({
    id: 'json-counts-not-numbers',
    source: SOURCES.dataWorks,
    checks: 'a page whose TotalCount is not a number is refused rather than paged forever or read as empty',
    replacement: { body: '{"RequestId":"x","Success":true,"Data":{"PageNumber":1,"PageSize":100,"TotalCount":"lots","Apis":[]}}' },
    codes: ['UNEXPECTED_CONTENT'],
    says: /Data\.TotalCount is not a whole number/,
  }),
];
