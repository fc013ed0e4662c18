ALTER TABLE "presign_event" ADD COLUMN "filename" text;--> statement-breakpoint
ALTER TABLE "presign_event" ADD COLUMN "preview" boolean DEFAULT false NOT NULL;