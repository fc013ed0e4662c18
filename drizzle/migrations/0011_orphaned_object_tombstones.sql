ALTER TABLE "orphaned_object" ADD COLUMN "tombstone" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "orphaned_object" ADD COLUMN "multipart_id" text;