-- Reserves a generic upload against the owner's storage quota in one call: the pending row is inserted only while
-- committed + live pending bytes stay within the quota and live pending uploads stay under the cap. A per-owner
-- advisory lock serialises concurrent reservations, and each statement inside takes a fresh snapshot (READ COMMITTED),
-- so parallel requests of one user cannot all pass the check on the same stale sum.
CREATE FUNCTION "reserve_upload"(
  "p_id" text, "p_owner_id" text, "p_key" text, "p_original_filename" text, "p_content_type" text,
  "p_declared_size" bigint, "p_expires_at" timestamptz,
  "p_quota_bytes" bigint, "p_pending_cap" integer, "p_live_after" timestamptz
) RETURNS TABLE ("reserved" boolean, "used_bytes" bigint, "pending_count" integer)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('upload-quota:' || p_owner_id, 0));
  SELECT coalesce(sum(u.declared_size), 0)::bigint, (count(*) FILTER (WHERE u.status = 'pending'))::integer
    INTO used_bytes, pending_count
    FROM upload u
    WHERE u.owner_id = p_owner_id
      AND (u.status = 'committed' OR (u.status = 'pending' AND u.expires_at > p_live_after));
  IF used_bytes + p_declared_size > p_quota_bytes OR pending_count >= p_pending_cap THEN
    reserved := false;
    RETURN NEXT;
    RETURN;
  END IF;
  INSERT INTO upload (id, owner_id, key, original_filename, content_type, declared_size, expires_at)
    VALUES (p_id, p_owner_id, p_key, p_original_filename, p_content_type, p_declared_size, p_expires_at);
  reserved := true;
  used_bytes := used_bytes + p_declared_size;
  pending_count := pending_count + 1;
  RETURN NEXT;
END
$$;
