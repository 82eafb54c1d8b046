-- The complaint rate now counts distinct subscribers, and deleting a subscriber cascades to their
-- feedback rows: both look mail_feedback up by subscriber_id.
CREATE INDEX "mail_feedback_subscriber_idx" ON "mail_feedback" USING btree ("subscriber_id");