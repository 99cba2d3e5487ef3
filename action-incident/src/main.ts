// action-incident: one run gathers what the runbook's "Service Outage Response" and "Troubleshooting
// Guide" ask for, into one summary and one incident issue. Read-only; recovery is the workflow's job.
import { runAction, type ActionDefinition } from '../../shared/src/index.js';
import { executeIncident } from './execute.js';
import { INCIDENT_ACTION, readIncidentInputs, type IncidentInputs } from './inputs.js';

export const definition: ActionDefinition<IncidentInputs> = {
  ...INCIDENT_ACTION,
  // Any fault, a warning included, is part of the incident: the one issue opens on 'warn'.
  issueOn: 'warn',
  readInputs: readIncidentInputs,
  execute: executeIncident
};

/** Runs the action through the shared funnel. */
export async function run(): Promise<void> {
  await runAction(definition);
}
