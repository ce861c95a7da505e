/**
 * The server's SQL schema as numbered, named migrations, applied in order and recorded in
 * `schema_migrations`, the same on PostgreSQL and PGlite. A migration is never edited once
 * released: a change is a new migration. Several server instances starting at once are
 * serialised by an advisory lock, so each migration runs once.
 *
 * Geometries are EPSG:4326 (WGS 84 lon/lat, as the records hold them) with GiST indexes;
 * the `*_sweref99tm` views give them in EPSG:3006 for the municipal GIS, and the
 * `*_wgs84` views the same attributes in WGS 84 (QGIS adds either as a PostGIS layer).
 */
import type { Database } from "./database";

export interface SchemaMigration {
  version: number;
  name: string;
  sql: string;
}

/** Key of the advisory lock that serialises migrations (any fixed number). */
const MIGRATION_LOCK_KEY = 7_482_001;

export const SCHEMA_MIGRATIONS: readonly SchemaMigration[] = [
  {
    version: 1,
    name: "records-conflicts-blobs-tokens",
    sql: `
CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE projects (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  -- The last change number handed out in this project (records.seq, conflicts.seq).
  last_seq    bigint NOT NULL DEFAULT 0
);

CREATE TABLE records (
  project_id    text NOT NULL REFERENCES projects (id),
  id            text NOT NULL,
  kind          text NOT NULL,
  walk_id       text,
  shape_version integer NOT NULL,
  deleted       boolean NOT NULL,
  fields        jsonb NOT NULL,
  clock         jsonb NOT NULL,
  -- Observation geometry, a walk's area; null for other kinds and tombstones.
  geom          geometry(Geometry, 4326),
  -- The change number of the record's last change: pull returns records with seq > cursor.
  seq           bigint NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (project_id, id)
);
CREATE INDEX records_project_seq ON records (project_id, seq);
CREATE INDEX records_project_kind ON records (project_id, kind);
CREATE INDEX records_project_walk ON records (project_id, walk_id);
CREATE INDEX records_geom ON records USING gist (geom);

CREATE TABLE conflicts (
  project_id  text NOT NULL REFERENCES projects (id),
  id          text NOT NULL,
  record_id   text NOT NULL,
  entry       jsonb NOT NULL,
  seq         bigint NOT NULL,
  PRIMARY KEY (project_id, id)
);
CREATE INDEX conflicts_project_seq ON conflicts (project_id, seq);

CREATE TABLE blobs (
  project_id     text NOT NULL REFERENCES projects (id),
  sha256         text NOT NULL,
  length_bytes   bigint NOT NULL,
  received_bytes bigint NOT NULL DEFAULT 0,
  data           bytea NOT NULL DEFAULT ''::bytea,
  complete       boolean NOT NULL DEFAULT false,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (project_id, sha256)
);

CREATE TABLE join_codes (
  id            text PRIMARY KEY,
  project_id    text NOT NULL REFERENCES projects (id),
  -- SHA-256 (hex) of the normalised code; the code itself is shown once and never stored.
  code_hash     text NOT NULL UNIQUE,
  role          text NOT NULL,
  walk_id       text,
  organisation  text,
  -- Lifetime of the tokens this code gives, hours; null: the server's --token-days.
  token_hours   double precision,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  revoked_at    timestamptz,
  used_count    integer NOT NULL DEFAULT 0
);

CREATE TABLE tokens (
  id            text PRIMARY KEY,
  project_id    text NOT NULL REFERENCES projects (id),
  -- SHA-256 (hex) of the bearer token; the token itself is returned once and never stored.
  token_hash    text NOT NULL UNIQUE,
  role          text NOT NULL,
  join_code_id  text REFERENCES join_codes (id),
  organisation  text,
  device_id     text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  revoked_at    timestamptz,
  last_used_at  timestamptz
);

-- Walks a team owns: by its join code, so every tablet of the team (one token each) may
-- write them.
CREATE TABLE walk_owners (
  project_id    text NOT NULL REFERENCES projects (id),
  walk_id       text NOT NULL,
  join_code_id  text NOT NULL REFERENCES join_codes (id),
  PRIMARY KEY (project_id, walk_id, join_code_id)
);

CREATE VIEW observations_wgs84 AS
SELECT project_id, id, walk_id,
       fields->>'categoryId' AS category_id,
       (fields->>'severity')::integer AS severity,
       fields->>'note' AS note,
       (fields->>'illuminanceLux')::double precision AS illuminance_lux,
       to_timestamp((fields->>'observedAt')::double precision / 1000) AS observed_at,
       ST_GeometryType(geom) AS geometry_type,
       geom
FROM records
WHERE kind = 'observation' AND NOT deleted AND geom IS NOT NULL;

CREATE VIEW observations_sweref99tm AS
SELECT project_id, id, walk_id, category_id, severity, note, illuminance_lux, observed_at,
       geometry_type, ST_Transform(geom, 3006)::geometry(Geometry, 3006) AS geom
FROM observations_wgs84;

CREATE VIEW walks_wgs84 AS
SELECT project_id, id, fields->>'name' AS name, fields->>'date' AS walk_date,
       fields->>'areaName' AS area_name, geom
FROM records
WHERE kind = 'walk' AND NOT deleted;

CREATE VIEW walks_sweref99tm AS
SELECT project_id, id, name, walk_date, area_name,
       ST_Transform(geom, 3006)::geometry(Geometry, 3006) AS geom
FROM walks_wgs84;
`,
  },
];

/** Apply the migrations this database lacks; returns the versions it has afterwards. */
export async function migrate(database: Database): Promise<number[]> {
  return database.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    integer PRIMARY KEY,
      name       text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const applied = new Set(
      (await tx.query<{ version: number }>("SELECT version FROM schema_migrations")).map((row) =>
        Number(row.version),
      ),
    );
    for (const migration of SCHEMA_MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      // One statement at a time: the extended protocol (parameters) takes one per call.
      for (const statement of splitStatements(migration.sql)) await tx.query(statement);
      await tx.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [
        migration.version,
        migration.name,
      ]);
      applied.add(migration.version);
    }
    return [...applied].sort((a, b) => a - b);
  });
}

/** Split a migration at semicolons that end a line (migrations contain no other ones). */
function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*\n/)
    .map((statement) =>
      statement
        .split("\n")
        .filter((line) => !line.trim().startsWith("--"))
        .join("\n")
        .trim(),
    )
    .filter((statement) => statement !== "");
}
