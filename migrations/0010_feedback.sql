-- Bounces and complaints reported after sending (provider webhooks, delivery reports), and the
-- one-row switch that holds digests back while complaints are over the threshold. The row is
-- inserted here so that every reader finds it.
CREATE TYPE "public"."feedback_kind" AS ENUM('hard_bounce', 'soft_bounce', 'complaint');--> statement-breakpoint
CREATE TABLE "mail_feedback" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "mail_feedback_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"provider" text NOT NULL,
	"kind" "feedback_kind" NOT NULL,
	"subscriber_id" bigint,
	"detail" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sending_pause" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"paused" boolean DEFAULT false NOT NULL,
	"reason" text,
	"changed_at" timestamp with time zone,
	"complaints" integer DEFAULT 0 NOT NULL,
	"sent" integer DEFAULT 0 NOT NULL,
	"rate" double precision DEFAULT 0 NOT NULL,
	CONSTRAINT "sending_pause_one_row" CHECK ("sending_pause"."id" = 1)
);
--> statement-breakpoint
ALTER TABLE "mail_feedback" ADD CONSTRAINT "mail_feedback_subscriber_id_subscribers_id_fk" FOREIGN KEY ("subscriber_id") REFERENCES "public"."subscribers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "mail_feedback_kind_received_idx" ON "mail_feedback" USING btree ("kind","received_at");--> statement-breakpoint
INSERT INTO "sending_pause" ("id") VALUES (1);
