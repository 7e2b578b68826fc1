import { SetMetadata } from '@nestjs/common';

export const AUDITED_READ = 'apivault:audited-read';

/** Records an audit event for this read as for a mutating call (raw downloads). */
export function AuditedRead(): MethodDecorator {
  return SetMetadata(AUDITED_READ, true);
}
