ALTER TABLE "presign_event" ADD COLUMN "filename" text;--> statement-breakpoint
ALTER TABLE "presign_event" ADD COLUMN "incidental" boolean DEFAULT false NOT NULL;