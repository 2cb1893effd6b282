export { type SqliteStorage, type SqliteStorageOptions, sqliteStorage } from "./sqlite-storage.js";
