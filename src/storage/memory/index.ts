export { MemoryConfigStorage } from "./memory-config-storage.js";
export { MemoryDeliveryStorage } from "./memory-delivery-storage.js";
export { MemoryEndpointStates } from "./memory-endpoint-states.js";
export { MemoryStorage, type MemoryStorageOptions, memoryStorage } from "./memory-storage.js";
