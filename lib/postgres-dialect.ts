/**
 * Kysely's PostgreSQL dialect with its catalogue lookups kept to the database's own schema.
 * Kysely's introspector, which its migrator uses to find its own tables, reads the columns of
 * every table in every schema and calls name-based functions (`has_schema_privilege`) on each: a
 * schema that another client drops meanwhile (a test run cleaning up, an operator removing an old
 * department) fails that query with `invalid_schema_name`, and the department does not start. A
 * department only ever needs its own schema, so that is all this introspector reads.
 */
import {
  DEFAULT_MIGRATION_LOCK_TABLE,
  DEFAULT_MIGRATION_TABLE,
  PostgresDialect,
  sql,
  type DatabaseIntrospector,
  type DatabaseMetadataOptions,
  type Kysely,
  type PostgresDialectConfig,
  type TableMetadata,
} from 'kysely';

interface ColumnRow {
  table: string;
  kind: string;
  column: string;
  type: string;
  type_schema: string;
  not_null: boolean;
  has_default: boolean;
  serial: boolean;
}

export class SchemaPostgresDialect extends PostgresDialect {
  constructor(
    config: PostgresDialectConfig,
    private readonly schema: string,
  ) {
    super(config);
  }

  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    const schema = this.schema;
    const inner = super.createIntrospector(db);
    const getTables = async (
      options: DatabaseMetadataOptions = { withInternalKyselyTables: false },
    ): Promise<TableMetadata[]> => {
      const { rows } = await sql<ColumnRow>`
        SELECT c.relname AS table, c.relkind AS kind, a.attname AS column, t.typname AS type,
               tn.nspname AS type_schema, a.attnotnull AS not_null, a.atthasdef AS has_default,
               coalesce(pg_get_expr(d.adbin, d.adrelid) LIKE 'nextval(%', false) AS serial
        FROM pg_catalog.pg_class c
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid
        JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
        JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace
        LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
        WHERE n.nspname = ${schema} AND c.relkind IN ('r', 'v', 'p')
          AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY c.relname, a.attnum`.execute(db);
      const internal = [DEFAULT_MIGRATION_TABLE, DEFAULT_MIGRATION_LOCK_TABLE];
      const tables = new Map<
        string,
        TableMetadata & { columns: TableMetadata['columns'][number][] }
      >();
      for (const row of rows) {
        if (!options.withInternalKyselyTables && internal.includes(row.table)) continue;
        let table = tables.get(row.table);
        if (!table) {
          table = { name: row.table, isView: row.kind === 'v', schema, columns: [] };
          tables.set(row.table, table);
        }
        table.columns.push({
          name: row.column,
          dataType: row.type,
          dataTypeSchema: row.type_schema,
          isNullable: !row.not_null,
          hasDefaultValue: row.has_default,
          isAutoIncrementing: row.serial,
        });
      }
      return [...tables.values()];
    };
    return {
      getSchemas: () => inner.getSchemas(),
      getTables,
      getMetadata: async (options) => ({ tables: await getTables(options) }),
    };
  }
}
