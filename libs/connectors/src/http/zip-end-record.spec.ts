import { zipOf } from '../test/zip-fixtures.js';
import { endsWithZipEndRecord } from './zip-end-record.js';

describe('endsWithZipEndRecord', () => {
  const zip = zipOf({ 'connections/a.conn': '{"name":"a"}', 'connections/b.conn': '{"name":"b"}' });

  it('finds the end record of a whole zip, with or without a comment', () => {
    expect(endsWithZipEndRecord(zip)).toBe(true);
    const commented = Buffer.concat([zip.subarray(0, zip.length - 2), Buffer.from([5, 0]), Buffer.from('hello')]);
    expect(endsWithZipEndRecord(commented)).toBe(true);
  });

  it('misses it in a zip cut short, or followed by stray bytes', () => {
    expect(endsWithZipEndRecord(zip.subarray(0, zip.length >> 1))).toBe(false);
    expect(endsWithZipEndRecord(zip.subarray(0, zip.length - 1))).toBe(false);
    expect(endsWithZipEndRecord(Buffer.concat([zip, Buffer.from('junk')]))).toBe(false);
    expect(endsWithZipEndRecord(Buffer.alloc(0))).toBe(false);
  });
});
