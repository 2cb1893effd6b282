// The example unit test lives in examples/ (where users look for it); importing it here registers
// its tests in this run, so the example is checked exactly as written.
import "../../examples/receiver.test.js";
