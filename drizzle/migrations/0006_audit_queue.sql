CREATE TABLE "audit_dead_letter" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"body" jsonb NOT NULL,
	"attempts" integer NOT NULL,
	"dead_lettered_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "presign_event" ADD COLUMN "event_id" uuid DEFAULT gen_random_uuid() NOT NULL;--> statement-breakpoint
ALTER TABLE "presign_event" ADD CONSTRAINT "presign_event_event_id_unique" UNIQUE("event_id");