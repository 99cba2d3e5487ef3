// Reads the inputs every action shares (config, github-token, issue, fail-on).
import { COMMON_INPUTS, FAIL_ON, ISSUE_MODES } from '../contract.js';
import { readChoice, readSecret, readString } from '../inputs.js';
import type { CommonInputs } from './types.js';

export function readCommonInputs(): CommonInputs {
  return {
    githubToken: readSecret(COMMON_INPUTS.githubToken),
    config: readString(COMMON_INPUTS.config),
    issue: readChoice(COMMON_INPUTS.issue, ISSUE_MODES, 'auto'),
    failOn: readChoice(COMMON_INPUTS.failOn, FAIL_ON, 'fail')
  };
}
