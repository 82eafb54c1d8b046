-- "Mute this author" / "mute this word" from a digest: the terms each subscriber muted, applied
-- as NOT clauses to every paper their interests and topics bring. One row per term; the unique
-- index makes a repeated mute (a double press, a second link) change nothing.
CREATE TABLE "mutes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "mutes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"subscriber_id" bigint NOT NULL,
	"term" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "mutes" ADD CONSTRAINT "mutes_subscriber_id_subscribers_id_fk" FOREIGN KEY ("subscriber_id") REFERENCES "public"."subscribers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "mutes_subscriber_term_key" ON "mutes" USING btree ("subscriber_id","term");