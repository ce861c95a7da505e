/** For the CLI tests: run `lykta` through `main`, as the command line runs it. */
import { main } from "./lykta";

/** The exit status and the lines printed to stdout (`out`) and stderr (`err`). */
export async function lykta(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const status = await main(argv, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { status, out, err };
}
