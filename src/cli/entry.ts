/**
 * The `lykta` program as built (dist-cli/lykta.js, vite.cli.config.ts): loads only what the
 * command needs. A plain `lykta lighting` call (plainLightingOptions) runs lighting-command.ts
 * without lykta.ts and the importers, CRS code and exporters it loads (benchmark 8f times the
 * whole process); every other call goes to lykta.ts's `main`, which parses and checks it.
 *
 * Node's compile cache (Node >= 22.1) keeps the compiled bundle between runs when present;
 * on Node 20 it does nothing.
 */
import * as nodeModule from "node:module";
import type { CommandOutput } from "./io";

try {
  // Not in Node 20's typings (nor a named import: Node 20 would refuse to load the module).
  (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
} catch {
  // No cache (a read-only cache folder, ...): the program runs as without one.
}

const io: CommandOutput = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** As main() in lykta.ts reports a mistake in the call, or a bug. */
async function reported(work: () => Promise<number>): Promise<number> {
  const { CallProblem, EXIT } = await import("./io");
  try {
    return await work();
  } catch (error) {
    if (error instanceof CallProblem) {
      io.err(`lykta: ${error.message}`);
      if (error.pointer) io.err("Try: lykta serve --help");
      return EXIT.usage;
    }
    io.err("lykta: internal error. This is a bug in Lykta, not a problem with your file or");
    io.err("command; please report it with the command you ran and this trace:");
    io.err((error as Error)?.stack ?? String(error));
    return EXIT.internal;
  }
}

async function run(argv: string[]): Promise<number> {
  if (argv[0] === "serve") {
    // The sync server loads only its own modules (Hono, the database drivers, the domain).
    const { serveCommand } = await import("../server/serve-command");
    return reported(() => serveCommand(argv.slice(1), io));
  }
  if (argv[0] === "lighting") {
    const lighting = await import("./lighting-command");
    const options = lighting.plainLightingOptions(argv.slice(1));
    if (options !== null) {
      const { CallProblem, EXIT } = await import("./io");
      try {
        return await lighting.lightingCommand([], options, io);
      } catch (error) {
        // As main() in lykta.ts reports a mistake in the call, or a bug.
        if (error instanceof CallProblem) {
          io.err(`lykta: ${error.message}`);
          if (error.pointer) io.err("Try: lykta --help");
          return EXIT.usage;
        }
        io.err("lykta: internal error. This is a bug in Lykta, not a problem with your file or");
        io.err("command; please report it with the command you ran and this trace:");
        io.err((error as Error)?.stack ?? String(error));
        return EXIT.internal;
      }
    }
  }
  const { main } = await import("./lykta");
  return main(argv, io);
}

process.exitCode = await run(process.argv.slice(2));
