import { describe, it } from "vitest";
import { ENDPOINT_SCENARIOS, runEndpointScenario } from "../reliability/helpers/endpoint-scenarios.js";

const EVENTS = 1000;

describe("soak: endpoint faults on a real 127.0.0.1 server, 1,000 events each", () => {
  for (const scenario of ENDPOINT_SCENARIOS) {
    it(`${scenario.name}: none of ${EVENTS} events vanishes (${scenario.injected})`, async () => {
      await runEndpointScenario(scenario, EVENTS);
    }, 600_000);
  }
});
