// The Actions log as a Logger: groups per phase, warnings as annotations.
import * as core from '@actions/core';
import { scrubSecrets } from '../secrets.js';
import type { Logger } from './types.js';

/** Logs through @actions/core; every line is scrubbed of registered secrets first. */
export const actionsLogger: Logger = {
  info: (msg) => core.info(scrubSecrets(msg)),
  warn: (msg) => core.warning(scrubSecrets(msg)),
  debug: (msg) => core.debug(scrubSecrets(msg)),
  group: (title, fn) => core.group(scrubSecrets(title), fn)
};
