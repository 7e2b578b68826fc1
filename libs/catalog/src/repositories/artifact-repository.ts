import type { PrismaClient } from '../generated/prisma/client.js';

export interface ArtifactRecordInput {
  sha256: string;
  size: number;
  storageKey: string;
  contentType?: string;
}

/** Archive metadata: recorded as soon as bytes are stored, whatever the run's outcome. */
export class ArtifactRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Records archived objects and which run fetched them under which name: two statements for any number. */
  async recordForRun(runId: string, records: { artifact: ArtifactRecordInput; name: string; call: string }[]): Promise<void> {
    if (records.length === 0) return;
    await this.prisma.artifact.createMany({
      data: records.map(({ artifact }) => ({ sha256: artifact.sha256, size: BigInt(artifact.size), storageKey: artifact.storageKey, contentType: artifact.contentType ?? null })),
      skipDuplicates: true,
    });
    await this.prisma.runArtifact.createMany({ data: records.map(({ artifact, name, call }) => ({ runId, artifactSha256: artifact.sha256, name, call })), skipDuplicates: true });
  }

  findBySha256(sha256: string) {
    return this.prisma.artifact.findUnique({ where: { sha256 } });
  }

  listForRun(runId: string) {
    return this.prisma.runArtifact.findMany({ where: { runId }, include: { artifact: true }, orderBy: { createdAt: 'asc' } });
  }
}
