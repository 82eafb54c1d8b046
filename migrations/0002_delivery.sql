CREATE TYPE "public"."digest_status" AS ENUM('pending', 'sending', 'sent', 'empty', 'uncertain', 'failed');--> statement-breakpoint
CREATE TABLE "digests" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "digests_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"subscriber_id" bigint NOT NULL,
	"period" text NOT NULL,
	"extra" boolean DEFAULT false NOT NULL,
	"status" "digest_status" DEFAULT 'pending' NOT NULL,
	"subject" text,
	"message_id" text,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "matches" (
	"subscriber_id" bigint NOT NULL,
	"paper_id" text NOT NULL,
	"reasons" jsonb NOT NULL,
	"matched_at" timestamp with time zone DEFAULT now() NOT NULL,
	"digest_id" bigint,
	CONSTRAINT "matches_subscriber_id_paper_id_pk" PRIMARY KEY("subscriber_id","paper_id")
);
--> statement-breakpoint
ALTER TABLE "subscribers" ADD COLUMN "next_send_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "subscribers" ADD COLUMN "last_digest_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "digests" ADD CONSTRAINT "digests_subscriber_id_subscribers_id_fk" FOREIGN KEY ("subscriber_id") REFERENCES "public"."subscribers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matches" ADD CONSTRAINT "matches_subscriber_id_subscribers_id_fk" FOREIGN KEY ("subscriber_id") REFERENCES "public"."subscribers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matches" ADD CONSTRAINT "matches_paper_id_papers_id_fk" FOREIGN KEY ("paper_id") REFERENCES "public"."papers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matches" ADD CONSTRAINT "matches_digest_id_digests_id_fk" FOREIGN KEY ("digest_id") REFERENCES "public"."digests"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "digests_subscriber_period_key" ON "digests" USING btree ("subscriber_id","period");--> statement-breakpoint
CREATE INDEX "digests_status_idx" ON "digests" USING btree ("status");--> statement-breakpoint
CREATE INDEX "matches_undelivered_idx" ON "matches" USING btree ("subscriber_id") WHERE "matches"."digest_id" IS NULL;--> statement-breakpoint
CREATE INDEX "matches_digest_idx" ON "matches" USING btree ("digest_id");--> statement-breakpoint
CREATE INDEX "subscribers_due_idx" ON "subscribers" USING btree ("next_send_at") WHERE "subscribers"."status" = 'active';