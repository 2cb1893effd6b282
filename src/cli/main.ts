import { runCli } from "./run-cli.js";

// A reader that stops early (`… --json | head -1`) closes the pipe: that ends the output, it is
// not a failure worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

// The `feedback-webhooks` bin (dist/cli.js). Setting exitCode rather than calling exit() lets
// pending output drain first.
process.exitCode = await runCli(process.argv);
