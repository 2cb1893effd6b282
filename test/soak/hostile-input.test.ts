// The property-based hostile-input suites of test/reliability, with FW_SOAK=1: ten times the runs
// (thousands of cases each). Importing a test file registers its tests here.
import "../reliability/receiver-hostile-body.test.js";
import "../reliability/receiver-hostile-framing.test.js";
import "../reliability/receiver-tokens.test.js";
import "../reliability/receiver-socket.test.js";
import "../reliability/config-input.test.js";
