import type Database from "better-sqlite3";

/** The shape of one multi-row INSERT: `${head} ${row}, ${row}, … ${tail}`. */
export interface BulkInsertShape {
  /** Up to `VALUES`, e.g. `INSERT INTO t (a, b) VALUES`. */
  head: string;
  /** One row's placeholders, e.g. `(?, ?)`. */
  row: string;
  /** After the rows (an `ON CONFLICT …` clause), or empty. */
  tail: string;
  /** Placeholders per row. */
  width: number;
}

// Statements of 2^k rows, k ≤ 8: any row count is a sum of them, so nine statements per table
// and connection cover every batch. 256 rows of nine values bind 2,304 parameters, far below
// SQLite's 32,766, and such a statement costs a fraction of a millisecond to prepare.
const MAX_ROWS = 256;

/**
 * Returns a function that inserts rows given as one flat list of values (`width` per row) with
 * as few multi-row INSERTs as the row count allows: one statement per 256 rows, and one per
 * power of two of the remainder. Statements are prepared on first use and kept.
 *
 * @example
 * ```ts
 * const insertPairs = bulkInsert(db, { head: "INSERT INTO t (a, b) VALUES", row: "(?, ?)", tail: "", width: 2 });
 * insertPairs(["a1", "b1", "a2", "b2"]);
 * ```
 */
export function bulkInsert(db: Database.Database, shape: BulkInsertShape): (values: readonly unknown[]) => void {
  const statements = new Map<number, Database.Statement>();
  const statementOf = (rows: number) => {
    let statement = statements.get(rows);
    if (statement === undefined) {
      statement = db.prepare(`${shape.head} ${Array(rows).fill(shape.row).join(", ")} ${shape.tail}`);
      statements.set(rows, statement);
    }
    return statement;
  };
  return (values) => {
    let at = 0;
    for (let rows = MAX_ROWS; rows >= 1; rows >>= 1) {
      const size = rows * shape.width;
      while (values.length - at >= size) {
        statementOf(rows).run(values.slice(at, at + size));
        at += size;
      }
    }
  };
}
