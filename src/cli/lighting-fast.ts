/**
 * The plain `lykta lighting` call as one CommonJS bundle (dist-cli/lighting-fast.cjs, built
 * beside lykta.js by vite.cli.config.ts), so entry.ts can run it through a V8 code cache
 * (node:vm's cachedData; Node 20 has no module compile cache). The cache keeps the compiled
 * bytecode of everything a run compiled, so the next run neither parses this code nor
 * compiles its functions again (benchmark 8f times the whole process).
 *
 * Only what a plain call runs is in it: the command, the byte scanner, the model and the
 * writer. Importers for other files come through the loaders entry.ts passes (ES modules).
 */
export { EXIT, isCallProblem } from "./io";
export { lightingCommand, plainLightingOptions } from "./lighting-command";
