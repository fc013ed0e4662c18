CREATE TABLE "profile_image_version" (
	"id" uuid PRIMARY KEY NOT NULL,
	"owner_id" text NOT NULL,
	"key" text NOT NULL,
	"size" bigint NOT NULL,
	"content_type" text NOT NULL,
	"original_filename" text NOT NULL,
	"source_etag" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "profile_image_version_key_unique" UNIQUE("key")
);
--> statement-breakpoint
ALTER TABLE "profile_image_version" ADD CONSTRAINT "profile_image_version_owner_id_user_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "profile_image_version_owner_created_idx" ON "profile_image_version" USING btree ("owner_id","created_at" DESC NULLS LAST);