// s3rver 3.7 ships no typings; only what the archive tests use.
declare module 's3rver' {
  import type { AddressInfo } from 'node:net';

  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    allowMismatchedSignatures?: boolean;
    configureBuckets?: { name: string; configs?: unknown[] }[];
  }

  class S3rver {
    constructor(options?: S3rverOptions);
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
    /** S3 event notifications (ObjectCreated:Put, ObjectRemoved:Delete...) for every write. */
    on(event: 'event', listener: (event: { Records: { eventName: string; s3: { bucket: { name: string }; object: { key: string } } }[] }) => void): this;
  }

  export = S3rver;
}
