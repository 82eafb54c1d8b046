-- Topics are managed by operators (admin API, `paperboy topics`): updated_at tells every process
-- that its copy of the topics is stale; retired_at retires a topic without losing its name.
ALTER TABLE "topics" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "topics" ADD COLUMN "retired_at" timestamp with time zone;