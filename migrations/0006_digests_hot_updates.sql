-- Every digest row is updated twice (pending -> sending -> sent) and every subscriber once per
-- digest (last_digest_at). An update that changes no indexed column and finds room on its page
-- is a HOT update: PostgreSQL then writes no index entry and far less WAL. Nothing looks
-- digests up by status, so that index goes, and both tables leave room on each page.
DROP INDEX "digests_status_idx";--> statement-breakpoint
ALTER TABLE "digests" SET (fillfactor = 50);--> statement-breakpoint
ALTER TABLE "subscribers" SET (fillfactor = 80);
