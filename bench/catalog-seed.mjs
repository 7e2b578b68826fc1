// Shared by the benchmarks: a synthetic catalog of N API items written straight into a migrated
// apivault database (one source, one run, one artifact), fast enough for 100,000 items.

/** A synthetic estate: realistic words in names, paths, descriptions and tags; mixed vendors. */
export async function seedCatalog(client, n) {
  await client.query('BEGIN');
  const source = (await client.query(`INSERT INTO sources (id, name, kind, config, updated_at) VALUES (gen_random_uuid(), 'bench', 'bench.synthetic', '{}', now()) RETURNING id`)).rows[0].id;
  const run = (await client.query(`INSERT INTO runs (id, source_id, slot, trigger, status) VALUES (gen_random_uuid(), $1, 'bench', 'bench', 'succeeded') RETURNING id`, [source])).rows[0].id;
  await client.query(`INSERT INTO artifacts (sha256, size, storage_key) VALUES ($1, 0, 'bench')`, ['0'.repeat(64)]);
  await client.query(
    `CREATE TEMP TABLE gen AS
     SELECT g,
            gen_random_uuid() AS item_id,
            gen_random_uuid() AS version_id,
            (ARRAY['order','user','payment','invoice','product','inventory','shipment','account','report','customer'])[1 + g % 10] AS resource,
            (ARRAY['list','get','create','update','cancel','delete','search','export'])[1 + (g / 10) % 8] AS action,
            (ARRAY['GET','POST','PUT','DELETE'])[1 + g % 4] AS method,
            (ARRAY['huawei','alibaba'])[1 + g % 2] AS vendor,
            (ARRAY['published','unpublished','developing'])[1 + g % 3] AS status,
            (ARRAY['app','iam','none'])[1 + (g / 7) % 3] AS auth_type,
            ARRAY[(ARRAY['finance','sales','ops','hr','risk'])[1 + g % 5], 'team-' || (g % 40)] AS tags
     FROM generate_series(1, $1::int) g`,
    [n],
  );
  await client.query(
    `INSERT INTO catalog_items (id, source_id, kind, external_id, name, scope, current_version_id, current_hash, updated_at)
     SELECT item_id, $1, 'api', 'api-' || g, resource || '_' || action || '_' || g, '', version_id, md5(g::text), now() FROM gen`,
    [source],
  );
  await client.query(
    `INSERT INTO catalog_versions (id, item_id, seq, content_hash, document, redacted_paths, run_id, artifact_sha256, vendor, method, path, status, auth_type, tags, search_text)
     SELECT version_id, item_id, 1, md5(g::text), jsonb_build_object('name', resource || '_' || action || '_' || g), '{}', $1, $2,
            vendor, method, '/v1/' || resource || 's/' || action, status, auth_type, tags,
            lower(resource || '_' || action || '_' || g || ' /v1/' || resource || 's/' || action || ' ' || action || ' a ' || resource || ' record for the ' || tags[1] || ' team ' || array_to_string(tags, ' '))
     FROM gen`,
    [run, '0'.repeat(64)],
  );
  await client.query(`INSERT INTO change_events (item_id, run_id, version_id, type) SELECT item_id, $1, version_id, 'added' FROM gen`, [run]);
  await client.query('COMMIT');
  await client.query('ANALYZE');
}
