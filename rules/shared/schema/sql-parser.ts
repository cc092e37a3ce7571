// node-sql-parser, one grammar per dialect, loaded on first use: each build is a
// few hundred kilobytes, and most projects never make us read SQL.
import type { Parser } from 'node-sql-parser';

export type SqlDialect = 'postgresql' | 'mysql';

const parsers = new Map<SqlDialect, Parser | null>();

/** The parser for `dialect`, or undefined when the library cannot be loaded. */
export function sqlParser(dialect: SqlDialect): Parser | undefined {
  let p = parsers.get(dialect);
  if (p === undefined) {
    try {
      // Literal specifiers, so a bundler sees both builds.
      const mod = (dialect === 'postgresql' ? require('node-sql-parser/build/postgresql') : require('node-sql-parser/build/mysql')) as { Parser: new () => Parser };
      p = new mod.Parser();
    } catch {
      p = null;
    }
    parsers.set(dialect, p);
  }
  return p ?? undefined;
}
