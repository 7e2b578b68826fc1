import type { PrismaClient } from '../generated/prisma/client.js';

/**
 * Once-per-slot claims of cluster-wide scheduled jobs: every replica's cron job ticks, the first
 * to insert (job, slot) runs it, the others skip. No lease: a replica that dies mid-job loses
 * that slot, and the next slot runs as usual.
 */
export class ScheduledSlotRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async claim(job: string, slot: Date, owner: string): Promise<boolean> {
    const inserted = await this.prisma.scheduledSlot.createMany({ data: [{ job, slot, claimedBy: owner }], skipDuplicates: true });
    return inserted.count === 1;
  }
}
