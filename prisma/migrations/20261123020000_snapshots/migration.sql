-- CreateEnum
CREATE TYPE "SnapshotStatus" AS ENUM ('sealing', 'sealed', 'failed', 'pruned');

-- CreateTable
CREATE TABLE "snapshot_scopes" (
    "id" TEXT NOT NULL,
    "source_ids" TEXT[],
    "retention" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "snapshot_scopes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "snapshots" (
    "id" UUID NOT NULL,
    "scope_id" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "status" "SnapshotStatus" NOT NULL DEFAULT 'sealing',
    "trigger" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "sealed_at" TIMESTAMPTZ(3),
    "previous_id" UUID,
    "previous_manifest_sha256" TEXT,
    "manifest_sha256" TEXT,
    "storage_prefix" TEXT,
    "public_key_fingerprint" TEXT,
    "items" INTEGER NOT NULL DEFAULT 0,
    "objects" INTEGER NOT NULL DEFAULT 0,
    "object_bytes" BIGINT NOT NULL DEFAULT 0,
    "object_lock" JSONB,
    "retain_until" TIMESTAMPTZ(3),
    "files" JSONB NOT NULL DEFAULT '{}',
    "error" JSONB,
    "pruned_at" TIMESTAMPTZ(3),

    CONSTRAINT "snapshots_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "snapshot_artifacts" (
    "snapshot_id" UUID NOT NULL,
    "artifact_sha256" TEXT NOT NULL,

    CONSTRAINT "snapshot_artifacts_pkey" PRIMARY KEY ("snapshot_id","artifact_sha256")
);

-- CreateTable
CREATE TABLE "snapshot_verifications" (
    "id" UUID NOT NULL,
    "snapshot_id" UUID NOT NULL,
    "trigger" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "finished_at" TIMESTAMPTZ(3) NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "sample" JSONB,
    "report" JSONB NOT NULL,

    CONSTRAINT "snapshot_verifications_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "archive_object_digests" (
    "artifact_sha256" TEXT NOT NULL,
    "stored_sha256" TEXT NOT NULL,
    "stored_size" BIGINT NOT NULL,
    "encryption" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "archive_object_digests_pkey" PRIMARY KEY ("artifact_sha256")
);

-- CreateIndex
CREATE INDEX "snapshots_scope_id_created_at_idx" ON "snapshots"("scope_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "snapshots_scope_id_seq_key" ON "snapshots"("scope_id", "seq");

-- CreateIndex
CREATE INDEX "snapshot_artifacts_artifact_sha256_idx" ON "snapshot_artifacts"("artifact_sha256");

-- CreateIndex
CREATE INDEX "snapshot_verifications_snapshot_id_started_at_idx" ON "snapshot_verifications"("snapshot_id", "started_at");

-- AddForeignKey
ALTER TABLE "snapshots" ADD CONSTRAINT "snapshots_scope_id_fkey" FOREIGN KEY ("scope_id") REFERENCES "snapshot_scopes"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "snapshot_artifacts" ADD CONSTRAINT "snapshot_artifacts_snapshot_id_fkey" FOREIGN KEY ("snapshot_id") REFERENCES "snapshots"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "snapshot_artifacts" ADD CONSTRAINT "snapshot_artifacts_artifact_sha256_fkey" FOREIGN KEY ("artifact_sha256") REFERENCES "artifacts"("sha256") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "snapshot_verifications" ADD CONSTRAINT "snapshot_verifications_snapshot_id_fkey" FOREIGN KEY ("snapshot_id") REFERENCES "snapshots"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "archive_object_digests" ADD CONSTRAINT "archive_object_digests_artifact_sha256_fkey" FOREIGN KEY ("artifact_sha256") REFERENCES "artifacts"("sha256") ON DELETE CASCADE ON UPDATE CASCADE;
