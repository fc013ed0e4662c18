ALTER TABLE "upload" DROP CONSTRAINT "upload_status_check";--> statement-breakpoint
CREATE INDEX "upload_deleted_expiry_idx" ON "upload" USING btree ("expires_at") WHERE "upload"."status" = 'deleted';--> statement-breakpoint
ALTER TABLE "upload" ADD CONSTRAINT "upload_status_check" CHECK ("upload"."status" in ('pending', 'committed', 'deleted'));