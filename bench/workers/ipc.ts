/** The child side of the bench's IPC: typed handlers per message type, replies with `type`. */
export type Message = { type: string } & Record<string, unknown>;

/** Sends a message to the bench. */
export function send(message: Message): void {
  process.send?.(message);
}

/**
 * Handles messages of one type; a handler's result (if any) is sent back. A thrown error is
 * sent as `{ type: replyType, error }`, so the bench fails with the cause instead of a timeout.
 */
export function handle(type: string, replyType: string, handler: (message: Message) => unknown): void {
  process.on("message", async (raw: Message) => {
    if (raw.type !== type) return;
    try {
      const result = (await handler(raw)) as Record<string, unknown> | undefined;
      send({ type: replyType, ...result });
    } catch (error) {
      send({ type: replyType, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  });
}

/** `{ type: "exit" }` runs `cleanup` and exits; the bench sends it to stop a worker. */
export function onExit(cleanup: () => unknown = () => undefined): void {
  process.on("message", async (raw: Message) => {
    if (raw.type !== "exit") return;
    try {
      await cleanup();
    } finally {
      process.exit(0);
    }
  });
  // The bench died: do not linger.
  process.on("disconnect", () => process.exit(0));
}
