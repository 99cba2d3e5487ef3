// A compose project on a host: its name (compose's own rule), and the one builder of compose command
// lines (`cd -- <dir> && docker compose -p <name> -f <file> --env-file <file> <args>`), quoted by the core.
import type { ComposeConfig } from '../config/types.js';
import { ConfigurationError } from '../errors.js';
import { truncate } from '../inputs.js';
import { shellJoin, shellQuote } from '../ssh/quote.js';
import { assertRemotePath } from '../ssh/validate.js';

/** The two compose command lines a host may have: the v2 CLI plugin, or the v1 Python tool. */
export type ComposeCli = 'docker compose' | 'docker-compose';

/** Every compose CLI, in the order detection tries them (v2 first: v1 is end-of-life). */
export const COMPOSE_CLIS: readonly ComposeCli[] = ['docker compose', 'docker-compose'];

/** One compose project on one host, everything a compose command line needs. */
export interface ComposeProject {
  /** Which CLI the host runs (detected, or from config `compose.command`). */
  cli: ComposeCli;
  /** The project directory on the host; every command runs in it and fails when it is missing. */
  dir: string;
  /** The project name (`-p`): config `compose.project-name`, else compose's rule on the directory name. */
  name: string;
  /** `-f`: the compose file, relative to `dir` or absolute; absent = compose's default lookup. */
  file?: string;
  /** `--env-file` (compose v2, and v1 since 1.25): relative to `dir` or absolute. */
  envFile?: string;
}

const PROJECT_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/**
 * Compose's project name: `explicit` when given (validated), else what compose v1 and v2 derive from
 * the project directory: its base name, lower-cased, with everything outside `[a-z0-9_-]` removed.
 * Throws ConfigurationError when that leaves no valid name.
 */
export function composeProjectName(projectDir: string, explicit?: string): string {
  if (explicit) return assertProjectName(explicit, `Config key compose.project-name`);
  const base = projectDir.replace(/\/+$/, '').split('/').pop() ?? '';
  const derived = base.toLowerCase().replace(/[^a-z0-9_-]/g, '');
  if (!PROJECT_NAME.test(derived)) {
    throw new ConfigurationError(
      `The compose project directory '${truncate(projectDir)}' gives no usable project name ('${truncate(derived)}'): set compose.project-name in the config.`
    );
  }
  return derived;
}

/** Compose project names are `[a-z0-9][a-z0-9_-]*`; anything else is a typo or an injection attempt. Returns the name. */
export function assertProjectName(name: string, what = 'compose project name'): string {
  if (!PROJECT_NAME.test(name)) {
    throw new ConfigurationError(`${what} is '${truncate(name)}', not a compose project name: use lower-case letters, digits, '-' and '_'.`);
  }
  return name;
}

/** The config's compose project, for a host whose CLI is `cli` (see resolveComposeProject to detect it). */
export function composeProjectFromConfig(compose: ComposeConfig, cli: ComposeCli): ComposeProject {
  return {
    cli,
    dir: compose.projectDir,
    name: composeProjectName(compose.projectDir, compose.projectName),
    file: compose.file || undefined,
    envFile: compose.envFile || undefined
  };
}

/** The words that start a command line of `cli`: `docker compose` is the docker CLI with a plugin verb. */
export function cliWords(cli: ComposeCli): string[] {
  return cli === 'docker compose' ? ['docker', 'compose'] : ['docker-compose'];
}

/**
 * The remote command line that runs compose with `args` for `project`: `cd -- <dir> && <cli> -p <name>
 * [-f <file>] [--env-file <file>] <args...>`. Every word is quoted with shellQuote, so `args` reach
 * compose byte for byte; the directory, files and name are validated first (ConfigurationError).
 * A missing directory fails the command (`cd` fails, nothing runs), never runs compose in `$HOME`.
 * `args` are compose's own (`ps`, `exec`, `-T`...): validate any user value in them before calling.
 * `env` sets variables for this one command (`env NAME=value docker compose ...`), quoted like the rest.
 */
export function composeCommand(project: ComposeProject, args: readonly string[], opts: { env?: Record<string, string> } = {}): string {
  const dir = assertRemotePath(project.dir, 'compose project directory (compose.project-dir)');
  // Variables set here win over the env file (compose reads the shell's environment first).
  const env = Object.entries(opts.env ?? {}).map(([k, v]) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new ConfigurationError(`'${truncate(k)}' is not an environment variable name.`);
    return `${k}=${v}`;
  });
  const words = [...(env.length ? ['env', ...env] : []), ...cliWords(project.cli), '-p', assertProjectName(project.name)];
  if (project.file) words.push('-f', assertRemotePath(project.file, 'compose file (compose.file)'));
  if (project.envFile) words.push('--env-file', assertRemotePath(project.envFile, 'compose env file (compose.env-file)'));
  return `cd -- ${shellQuote(dir)} && ${shellJoin([...words, ...args])}`;
}
