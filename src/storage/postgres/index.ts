export type { PostgresStorageOptions } from "./postgres-connection.js";
export { migrate, type PostgresStorage, postgresStorage } from "./postgres-storage.js";
