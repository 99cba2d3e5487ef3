// `compose exec -T <service> <argv...>` on a host (the runbook's `docker-compose exec -T postgres pg_dump ...`):
// no TTY, so output is clean bytes and stdin can be piped; every word validated and quoted by the core.
import { ConfigurationError } from '../errors.js';
import { assertServiceName } from '../ssh/validate.js';
import type { ExecOptions, ExecResult } from '../ssh/types.js';
import { composeCommand, type ComposeProject } from './project.js';
import type { ComposeSession } from './remote.js';

/** Options of one `compose exec`. */
export interface ComposeExecOptions extends Pick<ExecOptions, 'stdin' | 'timeoutMs' | 'onStdout' | 'onStderr' | 'tailBytes' | 'label'> {
  /** `-u`: user (or `uid[:gid]`) inside the container. */
  user?: string;
  /** `-e NAME=value` for the command (names validated; values are quoted, never interpreted). */
  env?: Record<string, string>;
  /** `-w`: working directory inside the container. */
  workdir?: string;
  /** `--index`: which replica of a scaled service (1-based). */
  index?: number;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const CONTAINER_USER = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,31})?$/;
const CONTAINER_DIR = /^\/[A-Za-z0-9_./-]{0,4095}$/;

/** The compose arguments of `exec -T [options] <service> <argv...>`, validated (ConfigurationError) but not yet quoted. */
export function composeExecArgs(service: string, argv: readonly string[], opts: Omit<ComposeExecOptions, keyof ExecOptions> = {}): string[] {
  if (argv.length === 0) throw new ConfigurationError(`compose exec in service '${assertServiceName(service)}' needs a command to run.`);
  for (const word of argv) {
    if (word.includes('\0')) throw new ConfigurationError(`compose exec in service '${service}': an argument contains a NUL byte, which no command line can carry.`);
  }
  const args = ['exec', '-T'];
  if (opts.user !== undefined) {
    if (!CONTAINER_USER.test(opts.user)) throw new ConfigurationError(`compose exec user must be a user name or uid[:gid] such as 'postgres' or '999:999'.`);
    args.push('-u', opts.user);
  }
  if (opts.workdir !== undefined) {
    if (!CONTAINER_DIR.test(opts.workdir) || opts.workdir.split('/').includes('..')) {
      throw new ConfigurationError(`compose exec workdir must be an absolute path of letters, digits, '_', '.', '/', '-' without '..'.`);
    }
    args.push('-w', opts.workdir);
  }
  if (opts.index !== undefined) {
    if (!Number.isInteger(opts.index) || opts.index < 1) throw new ConfigurationError(`compose exec index must be a replica number from 1.`);
    args.push('--index', String(opts.index));
  }
  for (const [name, value] of Object.entries(opts.env ?? {})) {
    if (!ENV_NAME.test(name)) throw new ConfigurationError(`compose exec environment variable names must be letters, digits and '_' (not starting with a digit).`);
    if (value.includes('\0') || /[\r\n]/.test(value)) throw new ConfigurationError(`compose exec environment variable ${name} contains a NUL byte or a line break.`);
    args.push('-e', `${name}=${value}`);
  }
  args.push(assertServiceName(service, 'compose service name'), ...argv);
  return args;
}

/**
 * Runs `argv` in the running container of `service` with `compose exec -T`, in the project directory
 * (fails when it is missing). Every argument is quoted with the core's quoting, the service name and
 * options are checked by the allow-lists first (ConfigurationError, nothing is sent). Like
 * SshSession.exec, resolves with the result whatever the exit code (`code === null`: outcome unknown).
 */
export function composeExec(
  session: ComposeSession,
  project: ComposeProject,
  service: string,
  argv: readonly string[],
  opts: ComposeExecOptions = {}
): Promise<ExecResult> {
  const { user, env, workdir, index, ...execOpts } = opts;
  const command = composeCommand(project, composeExecArgs(service, argv, { user, env, workdir, index }));
  return session.exec(command, { label: `compose exec ${service} ${argv[0]}`, ...execOpts });
}
