import { fileNameFromContentDisposition } from './content-disposition.js';

describe('fileNameFromContentDisposition', () => {
  it.each([
    ['attachment; filename="DLF_All_DataConnections.zip"', 'DLF_All_DataConnections.zip'],
    ['attachment; filename=export.zip', 'export.zip'],
    [`attachment; filename="fallback.zip"; filename*=UTF-8''%E6%95%B0%E6%8D%AE.zip`, '数据.zip'],
    ['attachment; filename="../../etc/passwd"', 'passwd'],
    ['attachment; filename="C:\\\\temp\\\\x.zip"', 'x.zip'],
    ['attachment; filename=".."', undefined],
    ['attachment', undefined],
    [null, undefined],
  ])('%j -> %j', (header, expected) => {
    expect(fileNameFromContentDisposition(header)).toBe(expected);
  });
});
