// bench/scale (generator) — a database of a mid-size operator's shape, loaded set-based:
// every table is one INSERT … SELECT over generate_series (no row-at-a-time work), with the
// big tables' secondary indexes dropped during the load and built afterwards, and foreign
// key triggers off for the session (session_replication_role = replica; the data is
// consistent by construction). Sizes follow the number of bookings B (issue #12's shape at
// B = 1,000,000): B/10 units in 50 facilities of 8 unit types, ~2.6 B events, ~4.7 B
// deliveries (2.5 % dead), ~10.5 B attempts, 2 B audit entries.
import type pg from "pg";

export interface ScaleShape {
  bookings: number;
  facilities: number;
  units: number;
  partners: number;
  endpoints: number;
}

export function shapeFor(bookings: number): ScaleShape {
  return {
    bookings,
    facilities: Math.max(2, Math.min(50, Math.round(bookings / 20_000))),
    units: Math.max(100, Math.round(bookings * 0.1017)),
    partners: 12,
    endpoints: 24,
  };
}

/** The tables whose secondary indexes are built after the load. */
const BIG_TABLES = ["bookings", "events", "webhook_deliveries", "webhook_attempts", "audit_entries", "units"];

const FIRST = [
  "Olivia", "Amelia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Isabella", "Rosie", "Sophia", "Grace", "Freya", "Willow", "Florence",
  "Emily", "Ella", "Poppy", "Evie", "Elsie", "Charlotte", "Noah", "Oliver", "George", "Arthur", "Muhammad", "Leo", "Harry",
  "Oscar", "Archie", "Henry", "Theodore", "Freddie", "Jack", "Charlie", "Theo", "Alfie", "Jacob", "Thomas", "Finley", "Arlo",
];
const LAST = [
  "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Robinson", "Wright", "Thompson",
  "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Thomas", "Clarke", "Jackson", "Wood", "Harris", "Edwards", "Turner",
  "Martin", "Cooper", "Hill", "Ward", "Hughes", "Moore", "Clark", "King", "Harrison", "Lewis", "Baker", "Lee", "Allen", "Morris",
  "Khan", "Scott", "Watson", "Davis", "Parker", "James", "Bennett", "Young", "Phillips", "Richardson", "Mitchell", "Bailey",
  "Carter", "Cook", "Singh", "Shaw", "Bell", "Collins", "Morgan", "Kelly", "Begum",
];
const DOMAINS = ["gmail.com", "outlook.com", "yahoo.co.uk", "hotmail.co.uk", "icloud.com", "btinternet.com"];

const arr = (xs: string[]) => `ARRAY[${xs.map((x) => `'${x}'`).join(",")}]`;

/** The uuid of the n-th generated row of a kind (sequential, so index builds and joins stay cheap). */
const uid = (kind: number, n: string) => `('00000000-0000-4000-${(0x8000 + kind).toString(16)}-' || lpad(to_hex(${n}), 12, '0'))::uuid`;
/** A booking's reference from its number: a bijection of 32-bit numbers, so references are unique. */
const ref = (n: string) => `('BK-' || upper(lpad(to_hex((${n}::bigint * 2654435761) % 4294967296), 8, '0')))`;

export interface GenerateResult {
  counts: Record<string, number>;
  seconds: Record<string, number>;
}

export async function generateScaleData(client: pg.Client, shape: ScaleShape, log: (line: string) => void): Promise<GenerateResult> {
  const { bookings: B, facilities: F, units: U, partners: P, endpoints: E } = shape;
  const T = 8;
  const pools = F * T;
  const seconds: Record<string, number> = {};
  const step = async (name: string, sql: string) => {
    const t = performance.now();
    await client.query(sql);
    seconds[name] = (performance.now() - t) / 1000;
    log(`  ${name.padEnd(34)} ${seconds[name]!.toFixed(1).padStart(7)} s`);
  };
  const hasDeliveryFacility =
    (await client.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'webhook_deliveries' AND column_name = 'facility_id'`))
      .rowCount === 1;

  await client.query(`SET session_replication_role = replica; SET synchronous_commit = off;
    SET maintenance_work_mem = '1GB'; SET work_mem = '256MB'; SET max_parallel_maintenance_workers = 1`);

  // Secondary indexes (not primary keys) of the big tables: dropped now, rebuilt after the load.
  const { rows: indexes } = await client.query<{ name: string; def: string }>(
    `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
     WHERE i.schemaname = 'public' AND i.tablename = ANY($1)
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
    [BIG_TABLES],
  );
  for (const index of indexes) await client.query(`DROP INDEX "${index.name}"`);

  const span = `interval '730 days'`;
  const t0 = `(now() - ${span})`;

  await step(
    "reference data",
    `
    INSERT INTO partners (id, code, name, kind, hold_ttl_seconds)
    SELECT ${uid(1, "p")}, 'P-' || lpad(p::text, 2, '0'), 'Partner ' || p,
           (ARRAY['MARKETPLACE','PHONE_AGENT','WEBSITE','OTHER'])[1 + p % 4]::"PartnerKind", 900
    FROM generate_series(0, ${P - 1}) p;
    INSERT INTO facilities (id, code, name, timezone, address_line1, city, postal_code, country, access_hours)
    SELECT ${uid(2, "f")}, 'F' || lpad(f::text, 2, '0'), 'Facility ' || f, 'Europe/London', f || ' High Street', 'London', 'N1 ' || f, 'GB', '06:00-22:00'
    FROM generate_series(0, ${F - 1}) f;
    INSERT INTO unit_types (id, facility_id, code, name, width_ft, depth_ft, area_sq_ft, climate_controlled, monthly_rate_cents)
    SELECT ${uid(3, "t")}, ${uid(2, "t / 8")}, 'T' || (t % 8), (5 + t % 8 * 5) || ' sq ft', 5, 1 + t % 8, 5 * (1 + t % 8), t % 2 = 0, 3000 + (t % 8) * 2500
    FROM generate_series(0, ${pools - 1}) t;
    INSERT INTO inventory_pools (id, facility_id, unit_type_id)
    SELECT ${uid(4, "t")}, ${uid(2, "t / 8")}, ${uid(3, "t")} FROM generate_series(0, ${pools - 1}) t;
    -- unit k is in facility k % F and type (k / F) % 8; its status: 62 % occupied, 5 % booked, 1 % held, 2 % blocked
    INSERT INTO units (id, facility_id, unit_type_id, pool_id, code, floor, status, status_changed_at, created_at)
    SELECT ${uid(5, "k")}, ${uid(2, `k % ${F}`)}, ${uid(3, `(k % ${F}) * 8 + (k / ${F}) % 8`)}, ${uid(4, `(k % ${F}) * 8 + (k / ${F}) % 8`)},
           chr(65 + (k / ${F}) % 8) || '-' || lpad((k / ${F} / 8)::text, 4, '0'), (k / ${F}) % 4,
           (CASE WHEN k % 100 < 62 THEN 'OCCUPIED' WHEN k % 100 < 67 THEN 'BOOKED' WHEN k % 100 < 68 THEN 'HELD'
                 WHEN k % 100 < 70 THEN 'BLOCKED' ELSE 'AVAILABLE' END)::"UnitStatus",
           now() - (k % 700) * interval '1 day', ${t0}
    FROM generate_series(0, ${U - 1}) k;
    INSERT INTO users (id, email, name, role, password_hash)
    SELECT ${uid(6, "u")},
           CASE WHEN u = 0 THEN 'admin@holdfast.test' WHEN u = 1 THEN 'ops@holdfast.test' WHEN u < 6 THEN 'support' || u || '@holdfast.test'
                ELSE 'manager' || (u - 6) || '@holdfast.test' END,
           'User ' || u,
           (CASE WHEN u = 0 THEN 'ADMIN' WHEN u = 1 THEN 'OPS_LEAD' WHEN u < 6 THEN 'SUPPORT' ELSE 'SITE_MANAGER' END)::"UserRole",
           'not-a-password-hash'
    FROM generate_series(0, 15) u;
    INSERT INTO user_facilities (user_id, facility_id)
    SELECT ${uid(6, "u")}, ${uid(2, `(u - 6) % ${F}`)} FROM generate_series(6, 15) u;
    INSERT INTO webhook_endpoints (id, partner_id, url, status, secret_ciphertext, created_at)
    SELECT 'ep_' || lpad(e::text, 26, '0'), ${uid(1, `e / 2`)}, 'https://hooks.partner' || (e / 2) || '.example/holdfast/' || e,
           'ACTIVE', 'not-a-secret', ${t0} - interval '1 day'
    FROM generate_series(0, ${E - 1}) e;`,
  );

  // Bookings: one live booking on every held/booked/occupied unit, the rest expired or
  // cancelled on any unit over two years. Booking n (1..B) is numbered so other tables can
  // name its reference without a join.
  const live = `(SELECT count(*) FROM units WHERE status IN ('HELD', 'BOOKED', 'OCCUPIED'))`;
  const bookingCols = `id, reference, partner_id, facility_id, unit_type_id, pool_id, unit_id, partner_booking_reference, customer_name,
      customer_email, move_in_date, status, hold_expires_at, confirmed_at, fulfilled_at, expired_at, cancelled_at, cancel_reason,
      cancelled_by, monthly_rate_cents, idempotency_key, correlation_id, version, inventory_version, last_event_at, created_at, updated_at`;
  const person = (n: string) => `
      (${arr(FIRST)})[1 + (${n} * 7) % ${FIRST.length}] || ' ' || (${arr(LAST)})[1 + (${n} / ${FIRST.length} * 13) % ${LAST.length}],
      lower((${arr(FIRST)})[1 + (${n} * 7) % ${FIRST.length}] || '.' || (${arr(LAST)})[1 + (${n} / ${FIRST.length} * 13) % ${LAST.length}]
        || (${n} % 997) || '@' || (${arr(DOMAINS)})[1 + ${n} % ${DOMAINS.length}])`;
  await step(
    "bookings (historical)",
    `
    INSERT INTO bookings (${bookingCols})
    SELECT ${uid(7, "n")}, ${ref("n")}, ${uid(1, `n % ${P}`)}, u.facility_id, u.unit_type_id, u.pool_id, u.id,
           'PB' || (n % ${P}) || '-' || n, ${person("n")},
           (c + interval '7 days')::date,
           (CASE WHEN n % 20 < 11 THEN 'EXPIRED' ELSE 'CANCELLED' END)::"BookingStatus",
           c + interval '15 minutes', NULL, NULL,
           CASE WHEN n % 20 < 11 THEN c + interval '15 minutes' END,
           CASE WHEN n % 20 >= 11 THEN c + interval '2 days' END,
           CASE WHEN n % 20 >= 11 THEN 'customer changed plans' END,
           CASE WHEN n % 20 >= 11 THEN 'P-' || lpad((n % ${P})::text, 2, '0') END,
           5000, md5('idem' || n)::uuid::text, 'req_' || substr(md5('corr' || n), 1, 24), 2, 1,
           c + interval '15 minutes', c, c + interval '15 minutes'
    FROM (SELECT n, ${t0} + (n::float8 / ${B}) * ${span} AS c, (n * 7919) % ${U} AS k
          FROM generate_series(1::bigint, ${B} - ${live}) n) s
    JOIN units u ON u.id = ${uid(5, "s.k")};`,
  );
  await step(
    "bookings (live)",
    `
    INSERT INTO bookings (${bookingCols})
    SELECT ${uid(7, "n")}, ${ref("n")}, ${uid(1, `n % ${P}`)}, u.facility_id, u.unit_type_id, u.pool_id, u.id,
           'PB' || (n % ${P}) || '-' || n, ${person("n")},
           (c + interval '7 days')::date,
           (CASE u.status WHEN 'HELD' THEN 'TENTATIVE' WHEN 'BOOKED' THEN 'CONFIRMED' ELSE 'FULFILLED' END)::"BookingStatus",
           CASE WHEN u.status = 'HELD' THEN now() + interval '10 minutes' ELSE c + interval '15 minutes' END,
           CASE WHEN u.status <> 'HELD' THEN c + interval '5 minutes' END,
           CASE WHEN u.status = 'OCCUPIED' THEN c + interval '7 days' END,
           NULL, NULL, NULL, NULL,
           5000, md5('idem' || n)::uuid::text, 'req_' || substr(md5('corr' || n), 1, 24), CASE WHEN u.status = 'HELD' THEN 1 ELSE 2 END, 1,
           c + interval '5 minutes', c, c + interval '5 minutes'
    FROM (SELECT u.*, ${B} - ${live} + row_number() OVER (ORDER BY u.id) AS n FROM units u WHERE u.status IN ('HELD', 'BOOKED', 'OCCUPIED')) u
    CROSS JOIN LATERAL (SELECT CASE u.status WHEN 'HELD' THEN now() - interval '5 minutes'
                                            WHEN 'BOOKED' THEN now() - (n % 30) * interval '1 day' - interval '1 hour'
                                            ELSE now() - interval '8 days' - (n % 700) * interval '1 day' END AS c) t;`,
  );

  // Events in time order: a booking's hold and its outcome (a tentative one has only its
  // hold), and the pools' inventory.updated (0.6 per booking).
  await step(
    "events",
    `
    INSERT INTO events (id, seq, type, aggregate_type, aggregate_id, aggregate_version, facility_id, partner_id, booking_id,
                        correlation_id, data, created_at)
    SELECT 'evt_' || lpad(rn::text, 26, '0'), rn, type, aggregate_type, aggregate_id, aggregate_version, facility_id, partner_id,
           booking_id, correlation_id, data, created_at
    FROM (
      SELECT row_number() OVER (ORDER BY created_at) AS rn, x.* FROM (
        SELECT CASE WHEN v = 1 THEN 'booking.held' ELSE 'booking.' || lower(CASE b.status WHEN 'FULFILLED' THEN 'CONFIRMED' ELSE b.status::text END) END AS type,
               'booking' AS aggregate_type, b.reference AS aggregate_id, v AS aggregate_version, b.facility_id, b.partner_id,
               b.id AS booking_id, b.correlation_id,
               jsonb_build_object('reference', b.reference, 'status', CASE WHEN v = 1 THEN 'TENTATIVE' ELSE b.status::text END,
                                  'unit_id', b.unit_id, 'pool_id', b.pool_id, 'move_in_date', b.move_in_date,
                                  'partner_booking_reference', b.partner_booking_reference) AS data,
               CASE WHEN v = 1 THEN b.created_at ELSE b.last_event_at END AS created_at
        FROM bookings b CROSS JOIN generate_series(1, b.version) v
        UNION ALL
        SELECT 'inventory.updated', 'pool', ${uid(4, `i % ${pools}`)}::text, (i / ${pools})::int + 1, ${uid(2, `(i % ${pools}) / 8`)}, NULL, NULL,
               'req_' || substr(md5('pool' || i), 1, 24),
               jsonb_build_object('pool_id', ${uid(4, `i % ${pools}`)}, 'inventory_version', i / ${pools} + 1, 'available', i % 50),
               ${t0} + (i::float8 / ${Math.round(B * 0.6)}) * ${span}
        FROM generate_series(0, ${Math.round(B * 0.6)} - 1) i
      ) x
    ) y;
    SELECT setval(pg_get_serial_sequence('events', 'seq'), (SELECT max(seq) FROM events));
    UPDATE inventory_pools p SET inventory_version = v.n
    FROM (SELECT aggregate_id::uuid AS id, max(aggregate_version) AS n FROM events WHERE aggregate_type = 'pool' GROUP BY 1) v WHERE v.id = p.id;`,
  );

  // Deliveries: a booking event to its partner's endpoints, a pool event to two endpoints;
  // every fifth event to one only (1.8 per event). 2.5 % are dead after 8 attempts; endpoint
  // 0 has failed for six hours, so its recent deliveries are still being retried.
  await step(
    "webhook_deliveries",
    `
    INSERT INTO webhook_deliveries (id, endpoint_id, event_id, status, attempt_count, next_attempt_at, last_attempt_at, last_status,
                                    succeeded_at, dead_at, created_at${hasDeliveryFacility ? ", facility_id" : ""})
    SELECT id, 'ep_' || lpad(ep::text, 26, '0'), event_id, status::"DeliveryStatus",
           CASE status WHEN 'DEAD' THEN 8 WHEN 'PENDING' THEN 0 WHEN 'RETRYING' THEN 1 + (dn % 5)
                       ELSE (CASE WHEN dn % 20 < 11 THEN 1 WHEN dn % 20 < 14 THEN 2 WHEN dn % 20 < 16 THEN 3 WHEN dn % 20 < 18 THEN 4 ELSE 5 END) END,
           CASE WHEN status IN ('PENDING', 'RETRYING') THEN now() + (dn % 600) * interval '1 second' END,
           CASE WHEN status <> 'PENDING' THEN least(now(), created_at + interval '2 seconds') END,
           CASE status WHEN 'SUCCEEDED' THEN 200 WHEN 'DEAD' THEN (ARRAY[500, 503, 404, NULL])[1 + dn % 4] WHEN 'RETRYING' THEN 503 END,
           CASE WHEN status = 'SUCCEEDED' THEN created_at + interval '1 second' END,
           CASE WHEN status = 'DEAD' THEN created_at + interval '1 day' END,
           created_at${hasDeliveryFacility ? ", facility_id" : ""}
    FROM (
      SELECT e.seq * 2 + r AS dn, 'msg_' || lpad((e.seq * 2 + r)::text, 26, '0') AS id, e.id AS event_id, e.facility_id,
             e.created_at + interval '5 milliseconds' AS created_at,
             CASE WHEN e.aggregate_type = 'booking' THEN (('x' || substr(e.partner_id::text, 25, 12))::bit(48)::bigint) % ${P} * 2 + r - 1
                  ELSE (e.seq + r) % ${E} END AS ep,
             CASE WHEN e.created_at > now() - interval '6 hours'
                       AND (CASE WHEN e.aggregate_type = 'booking' THEN (('x' || substr(e.partner_id::text, 25, 12))::bit(48)::bigint) % ${P} * 2 + r - 1
                                 ELSE (e.seq + r) % ${E} END) = 0
                  THEN CASE WHEN e.created_at > now() - interval '1 minute' THEN 'PENDING' ELSE 'RETRYING' END
                  WHEN ((e.seq * 2 + r) * 761) % 1000 < 25 THEN 'DEAD'
                  ELSE 'SUCCEEDED' END AS status
      FROM events e CROSS JOIN generate_series(1, CASE WHEN e.seq % 5 = 0 THEN 1 ELSE 2 END) r
    ) d;`,
  );

  // Attempts: one per attempt_count of each delivery; the last of a succeeded one is a 200.
  await step(
    "webhook_attempts",
    `
    INSERT INTO webhook_attempts (id, delivery_id, endpoint_id, attempt_number, trigger, started_at, duration_ms, response_status,
                                  failure_class, request_headers, correlation_id)
    SELECT ${uid(9, "substr(d.id, 5)::bigint * 8 + a")}, d.id, d.endpoint_id, a,
           (CASE WHEN a = 1 THEN 'SCHEDULED' ELSE 'RETRY' END)::"AttemptTrigger",
           least(now(), d.created_at + interval '10 milliseconds' + (a - 1) * (a - 1) * interval '3 minutes'),
           CASE WHEN ok THEN 40 + (substr(d.id, 5)::bigint * 37 + a) % 400 WHEN d.last_status IS NULL THEN 10000 ELSE 200 + a * 17 END,
           CASE WHEN ok THEN 200 ELSE d.last_status END,
           (CASE WHEN ok THEN NULL WHEN d.last_status IS NULL THEN 'TIMEOUT' WHEN d.last_status < 500 THEN 'HTTP_4XX' ELSE 'HTTP_5XX' END)::"FailureClass",
           '{"content-type": "application/json", "user-agent": "Holdfast-Webhooks/1"}'::jsonb, NULL
    FROM webhook_deliveries d CROSS JOIN generate_series(1, d.attempt_count) a
    CROSS JOIN LATERAL (SELECT d.status = 'SUCCEEDED' AND a = d.attempt_count AS ok) o;
    UPDATE webhook_endpoints SET consecutive_failures = 57, failing_since = now() - interval '6 hours',
           last_failure_at = now() - interval '1 minute', last_success_at = now() - interval '6 hours'
    WHERE id = 'ep_' || lpad('0', 26, '0');
    UPDATE webhook_endpoints SET last_success_at = now() - interval '1 minute' WHERE id <> 'ep_' || lpad('0', 26, '0');
    INSERT INTO endpoint_pool_acks (endpoint_id, pool_id, acked_version, acked_at)
    SELECT ep.id, p.id, greatest(0, p.inventory_version - CASE WHEN ep.id = 'ep_' || lpad('0', 26, '0') THEN 3 ELSE 0 END), now() - interval '1 minute'
    FROM webhook_endpoints ep CROSS JOIN inventory_pools p;`,
  );

  // Audit: partners holding and confirming, the expiry job, staff at work; 0.3 % denied, 0.2 % failed.
  const A = 2 * B;
  await step(
    "audit_entries",
    `
    INSERT INTO audit_entries (occurred_at, actor_type, actor_id, actor_label, action, target_type, target_id, facility_id, result,
                               reason, ip, user_agent, correlation_id, metadata)
    SELECT ${t0} + (k::float8 / ${A}) * ${span},
           (CASE WHEN m < 45 THEN 'PARTNER' WHEN m < 75 THEN 'SYSTEM' ELSE 'USER' END)::"ActorType",
           CASE WHEN m < 45 THEN ${uid(1, `k % ${P}`)}::text WHEN m < 75 THEN 'expire-holds' ELSE ${uid(6, "k % 16")}::text END,
           CASE WHEN m < 45 THEN 'P-' || lpad((k % ${P})::text, 2, '0') WHEN m < 75 THEN 'system:expire-holds'
                WHEN k % 16 = 0 THEN 'admin@holdfast.test' WHEN k % 16 = 1 THEN 'ops@holdfast.test'
                WHEN k % 16 < 6 THEN 'support' || (k % 16) || '@holdfast.test' ELSE 'manager' || (k % 16 - 6) || '@holdfast.test' END,
           CASE WHEN m < 30 THEN 'booking.hold' WHEN m < 45 THEN 'booking.confirm' WHEN m < 75 THEN 'booking.expire'
                WHEN m < 90 THEN 'booking.cancel' WHEN m < 95 THEN 'unit.block' ELSE 'webhook.replay' END,
           CASE WHEN m < 90 THEN 'booking' WHEN m < 95 THEN 'unit' ELSE 'webhook_delivery' END,
           CASE WHEN m < 90 THEN ${ref(`1 + (k * 7919) % ${B}`)} WHEN m < 95 THEN 'F' || lpad((k % ${F})::text, 2, '0') || '/A-0001'
                ELSE 'msg_' || lpad((k * 3)::text, 26, '0') END,
           ${uid(2, `k % ${F}`)},
           (CASE WHEN k % 1000 < 3 THEN 'DENIED' WHEN k % 1000 < 5 THEN 'FAILED' ELSE 'SUCCESS' END)::"AuditResult",
           CASE WHEN k % 1000 < 3 THEN 'missing permission' WHEN k % 1000 < 5 THEN 'conflict' END,
           CASE WHEN m >= 75 THEN '10.0.' || (k % 250) || '.' || (k % 200) END,
           CASE WHEN m >= 75 THEN 'Mozilla/5.0' END,
           'req_' || lpad(to_hex((k * 2654435761) % 1099511627776), 24, '0'),
           '{}'::jsonb
    FROM generate_series(1::bigint, ${A}) k CROSS JOIN LATERAL (SELECT (k * 37) % 100 AS m) mm;`,
  );

  await step(
    "counters and idempotency records",
    `
    UPDATE inventory_pools p SET total = c.total, available = c.available, held = c.held, booked = c.booked, occupied = c.occupied, blocked = c.blocked
    FROM (SELECT pool_id, count(*)::int AS total, count(*) FILTER (WHERE status = 'AVAILABLE')::int AS available,
                 count(*) FILTER (WHERE status = 'HELD')::int AS held, count(*) FILTER (WHERE status = 'BOOKED')::int AS booked,
                 count(*) FILTER (WHERE status = 'OCCUPIED')::int AS occupied, count(*) FILTER (WHERE status = 'BLOCKED')::int AS blocked
          FROM units GROUP BY pool_id) c
    WHERE c.pool_id = p.id;
    UPDATE bookings b SET inventory_version = p.inventory_version FROM inventory_pools p WHERE p.id = b.pool_id AND b.status IN ('TENTATIVE', 'CONFIRMED');
    INSERT INTO maintenance_blocks (facility_id, unit_id, reason, note, status, starts_at, started_at)
    SELECT u.facility_id, u.id, 'OTHER', 'door', 'ACTIVE', now() - interval '2 days', now() - interval '2 days' FROM units u WHERE u.status = 'BLOCKED';
    INSERT INTO idempotency_records (partner_id, key, fingerprint, method, path, state, response_status, booking_id, correlation_id, created_at, expires_at)
    SELECT b.partner_id, b.idempotency_key, md5(b.reference), 'POST', '/api/v1/bookings', 'COMPLETED', 201, b.id, b.correlation_id,
           b.created_at, b.created_at + interval '24 hours'
    FROM bookings b WHERE b.created_at > now() - interval '24 hours';
    UPDATE webhook_fanout_cursor SET last_txid = (SELECT max(txid) FROM events), last_seq = (SELECT max(seq) FROM events) WHERE id = 1;`,
  );

  const t = performance.now();
  for (const index of indexes) await client.query(index.def);
  seconds["indexes"] = (performance.now() - t) / 1000;
  log(`  ${"indexes (built after the load)".padEnd(34)} ${seconds["indexes"].toFixed(1).padStart(7)} s   (${indexes.length})`);
  await client.query(`SET session_replication_role = origin`);
  await step("vacuum analyze", `VACUUM (ANALYZE)`);

  const { rows } = await client.query<{ t: string; n: string }>(`
    SELECT 'bookings' AS t, count(*) AS n FROM bookings UNION ALL SELECT 'units', count(*) FROM units
    UNION ALL SELECT 'events', count(*) FROM events UNION ALL SELECT 'deliveries', count(*) FROM webhook_deliveries
    UNION ALL SELECT 'dead deliveries', count(*) FROM webhook_deliveries WHERE status = 'DEAD'
    UNION ALL SELECT 'attempts', count(*) FROM webhook_attempts UNION ALL SELECT 'audit entries', count(*) FROM audit_entries`);
  return { counts: Object.fromEntries(rows.map((r) => [r.t, Number(r.n)])), seconds };
}
