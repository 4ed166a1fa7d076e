-- The schema of the current database as sorted lines of text, one fact per line, so that two databases can be
-- compared line by line (SchemaCatalog.cs). SchemaBeforeBaseline.txt was made by this query, run with
-- `psql -XAt -f` on PostgreSQL 15, on a database the fifteen migrations before the baseline made (at 80066fc).
-- Left out on purpose: column positions (no statement of ours depends on them), owners and grants (they
-- follow the role that migrates), the migration history's rows (the ids are what the baseline changed).
WITH ns AS (
    SELECT oid, nspname FROM pg_namespace
    WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND nspname NOT LIKE 'pg\_temp\_%'
      AND nspname NOT LIKE 'pg\_toast\_temp\_%'
),
rel AS (
    SELECT c.oid, c.relname, c.relkind, c.relpersistence, c.reloptions, c.relrowsecurity,
           quote_ident(ns.nspname) || '.' || quote_ident(c.relname) AS qname
    FROM pg_class c JOIN ns ON ns.oid = c.relnamespace
),
own_functions AS (
    SELECT p.oid, quote_ident(ns.nspname) || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' AS qname
    FROM pg_proc p JOIN ns ON ns.oid = p.pronamespace
    WHERE p.prokind <> 'a'
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
),
lines AS (
    SELECT 'schema ' || quote_ident(nspname) AS line FROM ns WHERE nspname <> 'public'
    UNION ALL
    SELECT 'extension ' || extname FROM pg_extension WHERE extname <> 'plpgsql'
    UNION ALL
    SELECT format('relation %s kind=%s persistence=%s options=%s row_security=%s partition_key=%s',
                  qname, relkind, relpersistence, coalesce(array_to_string(reloptions, ','), '-'), relrowsecurity,
                  coalesce(pg_get_partkeydef(oid), '-'))
    FROM rel WHERE relkind IN ('r', 'p', 'v', 'm', 'f', 'S', 'c')
    UNION ALL
    SELECT format('column %s.%s type=%s %s default=%s identity=%s generated=%s collation=%s',
                  r.qname, quote_ident(a.attname), format_type(a.atttypid, a.atttypmod),
                  CASE WHEN a.attnotnull THEN 'not null' ELSE 'null' END,
                  coalesce(pg_get_expr(d.adbin, d.adrelid), '-'),
                  CASE a.attidentity WHEN '' THEN '-' ELSE a.attidentity::text END,
                  CASE a.attgenerated WHEN '' THEN '-' ELSE a.attgenerated::text END,
                  CASE WHEN a.attcollation = t.typcollation THEN '-' ELSE (SELECT collname FROM pg_collation WHERE oid = a.attcollation) END)
    FROM rel r
    JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
    JOIN pg_type t ON t.oid = a.atttypid
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE r.relkind IN ('r', 'p', 'v', 'm', 'f', 'c')
    UNION ALL
    -- Not-null constraints (contype 'n' from PostgreSQL 18 on) are already said by the columns.
    SELECT format('constraint %s %s: %s', r.qname, quote_ident(c.conname), pg_get_constraintdef(c.oid))
    FROM pg_constraint c JOIN rel r ON r.oid = c.conrelid
    WHERE c.contype <> 'n'
    UNION ALL
    SELECT format('index %s %s: %s', r.qname, quote_ident(i.relname), pg_get_indexdef(x.indexrelid))
    FROM pg_index x JOIN rel r ON r.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid
    UNION ALL
    SELECT format('trigger %s %s: %s enabled=%s', r.qname, quote_ident(t.tgname), pg_get_triggerdef(t.oid), t.tgenabled)
    FROM pg_trigger t JOIN rel r ON r.oid = t.tgrelid
    WHERE NOT t.tgisinternal
    UNION ALL
    -- A function's definition spans lines; each gets its number, so a difference shows where it is.
    SELECT format('function %s %s: %s', f.qname, lpad(n::text, 4, '0'), l)
    FROM own_functions f, regexp_split_to_table(pg_get_functiondef(f.oid), E'\n') WITH ORDINALITY AS s(l, n)
    UNION ALL
    SELECT format('view %s %s: %s', r.qname, lpad(n::text, 4, '0'), l)
    FROM rel r, regexp_split_to_table(pg_get_viewdef(r.oid), E'\n') WITH ORDINALITY AS s(l, n)
    WHERE r.relkind IN ('v', 'm')
    UNION ALL
    SELECT format('sequence %s type=%s start=%s increment=%s min=%s max=%s cache=%s cycle=%s owned_by=%s',
                  r.qname, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
                  coalesce((SELECT o.qname || '.' || quote_ident(a.attname) || ' ' || d.deptype::text
                            FROM pg_depend d
                            JOIN rel o ON o.oid = d.refobjid
                            JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                            WHERE d.classid = 'pg_class'::regclass AND d.objid = r.oid AND d.deptype IN ('a', 'i')), '-'))
    FROM rel r JOIN pg_sequence s ON s.seqrelid = r.oid
    UNION ALL
    SELECT format('type %s.%s kind=%s enum=%s domain=%s', quote_ident(ns.nspname), quote_ident(t.typname), t.typtype,
                  coalesce((SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid), '-'),
                  CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) || ' notnull=' || t.typnotnull ELSE '-' END)
    FROM pg_type t JOIN ns ON ns.oid = t.typnamespace
    WHERE t.typtype IN ('e', 'd', 'r', 'm')
    UNION ALL
    SELECT format('domain constraint %s.%s %s: %s', quote_ident(ns.nspname), quote_ident(t.typname), quote_ident(c.conname), pg_get_constraintdef(c.oid))
    FROM pg_constraint c JOIN pg_type t ON t.oid = c.contypid JOIN ns ON ns.oid = t.typnamespace
    UNION ALL
    SELECT format('policy %s %s: cmd=%s permissive=%s roles=%s using=%s check=%s', r.qname, quote_ident(p.polname), p.polcmd,
                  p.polpermissive, p.polroles::text, coalesce(pg_get_expr(p.polqual, p.polrelid), '-'),
                  coalesce(pg_get_expr(p.polwithcheck, p.polrelid), '-'))
    FROM pg_policy p JOIN rel r ON r.oid = p.polrelid
    UNION ALL
    SELECT format('comment %s: %s', r.qname, obj_description(r.oid, 'pg_class'))
    FROM rel r WHERE obj_description(r.oid, 'pg_class') IS NOT NULL
    UNION ALL
    SELECT format('comment %s.%s: %s', r.qname, quote_ident(a.attname), col_description(r.oid, a.attnum))
    FROM rel r JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
    WHERE col_description(r.oid, a.attnum) IS NOT NULL
    UNION ALL
    -- Rows a migration seeds (Quartz's lock rows) belong to what it makes.
    SELECT format('row %s: %s', r.qname, x.row_text)
    FROM rel r,
         xpath('/table/row/r/text()', query_to_xml(format('SELECT t::text AS r FROM %s t', r.qname), false, false, '')) AS v(rows),
         unnest(v.rows) AS x(row_text)
    WHERE r.relkind IN ('r', 'p') AND r.relname <> '__EFMigrationsHistory'
)
SELECT rtrim(line) AS line FROM lines ORDER BY rtrim(line) COLLATE "C";
