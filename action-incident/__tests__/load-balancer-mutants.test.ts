// The edges of the load balancer verdict (issue 14's mutation testing of judgeLoadBalancer): a status
// DigitalOcean did not give, an empty tag-based pool, and several faults at once, each named fully.
import { describe, expect, it } from '@jest/globals';
import type { DoDroplet, DoLoadBalancer } from '../../shared/src/index.js';
import type { Fault } from '../src/incident/diagnosis.js';
import { judgeLoadBalancer } from '../src/platform/diagnose-load-balancer.js';

const lb: DoLoadBalancer = { id: 'lb-1', name: 'a2a-lb', status: 'active', dropletIds: [1, 2] };
const droplet = (id: number, status: string): DoDroplet => ({ id, name: `app-${id}`, status }) as DoDroplet;
const target = 'load balancer a2a-lb (lb-1)';
const failing = (message: string): Fault => ({ family: 'load balancer', target, severity: 'fail', message });

describe('judgeLoadBalancer', () => {
  it.each<[string, DoLoadBalancer, DoDroplet[], string[]]>([
    ['healthy', lb, [droplet(1, 'active'), droplet(2, 'active'), droplet(3, 'off')], []],
    ['no status given', { ...lb, status: undefined }, [droplet(1, 'active'), droplet(2, 'active')], ["status is 'unknown', not 'active'"]],
    ['a tag no Droplet carries', { ...lb, tag: 'web', dropletIds: [] }, [droplet(1, 'active')], ["no Droplet carries its tag 'web'"]],
    [
      'everything wrong at once, in that order',
      { ...lb, status: 'new', dropletIds: [1, 2, 3] },
      [droplet(2, 'off'), droplet(1, 'archive')],
      ["status is 'new', not 'active'", "Droplet app-1 (1) behind it is 'archive'", "Droplet app-2 (2) behind it is 'off'", 'Droplet 3 behind it no longer exists']
    ],
    ['new and empty', { ...lb, status: 'new', dropletIds: [] }, [], ["status is 'new', not 'active'", 'has no Droplets behind it']]
  ])('%s', (_name, l, droplets, messages) => {
    expect(judgeLoadBalancer(l, droplets)).toStrictEqual(messages.map(failing));
  });
});
