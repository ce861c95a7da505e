/**
 * What every `lykta` command shares (lykta.ts and the *-command.ts files): the exit statuses,
 * where lines go, the error for a mistake in the call, the option checks, reading and writing
 * files with a readable reason, and problem lines as `file: where: reason`.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import type { ImportIssue } from "../domain/import/types";

/** The exit statuses of every lykta command; `internal` is a bug (lykta.ts prints the trace). */
export const EXIT = { ok: 0, invalid: 1, usage: 2, internal: 3 } as const;

/** Where a command prints: `out` for results and problem lines, `err` for everything else. */
export interface CommandOutput {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** The options as lykta.ts parsed them, for a command to check. */
export type CommandOptions = Readonly<Record<string, unknown>>;

/**
 * A mistake in how lykta was called: exit 2, `lykta: message` and a pointer to the help
 * (`pointer` false: a file that cannot be read or written, where the help would not help).
 */
export class CallProblem extends Error {
  /** Marks a CallProblem of any copy of this module (the code-cached bundle has its own). */
  readonly callProblem = true;

  constructor(
    message: string,
    readonly pointer = true,
  ) {
    super(message);
  }
}

/** A CallProblem, from this module or from another bundle's copy of it (entry.ts). */
export function isCallProblem(error: unknown): error is CallProblem {
  return (
    error instanceof CallProblem ||
    (error instanceof Error && (error as { callProblem?: unknown }).callProblem === true)
  );
}

/** A readable reason for a failed file operation (the errno code), else the error's message. */
export function systemReason(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case "ENOENT":
      return "no such file or folder";
    case "EISDIR":
      return "is a folder, not a file";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "ENOTDIR":
      return "a part of the path is not a folder";
    case "ENOSPC":
      return "the disk is full";
    default:
      return (error as Error).message;
  }
}

export function readBytes(path: string): Uint8Array {
  try {
    const buffer = readFileSync(path);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (error) {
    throw new CallProblem(`cannot read ${path}: ${systemReason(error)}`, false);
  }
}

/** Writes bytes, or text as UTF-8. */
export function writeOutput(path: string, data: Uint8Array | string): void {
  try {
    writeFileSync(path, data);
  } catch (error) {
    throw new CallProblem(`cannot write ${path}: ${systemReason(error)}`, false);
  }
}

/** Creates a folder and its parents (none when it is there already). */
export function createFolder(path: string): void {
  try {
    mkdirSync(path, { recursive: true });
  } catch (error) {
    throw new CallProblem(`cannot create ${path}: ${systemReason(error)}`, false);
  }
}

/** `file: where: reason`; a problem with the whole file (`where` "file" or "") is `file: reason`. */
export function problemText(file: string, where: string, reason: string): string {
  return where === "file" || where === "" ? `${file}: ${reason}` : `${file}: ${where}: ${reason}`;
}

/**
 * An importer's issue as a problem line (problemText). The file name is not repeated when the
 * importer's sentence about the whole file starts with it: "a.json: is not valid JSON".
 */
export function problemLine(file: string, issue: ImportIssue): string {
  const whole = issue.where === "file" || issue.where === "";
  const reason =
    whole && issue.message.startsWith(`${file} `)
      ? issue.message.slice(file.length + 1)
      : issue.message;
  return problemText(file, issue.where, reason);
}

/** Refuses the options that `command` does not take (lykta.ts parses every command's). */
export function onlyOptions<T extends object>(
  command: string,
  options: T,
  allowed: readonly (keyof T & string)[],
): void {
  for (const [name, value] of Object.entries(options)) {
    if (value !== undefined && !(allowed as readonly string[]).includes(name)) {
      throw new CallProblem(`${command} takes no --${name} (see lykta --help)`);
    }
  }
}

/** A string option's value; undefined when it is not given. */
export function textOption(options: CommandOptions, name: string): string | undefined {
  const value = options[name];
  return typeof value === "string" ? value : undefined;
}

/** A string option the command needs: refused with `message` when missing or empty. */
export function requiredOption(options: CommandOptions, name: string, message: string): string {
  const value = textOption(options, name);
  if (value === undefined || value === "") throw new CallProblem(message);
  return value;
}

/**
 * A number option, or null when it is not given. Refused (exit 2) unless it is a finite number,
 * above 0 (`positive`) or at least 0; `what` names the unit in the refusal ("metres").
 */
export function numberOption(
  options: CommandOptions,
  name: string,
  what: string,
  { positive }: { positive: boolean },
): number | null {
  const value = options[name];
  if (value === undefined) return null;
  const number = Number(value);
  if (
    typeof value !== "string" ||
    value.trim() === "" ||
    !Number.isFinite(number) ||
    (positive ? number <= 0 : number < 0)
  ) {
    throw new CallProblem(
      `--${name} ${String(value)}: give a ${positive ? "positive" : "non-negative"} number of ${what}`,
    );
  }
  return number;
}
