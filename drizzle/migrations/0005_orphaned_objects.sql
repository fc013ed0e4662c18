CREATE TABLE "orphaned_object" (
	"key" text PRIMARY KEY NOT NULL,
	"delete_again_until" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
