/**
 * The `lykta` program as built (dist-cli/lykta.js, vite.cli.config.ts): loads only what the
 * command needs. A plain `lykta lighting` call (plainLightingOptions) runs the command from
 * dist-cli/lighting-fast.cjs through a V8 code cache (below), without lykta.ts and the
 * importers, CRS code and exporters it loads (benchmark 8f times the whole process); every
 * other call goes to lykta.ts's `main`, which parses and checks it.
 *
 * Node's compile cache (Node >= 22.1) keeps the compiled ES modules between runs when
 * present; on Node 20 it does nothing.
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import * as nodeModule from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Script } from "node:vm";
import type { CommandOutput } from "./io";
import { LIGHTING_LOADERS } from "./lighting-loaders";

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

type LightingFast = typeof import("./lighting-fast");

/**
 * dist-cli/lighting-fast.cjs through node:vm with the code cache beside it
 * (lighting-fast.v8cache), and a function that writes a new cache after the run when there
 * was none or V8 refused it (another Node version, a rebuilt bundle). Null without the
 * bundle (a build without it): then the ES modules run.
 */
function loadLightingFast(): { module: LightingFast; saveCache: () => void } | null {
  const file = join(dirname(fileURLToPath(import.meta.url)), "lighting-fast.cjs");
  const cacheFile = join(dirname(file), "lighting-fast.v8cache");
  let source: string;
  try {
    source = readFileSync(file, "utf8");
  } catch {
    return null;
  }
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(
    `(function (exports, require, module, __filename, __dirname) {${source}\n})`,
    { filename: file, ...(cachedData === undefined ? {} : { cachedData }) },
  );
  const module = { exports: {} as LightingFast };
  (script.runInThisContext() as (...args: unknown[]) => void)(
    module.exports,
    nodeModule.createRequire(file),
    module,
    file,
    dirname(file),
  );
  const fresh = cachedData === undefined || script.cachedDataRejected === true;
  return {
    module: module.exports,
    saveCache: () => {
      if (!fresh) return;
      try {
        // After the run, so the cache holds every function the run compiled; through a
        // temporary file, so a run that reads it meanwhile never sees half a cache.
        const temporary = `${cacheFile}.${process.pid}`;
        writeFileSync(temporary, script.createCachedData());
        renameSync(temporary, cacheFile);
      } catch {
        // A read-only install: every run compiles, as without a cache.
      }
    },
  };
}

async function run(argv: string[]): Promise<number> {
  if (argv[0] === "serve") {
    // The sync server loads only its own modules (Hono, the database drivers, the domain).
    const { serveCommand } = await import("../server/serve-command");
    return reported(() => serveCommand(argv.slice(1), io));
  }
  if (argv[0] === "lighting") {
    const fast = loadLightingFast();
    const lighting = fast?.module ?? (await import("./lighting-fast"));
    const options = lighting.plainLightingOptions(argv.slice(1));
    if (options !== null) {
      try {
        return await lighting.lightingCommand([], options, io, LIGHTING_LOADERS);
      } catch (error) {
        // As main() in lykta.ts reports a mistake in the call, or a bug.
        if (lighting.isCallProblem(error)) {
          io.err(`lykta: ${error.message}`);
          if (error.pointer) io.err("Try: lykta --help");
          return lighting.EXIT.usage;
        }
        io.err("lykta: internal error. This is a bug in Lykta, not a problem with your file or");
        io.err("command; please report it with the command you ran and this trace:");
        io.err((error as Error)?.stack ?? String(error));
        return lighting.EXIT.internal;
      } finally {
        fast?.saveCache();
      }
    }
  }
  const { main } = await import("./lykta");
  return main(argv, io);
}

process.exitCode = await run(process.argv.slice(2));
