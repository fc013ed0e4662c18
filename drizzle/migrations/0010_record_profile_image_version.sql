-- Records a kept copy of a profile image in one call, unless the owner's newest version already holds the same bytes
-- (same source ETag). A per-owner advisory lock makes parallel presigns take turns, and each statement inside takes a
-- fresh snapshot (READ COMMITTED), so the second one sees the first one's row instead of inserting a duplicate.
CREATE FUNCTION "record_profile_image_version"(
  "p_id" uuid, "p_owner_id" text, "p_key" text, "p_size" bigint, "p_content_type" text, "p_original_filename" text,
  "p_source_etag" text
) RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('profile-image-versions:' || p_owner_id, 0));
  IF coalesce((SELECT v.source_etag FROM profile_image_version v WHERE v.owner_id = p_owner_id
      ORDER BY v.created_at DESC LIMIT 1), '') = p_source_etag THEN
    RETURN false;
  END IF;
  INSERT INTO profile_image_version (id, owner_id, key, size, content_type, original_filename, source_etag)
    VALUES (p_id, p_owner_id, p_key, p_size, p_content_type, p_original_filename, p_source_etag);
  RETURN true;
END
$$;
