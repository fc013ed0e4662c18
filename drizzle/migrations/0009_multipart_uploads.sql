CREATE TABLE "multipart_upload_part" (
	"upload_id" text NOT NULL,
	"part_number" integer NOT NULL,
	"etag" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "multipart_upload_part_upload_id_part_number_pk" PRIMARY KEY("upload_id","part_number"),
	CONSTRAINT "multipart_upload_part_number_check" CHECK ("multipart_upload_part"."part_number" between 1 and 10000)
);
--> statement-breakpoint
ALTER TABLE "upload" ADD COLUMN "multipart_id" text;--> statement-breakpoint
ALTER TABLE "upload" ADD COLUMN "part_size" bigint;--> statement-breakpoint
ALTER TABLE "multipart_upload_part" ADD CONSTRAINT "multipart_upload_part_upload_id_upload_id_fk" FOREIGN KEY ("upload_id") REFERENCES "public"."upload"("id") ON DELETE cascade ON UPDATE no action;