import { kyTransport, undiciTransport } from "../../src/transport/index.js";
import { describeTransportContract } from "./transport-contract.js";

describeTransportContract("undici", (opts) => undiciTransport(opts));
describeTransportContract("ky", (opts) => kyTransport(opts));
