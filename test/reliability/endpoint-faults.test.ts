import { describe, it } from "vitest";
import { ENDPOINT_SCENARIOS, runEndpointScenario } from "./helpers/endpoint-scenarios.js";

// Short version: 20 events per fault. test/soak/endpoint-faults.test.ts runs 1,000.
const EVENTS = 20;

describe("endpoint faults on a real 127.0.0.1 server: every event ends delivered or dead-lettered with a full attempt log", () => {
  for (const scenario of ENDPOINT_SCENARIOS) {
    it(`${scenario.name}: none of ${EVENTS} events vanishes (${scenario.injected})`, async () => {
      await runEndpointScenario(scenario, EVENTS);
    });
  }
});
