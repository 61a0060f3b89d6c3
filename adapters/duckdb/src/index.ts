/** `@resoft/adapter-duckdb`: SQL over analytical tables and Parquet files with DuckDB, loaded when the SQL or Parquet feature is first used. */
export * from './analytics/duckdb-sql-sandbox.js';
export * from './analytics/duckdb-columnar-files.js';
