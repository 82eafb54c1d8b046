-- Topics are managed by operators (admin API, `paperboy topics`): updated_at says when a topic
-- last changed; retired_at retires a topic without losing its name (its followers refer to it).
ALTER TABLE "topics" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "topics" ADD COLUMN "retired_at" timestamp with time zone;