-- Digest cards show a paper's thumbnail when its source gives one (Hugging Face daily papers do);
-- only https links are stored (checked on ingest). Null: none known.
ALTER TABLE "papers" ADD COLUMN "thumbnail_url" text;