// The edges of the one incident check (issue 14's mutation testing of incident-check.ts): the order of
// faults, the status and unit, the message cut at exactly 12 faults, the details, and the faults table.
import { describe, expect, it } from '@jest/globals';
import type { Fault } from '../src/incident/diagnosis.js';
import { buildIncidentCheck, faultsSection, orderFaults } from '../src/incident/incident-check.js';

const fault = (severity: Fault['severity'], target: string, family = 'services'): Fault => ({ family, target, severity, message: `${target} is down` });

describe('orderFaults', () => {
  it.each<[string, Fault[], string[]]>([
    ['failing first, each severity in the order found', [fault('warn', 'w1'), fault('fail', 'f1'), fault('warn', 'w2'), fault('fail', 'f2')], ['f1', 'f2', 'w1', 'w2']],
    ['already in order', [fault('fail', 'f1'), fault('fail', 'f2'), fault('warn', 'w1')], ['f1', 'f2', 'w1']],
    ['warnings only, kept in order', [fault('warn', 'w3'), fault('warn', 'w1'), fault('warn', 'w2')], ['w3', 'w1', 'w2']]
  ])('%s', (_name, faults, want) => {
    expect(orderFaults(faults).map((f) => f.target)).toEqual(want);
  });
});

describe('buildIncidentCheck', () => {
  it('passes with no fault, naming the diagnostics that ran', () => {
    expect(buildIncidentCheck('a2a-world', [], ['endpoints', 'services'])).toStrictEqual({
      id: 'faults',
      kind: 'incident',
      target: 'a2a-world',
      status: 'ok',
      value: 0,
      unit: 'faults',
      message: 'no fault found by endpoints, services'
    });
  });

  it('warns with one warning, and lists it in the details', () => {
    expect(buildIncidentCheck('a2a-world', [fault('warn', 'app1')], ['services', 'error patterns'])).toStrictEqual({
      id: 'faults',
      kind: 'incident',
      target: 'a2a-world',
      status: 'warn',
      value: 1,
      unit: 'fault',
      message: '1 fault: services · app1: app1 is down',
      details: 'Diagnostics run: services, error patterns.\n\n[warn] services · app1: app1 is down'
    });
  });

  it('fails when any fault fails, the failing ones first', () => {
    const check = buildIncidentCheck('p', [fault('warn', 'w1', 'error patterns'), fault('fail', 'f1', 'endpoints')], ['endpoints']);
    expect([check.status, check.value, check.unit, check.message, check.details]).toEqual([
      'fail',
      2,
      'faults',
      '2 faults: endpoints · f1: f1 is down; error patterns · w1: w1 is down',
      'Diagnostics run: endpoints.\n\n[fail] endpoints · f1: f1 is down\n[warn] error patterns · w1: w1 is down'
    ]);
  });

  it.each([
    [12, ''],
    [13, '; and 1 more (see details)']
  ])('%i faults: names 12 in the message%s', (n, more) => {
    const faults = Array.from({ length: n }, (_, i) => fault('warn', `h${i}`));
    const named = faults.slice(0, 12).map((f) => `services · ${f.target}: ${f.message}`);
    expect(buildIncidentCheck('p', faults, ['services']).message).toBe(`${n} faults: ${named.join('; ')}${more}`);
  });
});

describe('faultsSection', () => {
  it.each<[string, Fault[], { title: string; markdown: string }]>([
    ['none', [], { title: 'Faults (0)', markdown: 'No fault found.' }],
    [
      'one row per fault, failing first',
      [fault('warn', 'w1', 'error patterns'), fault('fail', 'f1')],
      {
        title: 'Faults (2)',
        markdown: ['|  | Diagnostic | Target | What was seen |', '|---|---|---|---|', '| ❌ | services | f1 | f1 is down |', '| ⚠️ | error patterns | w1 | w1 is down |'].join('\n')
      }
    ]
  ])('%s', (_name, faults, want) => {
    expect(faultsSection(faults)).toStrictEqual(want);
  });
});
