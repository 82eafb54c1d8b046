CREATE TABLE "line_matches" (
	"line" text NOT NULL,
	"paper_id" text NOT NULL,
	"words" jsonb NOT NULL,
	"matched_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "line_matches_line_paper_id_pk" PRIMARY KEY("line","paper_id")
);
--> statement-breakpoint
ALTER TABLE "line_matches" ADD CONSTRAINT "line_matches_paper_id_papers_id_fk" FOREIGN KEY ("paper_id") REFERENCES "public"."papers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "line_matches_recent_idx" ON "line_matches" USING btree ("line","matched_at");