/**
 * Benchmark 12 (`npm run bench -- sync`): builds test/bench/sync-load.ts for Node (as the CLI
 * is built, vite.cli.config.ts) and runs it: `lykta serve` on loopback against PGlite and
 * PostgreSQL, 50 simulated tablets syncing at once, against one record a request.
 */
import { join } from "node:path";
import { runCommand } from "./lib.mjs";

export async function benchSync(root) {
  const outDir = join(root, ".cache/sync-bench");
  await runCommand(
    "npx",
    [
      "vite",
      "build",
      "--config",
      "vite.cli.config.ts",
      "--ssr",
      "test/bench/sync-load.ts",
      "--outDir",
      outDir,
    ],
    { cwd: root, env: { ...process.env, NO_COLOR: "1" } },
  );
  const output = await runCommand(process.execPath, [join(outDir, "lykta.js")], { cwd: root });
  let json = null;
  for (const line of output.split("\n")) {
    if (line.startsWith("SYNC_BENCH_JSON "))
      json = JSON.parse(line.slice("SYNC_BENCH_JSON ".length));
    else if (line.trim() !== "") console.log(line);
  }
  return json;
}
