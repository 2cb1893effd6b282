// Storage faults with FW_SOAK=1: 1,000 events through the PostgreSQL restart, and the storage
// engineer's SIGKILL crash-recovery tests at their full count (1,000 events, SQLite and PostgreSQL).
import "../reliability/postgres-restart.test.js";
import "../storage/crash-recovery.test.js";
