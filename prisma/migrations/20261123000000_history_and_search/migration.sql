-- CreateExtension
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- AlterTable
ALTER TABLE "catalog_versions" ADD COLUMN     "auth_type" TEXT,
ADD COLUMN     "method" TEXT,
ADD COLUMN     "path" TEXT,
ADD COLUMN     "search_text" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "status" TEXT,
ADD COLUMN     "tags" TEXT[],
ADD COLUMN     "vendor" TEXT;

-- AlterTable
ALTER TABLE "change_events" ADD COLUMN     "semantic" JSONB NOT NULL DEFAULT '[]';

-- CreateTable
CREATE TABLE "held_entries" (
    "run_id" UUID NOT NULL,
    "item_key" TEXT NOT NULL,
    "entry" JSONB NOT NULL,

    CONSTRAINT "held_entries_pkey" PRIMARY KEY ("run_id","item_key")
);

-- CreateIndex
CREATE INDEX "catalog_items_name_id_idx" ON "catalog_items"("name", "id");

-- CreateIndex
CREATE INDEX "catalog_versions_search_text_trgm_idx" ON "catalog_versions" USING GIN ("search_text" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "catalog_versions_tags_idx" ON "catalog_versions" USING GIN ("tags");

-- AddForeignKey
ALTER TABLE "held_entries" ADD CONSTRAINT "held_entries_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
