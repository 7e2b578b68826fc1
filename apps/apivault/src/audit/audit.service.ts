import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { z } from 'zod';
import { LOGGER } from '../core/tokens.js';
import { decodeCursor, toPage } from '../http/cursor.js';
import { AuditRepository, type AuditEventFilter, type AuditEventInput } from './audit.repository.js';

const auditCursor = z.object({ id: z.string().regex(/^\d+$/) });

/**
 * The audit trail: who did what, when, from where, and how it ended. Writes happen after the
 * answer was sent (the recorder listens for `finish`), so they are tracked here and `settled()`
 * lets a reader of the trail see every call that came before its own.
 */
@Injectable()
export class AuditService implements BeforeApplicationShutdown {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly audit: AuditRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  record(event: AuditEventInput): Promise<void> {
    const write = this.audit.record(event).catch((error: unknown) => {
      // Never silent: an audit event that could not be written is itself worth an alert.
      this.logger.error({ err: error, audit: { ...event, details: undefined } }, 'audit event could not be recorded');
    });
    this.pending.add(write);
    void write.finally(() => this.pending.delete(write));
    return write;
  }

  async settled(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  /** The last events are written before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.settled();
  }

  async list(filter: Omit<AuditEventFilter, 'beforeId'> & { cursor?: string }) {
    await this.settled();
    const after = decodeCursor(auditCursor, filter.cursor);
    const rows = await this.audit.list({ ...filter, beforeId: after ? BigInt(after.id) : undefined, limit: filter.limit + 1 });
    return toPage(
      rows,
      filter.limit,
      (row) => ({ ...row, id: row.id.toString() }),
      (row) => ({ id: row.id.toString() }),
    );
  }
}
