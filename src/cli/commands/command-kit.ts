import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { resolveContext, type CliContext, type GlobalOptions } from '../cli-context.js';

/** The connection context of a command: its own options plus the global ones. */
export function contextOf(cmd: Command): CliContext {
  return resolveContext(cmd.optsWithGlobals<GlobalOptions>());
}

/** Appends an "Examples:" block to a command's --help. */
export function withExamples(cmd: Command, examples: readonly string[]): Command {
  return cmd.addHelpText('after', `\nExamples:\n${examples.map((e) => `  $ ${e}`).join('\n')}\n`);
}

/** Who is acting, for payloads that record it: the OS user unless --as says otherwise. */
export const currentUser = (): string => {
  try {
    return userInfo().username;
  } catch {
    return 'cli';
  }
};
