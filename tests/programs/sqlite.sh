#!/usr/bin/env bash
# sqlite3 under the library: 100,000 rows inserted by a recursive CTE, two
# indexes, range and join queries, grouping, a window function, updates,
# deletes, an integrity check, VACUUM, and a SHA3 of the whole table; once on
# a database file, once in memory.
# Usage: bash tests/programs/sqlite.sh /abs/path/to/libft_malloc.so
. "$(dirname "$0")/programs_common.bash"

cat >"$pg_in/script.sql" <<'SQL'
.bail on
PRAGMA cache_size = -65536;
CREATE TABLE t(id INTEGER PRIMARY KEY, k INTEGER NOT NULL, name TEXT NOT NULL, v REAL, b BLOB);
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000)
INSERT INTO t
SELECT x,
       (x * 2654435761) % 1000003,
       printf('name-%06d-%s', (x * 7919) % 100000, substr('abcdefghijklmnopqrstuvwxyz', 1 + x % 26, 1 + x % 17)),
       x * 0.5,
       zeroblob(x % 300)
FROM c;
CREATE INDEX t_k ON t(k);
CREATE INDEX t_name ON t(name);
SELECT 'rows', count(*), sum(k), min(name), max(name), sum(length(b)) FROM t;
SELECT 'range', id, k, name FROM t WHERE k BETWEEN 1000 AND 1200 ORDER BY k, id;
SELECT 'group', k % 10, count(*), sum(v) FROM t GROUP BY k % 10 ORDER BY 2;
SELECT 'prefix', substr(name, 1, 8), count(*) FROM t GROUP BY 2 ORDER BY 3 DESC, 2 LIMIT 12;
SELECT 'join', count(*), sum(a.v + b.v) FROM t a JOIN t b ON b.id = a.k % 100000 + 1 WHERE a.id <= 20000;
SELECT 'window', id, k, sum(k) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) FROM t WHERE id <= 20;
SELECT 'order-no-index', id, v FROM t ORDER BY v * (id % 7) DESC, id LIMIT 10;
SELECT 'distinct', count(DISTINCT substr(name, 13)) FROM t;
UPDATE t SET name = name || '-updated', b = x'' WHERE id % 3 = 0;
DELETE FROM t WHERE id % 5 = 0;
SELECT 'after', count(*), sum(length(name)), sum(length(b)) FROM t;
SELECT 'by-name', name FROM t WHERE name >= 'name-05' ORDER BY name LIMIT 8;
PRAGMA integrity_check;
VACUUM;
SELECT 'sha3', hex(sha3_query('SELECT * FROM t ORDER BY id'));
PRAGMA integrity_check;
SQL

pg_check_maps
pg_check sqlite3-100k-rows-file sh -c 'sqlite3 -batch test.db < "$1"' sh "$pg_in/script.sql"
pg_check sqlite3-100k-rows-memory sh -c 'sqlite3 -batch :memory: < "$1"' sh "$pg_in/script.sql"

pg_finish
