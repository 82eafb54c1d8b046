CREATE TABLE "topic_matches" (
	"topic_slug" text NOT NULL,
	"paper_id" text NOT NULL,
	"reasons" jsonb NOT NULL,
	"matched_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "topic_matches_topic_slug_paper_id_pk" PRIMARY KEY("topic_slug","paper_id")
);
--> statement-breakpoint
ALTER TABLE "topic_matches" ADD CONSTRAINT "topic_matches_topic_slug_topics_slug_fk" FOREIGN KEY ("topic_slug") REFERENCES "public"."topics"("slug") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "topic_matches" ADD CONSTRAINT "topic_matches_paper_id_papers_id_fk" FOREIGN KEY ("paper_id") REFERENCES "public"."papers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "topic_matches_recent_idx" ON "topic_matches" USING btree ("topic_slug","matched_at");