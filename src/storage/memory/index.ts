export { memoryStorage } from "./memory-storage.js";
export { MemoryConfigStorage } from "./memory-config-storage.js";
