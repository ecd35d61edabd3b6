/** Flow streams through the API services: recorded files and a live Hubble server (the Relay simulator). */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvents, FlowImportResult, SnapshotExport } from '@shared/api/contract';
import { parseFlowLines } from '@shared/flows/jsonl';
import type { Flow } from '@shared/flows/types';
import { startHubbleSim, type HubbleSim } from '../../test/hubble-sim/index';
import { ApiSession } from './api-session';
import { defaultDeps } from './default-deps';
import { toApiErrorPayload } from './errors';

const demoFlowsText = readFileSync(resolve(__dirname, '../../assets/demo/flows.jsonpb'), 'utf8');
let hubble: HubbleSim;
let demoFlows: Flow[];

beforeAll(async () => {
  demoFlows = parseFlowLines(demoFlowsText).flows;
  hubble = await startHubbleSim({ flows: demoFlows });
});
afterAll(async () => {
  await hubble?.close();
});

function newSession(): ApiSession {
  return new ApiSession({
    transport: 'websocket',
    initial: { kind: 'demo' },
    deps: defaultDeps(),
    nativeFiles: false,
  });
}

describe('flows through the API services', () => {
  it('imports the recorded demo flows and exports the DROPPED ones again', async () => {
    const s = newSession();
    const imp = (await s.call('flows.importText', {
      file: { name: 'flows.jsonpb', text: demoFlowsText },
    })) as FlowImportResult;
    expect(imp.imported).toBe(demoFlows.length);
    expect(imp.errors).toEqual([]);
    const exp = (await s.call('flows.exportText', {
      streamId: imp.streamId,
      filter: { verdict: ['DROPPED'] },
      format: 'jsonpb',
    })) as SnapshotExport;
    const dropped = parseFlowLines(exp.text).flows;
    expect(dropped.length).toBe(demoFlows.filter((f) => f.verdict === 'DROPPED').length);
    expect(dropped.length).toBeGreaterThan(0);
    s.dispose();
  });

  it('reports broken lines in an imported file with their line numbers', async () => {
    const s = newSession();
    const text = demoFlowsText.split('\n').slice(0, 2).join('\n') + '\n{oops\n';
    const imp = (await s.call('flows.importText', { file: { name: 'x.jsonpb', text } })) as FlowImportResult;
    expect(imp.imported).toBe(2);
    expect(imp.errors[0].line).toBe(3);
    s.dispose();
  });

  it('streams flows from a Hubble server as batched events on the session bus', async () => {
    const s = newSession();
    const batches: ApiEvents['flows.batch'][] = [];
    const states: string[] = [];
    s.events.on((event, payload) => {
      if (event === 'flows.batch') batches.push(payload as ApiEvents['flows.batch']);
      if (event === 'flows.state') states.push((payload as ApiEvents['flows.state']).state);
    });
    const { streamId } = (await s.call('flows.start', {
      server: hubble.address,
      filter: { last: 1000 },
    })) as { streamId: string };
    const t0 = Date.now();
    while (batches.reduce((n, b) => n + b.flows.length, 0) < demoFlows.length && Date.now() - t0 < 10_000)
      await new Promise((r) => setTimeout(r, 50));
    expect(batches.every((b) => b.streamId === streamId)).toBe(true);
    expect(batches.reduce((n, b) => n + b.flows.length, 0)).toBe(demoFlows.length);
    expect(await s.call('flows.stop', { streamId })).toEqual({ stopped: true });
    expect(states).toContain('connecting');
    s.dispose();
  });

  it('asks for a context or server when neither is given', async () => {
    const s = newSession();
    const err = await s.call('flows.start', { filter: {} }).catch((e: unknown) => toApiErrorPayload(e));
    expect(err).toMatchObject({ code: 'bad-input' });
    s.dispose();
  });
});
