import { createDataSource } from '@vigil/persistence';

/**
 * What a service's entities map that the migrated schema lacks: a missing table or column, or a
 * column the entity expects nullable (or not) where the table says otherwise. Empty when they agree.
 * The migrations define the tables and the entities only describe them, so a drift would otherwise
 * show only as a failing query at run time.
 */
export async function entityColumnMismatches(
  url: string,
  entities: readonly (new () => object)[],
): Promise<string[]> {
  const dataSource = createDataSource({ url, applicationName: 'test-entity-columns', poolSize: 1, entities });
  await dataSource.initialize();
  try {
    const problems: string[] = [];
    for (const entity of entities) {
      const metadata = dataSource.getMetadata(entity);
      const rows = await dataSource.query<{ column_name: string; is_nullable: 'YES' | 'NO' }[]>(
        `SELECT column_name, is_nullable FROM information_schema.columns
          WHERE table_schema = $1 AND table_name = $2`,
        [metadata.schema ?? 'public', metadata.tableName],
      );
      const nullable = new Map(rows.map((row) => [row.column_name, row.is_nullable === 'YES']));
      if (!rows.length) {
        problems.push(`${metadata.name}: no table ${metadata.tablePath}`);
        continue;
      }
      for (const column of metadata.columns) {
        const inTable = nullable.get(column.databaseName);
        if (inTable === undefined)
          problems.push(`${metadata.name}: no column ${metadata.tablePath}.${column.databaseName}`);
        else if (inTable !== column.isNullable)
          problems.push(
            `${metadata.name}.${column.propertyName}: ${column.isNullable ? 'nullable' : 'not null'} in the entity, ${inTable ? 'nullable' : 'not null'} in ${metadata.tablePath}`,
          );
      }
    }
    return problems;
  } finally {
    await dataSource.destroy();
  }
}
