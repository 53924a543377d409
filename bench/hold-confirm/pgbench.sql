-- bench/hold-confirm's pgbench ceiling: one hold + one confirm per script run, so pgbench's
-- tps is pairs per second. The same rows as createHold + confirmBooking write
-- (server/domain/bookings): the booking, its audit entries, the unit and pool counters with
-- inventory_version, an inventory.updated event per change and the booking.held /
-- booking.confirmed events; the unit picked by the same rule (HOLDABLE_UNIT, in unit
-- order, FOR UPDATE SKIP LOCKED) and the booking locked by the same query. Plain SQL, one
-- statement per step as a hand-written client would send them, prepared (-M prepared).
-- Variables (-D): pool_id, facility_id, unit_type_id, partner_id, move_in.
-- (No colon inside a literal: pgbench would read it as a variable — hence chr(58).)
\set n random(1, 2000000000)
BEGIN;
SELECT u.id AS unit_id FROM units u
WHERE u.pool_id = :pool_id::uuid AND u.status = 'AVAILABLE'
  AND NOT EXISTS (SELECT 1 FROM maintenance_blocks hb WHERE hb.unit_id = u.id AND hb.status = 'ACTIVE')
  AND NOT EXISTS (SELECT 1 FROM bookings hk WHERE hk.unit_id = u.id AND hk.status IN ('TENTATIVE', 'CONFIRMED', 'FULFILLED'))
ORDER BY EXISTS (SELECT 1 FROM maintenance_blocks sb WHERE sb.unit_id = u.id AND sb.status = 'SCHEDULED'), u.floor, u.code
LIMIT 1 FOR UPDATE SKIP LOCKED \gset
INSERT INTO bookings (reference, partner_id, facility_id, unit_type_id, pool_id, unit_id, partner_booking_reference,
                      customer_name, customer_email, customer_phone, move_in_date, status, hold_expires_at,
                      monthly_rate_cents, idempotency_key, correlation_id, version, inventory_version,
                      last_event_at, created_at, updated_at)
SELECT 'BK-' || upper(substr(md5(random()::text), 1, 8)), :partner_id::uuid, :facility_id::uuid, :unit_type_id::uuid,
       :pool_id::uuid, :unit_id::uuid, 'PG' || :client_id::text || '-' || :n::text, 'Bench Customer', 'bench@example.com',
       NULL, :move_in::date, 'TENTATIVE', now() + make_interval(secs => p.hold_ttl_seconds), 10000, NULL,
       'cor_pgbench', 1, 0, now(), now(), now()
FROM partners p WHERE p.id = :partner_id::uuid
RETURNING id AS booking_id, reference AS booking_ref, hold_expires_at \gset
INSERT INTO audit_entries (actor_type, actor_id, actor_label, action, target_type, target_id, facility_id, result, scope,
                           correlation_id, metadata)
VALUES ('PARTNER', :partner_id::text, 'BENCH', 'booking.hold', 'booking', :booking_ref::text, :facility_id::uuid, 'SUCCESS',
        'bookings' || chr(58) || 'write', 'cor_pgbench', jsonb_build_object('unit_type_code', 'PGBENCH', 'ttl_seconds', 900, 'idempotency_key', NULL));
WITH unit AS (
  UPDATE units SET status = 'HELD', status_changed_at = now() WHERE id = :unit_id::uuid AND status = 'AVAILABLE' RETURNING pool_id
), updated AS (
  UPDATE inventory_pools SET available = available - 1, held = held + 1, inventory_version = inventory_version + 1, updated_at = now()
  WHERE id = (SELECT pool_id FROM unit) RETURNING *
), info AS (
  SELECT updated.*, f.code AS facility_code, ut.code AS unit_type_code
  FROM updated JOIN facilities f ON f.id = updated.facility_id JOIN unit_types ut ON ut.id = updated.unit_type_id
)
INSERT INTO events (id, type, aggregate_type, aggregate_id, aggregate_version, facility_id, partner_id, booking_id, correlation_id, data)
SELECT 'evt_' || replace(gen_random_uuid()::text, '-', ''), 'inventory.updated', 'pool', info.id::text, info.inventory_version,
       info.facility_id, :partner_id::uuid, :booking_id::uuid, 'cor_pgbench',
       jsonb_build_object('facility_code', info.facility_code, 'unit_type_code', info.unit_type_code, 'total', info.total,
         'available', info.available, 'held', info.held, 'booked', info.booked, 'occupied', info.occupied,
         'blocked', info.blocked, 'inventory_version', info.inventory_version, 'cause', 'booking.held')
FROM info RETURNING aggregate_version AS inventory_version \gset
UPDATE bookings SET inventory_version = :inventory_version::int WHERE id = :booking_id::uuid;
INSERT INTO events (id, type, aggregate_type, aggregate_id, aggregate_version, facility_id, partner_id, booking_id, correlation_id, data)
VALUES ('evt_' || replace(gen_random_uuid()::text, '-', ''), 'booking.held', 'booking', :booking_id::text, 1, :facility_id::uuid,
        :partner_id::uuid, :booking_id::uuid, 'cor_pgbench',
        jsonb_build_object('reference', :booking_ref::text, 'status', 'tentative', 'facility_code', 'BENCH-01',
          'unit_type_code', 'PGBENCH', 'unit_code', 'PGBENCH-0', 'partner_booking_reference', 'PG-' || :n::text,
          'move_in_date', :move_in::text, 'hold_expires_at', :hold_expires_at::text, 'inventory_version', :inventory_version::int));
COMMIT;
BEGIN;
SELECT b.id, b.reference, b.status, b.unit_id, b.facility_id, b.partner_id, b.hold_expires_at, b.version,
       f.code AS facility_code, ut.code AS unit_type_code, u.code AS unit_code
FROM bookings b
JOIN facilities f ON f.id = b.facility_id JOIN unit_types ut ON ut.id = b.unit_type_id JOIN units u ON u.id = b.unit_id
WHERE b.reference = :booking_ref::text AND b.partner_id = :partner_id::uuid FOR UPDATE OF b \gset locked_
WITH unit AS (
  UPDATE units SET status = 'BOOKED', status_changed_at = now() WHERE id = :locked_unit_id::uuid AND status = 'HELD' RETURNING pool_id
), updated AS (
  UPDATE inventory_pools SET held = held - 1, booked = booked + 1, inventory_version = inventory_version + 1, updated_at = now()
  WHERE id = (SELECT pool_id FROM unit) RETURNING *
), info AS (
  SELECT updated.*, f.code AS facility_code, ut.code AS unit_type_code
  FROM updated JOIN facilities f ON f.id = updated.facility_id JOIN unit_types ut ON ut.id = updated.unit_type_id
)
INSERT INTO events (id, type, aggregate_type, aggregate_id, aggregate_version, facility_id, partner_id, booking_id, correlation_id, data)
SELECT 'evt_' || replace(gen_random_uuid()::text, '-', ''), 'inventory.updated', 'pool', info.id::text, info.inventory_version,
       info.facility_id, :partner_id::uuid, :booking_id::uuid, 'cor_pgbench',
       jsonb_build_object('facility_code', info.facility_code, 'unit_type_code', info.unit_type_code, 'total', info.total,
         'available', info.available, 'held', info.held, 'booked', info.booked, 'occupied', info.occupied,
         'blocked', info.blocked, 'inventory_version', info.inventory_version, 'cause', 'booking.confirmed')
FROM info RETURNING aggregate_version AS inventory_version \gset
UPDATE bookings SET status = 'CONFIRMED', confirmed_at = now(), inventory_version = :inventory_version::int,
       version = version + 1, last_event_at = now(), updated_at = now()
WHERE id = :booking_id::uuid RETURNING version AS booking_version \gset
INSERT INTO events (id, type, aggregate_type, aggregate_id, aggregate_version, facility_id, partner_id, booking_id, correlation_id, data)
VALUES ('evt_' || replace(gen_random_uuid()::text, '-', ''), 'booking.confirmed', 'booking', :booking_id::text,
        :booking_version::int, :facility_id::uuid, :partner_id::uuid, :booking_id::uuid, 'cor_pgbench',
        jsonb_build_object('reference', :booking_ref::text, 'facility_code', 'BENCH-01', 'unit_type_code', 'PGBENCH',
          'unit_code', 'PGBENCH-0', 'status', 'confirmed', 'confirmed_at', now()::text, 'inventory_version', :inventory_version::int));
INSERT INTO audit_entries (actor_type, actor_id, actor_label, action, target_type, target_id, facility_id, result, scope,
                           correlation_id, metadata)
VALUES ('PARTNER', :partner_id::text, 'BENCH', 'booking.confirm', 'booking', :booking_ref::text, :facility_id::uuid, 'SUCCESS',
        'bookings' || chr(58) || 'write', 'cor_pgbench', '{}');
COMMIT;
