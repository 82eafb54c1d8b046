CREATE TYPE "public"."match_state" AS ENUM('pending', 'matched', 'skipped');--> statement-breakpoint
CREATE TABLE "papers" (
	"id" text PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"abstract" text NOT NULL,
	"authors" text[] DEFAULT '{}'::text[] NOT NULL,
	"categories" text[] DEFAULT '{}'::text[] NOT NULL,
	"published_at" timestamp with time zone,
	"source_updated_at" timestamp with time zone,
	"url" text,
	"upvotes" integer,
	"organization" text,
	"ai_keywords" text[] DEFAULT '{}'::text[] NOT NULL,
	"ai_summary" text,
	"version" integer,
	"sources" text[] DEFAULT '{}'::text[] NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"match_state" "match_state" DEFAULT 'pending' NOT NULL
);
--> statement-breakpoint
CREATE INDEX "papers_first_seen_idx" ON "papers" USING btree ("first_seen_at" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "papers_pending_idx" ON "papers" USING btree ("first_seen_at") WHERE "papers"."match_state" = 'pending';