/**
 * `feedback-webhooks/testing`: build valid events, sign them like the dispatcher does, ready test
 * keys, and the dispatcher's recording transport and manual clock for your own tests.
 * msw handlers live in `feedback-webhooks/testing/msw`, so this entry never needs msw.
 */
export { createTestEvent, type TestEventOverrides } from "./create-test-event.js";
export { createManualClock, type ManualClock } from "./manual-clock.js";
export { createRecordingTransport, type RecordingTransport, type ScriptedAnswer } from "./recording-transport.js";
export {
  type SignedTestPayload,
  type SignTestRequestOptions,
  signTestPayload,
  signTestRequest,
} from "./sign-test-request.js";
export { TEST_ISSUER, TEST_WEBHOOK_URL, type TestKey, testKeys } from "./test-keys.js";
