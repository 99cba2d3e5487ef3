// Compose on the app hosts: which CLI a host has, the project name, command lines, containers by label, exec.
export { ComposeError, type ComposeFailure } from './errors.js';
export { COMPOSE_CLIS, assertProjectName, cliWords, composeCommand, composeProjectFromConfig, composeProjectName, type ComposeCli, type ComposeProject } from './project.js';
export { COMPOSE_PROBE_COMMAND, detectComposeCli, parseComposeProbe, resolveComposeCli, resolveComposeProject, type ComposeCliInfo } from './detect.js';
export {
  COMPOSE_LABELS,
  containerAddress,
  findServiceAddress,
  listContainersCommand,
  listServiceContainers,
  parseDockerInspect,
  pickServiceAddress,
  toServiceContainer,
  type ContainerNetwork,
  type ContainerPort,
  type ContainerSelector,
  type ServiceAddress,
  type ServiceContainer
} from './containers.js';
export { LOG_BYTES_MAX, LOG_LINES_MAX, containerLogsCommand, readContainerLogs, splitContainerLogs } from './logs.js';
export { composeExec, composeExecArgs, type ComposeExecOptions } from './exec.js';
export { DOCKER_COMMAND_TIMEOUT_MS, type ComposeSession } from './remote.js';
