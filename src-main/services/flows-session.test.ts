/** Flow streams through the API services: recorded files and a live Hubble server (the Relay simulator). */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvents, FlowImportResult, SnapshotExport } from '@shared/api/contract';
import { parseFlowLines } from '@shared/flows/jsonl';
import type { Flow } from '@shared/flows/types';
import type { FlowRows } from '@shared/flows/view';
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

  it('streams flows from a Hubble server into a view the renderer reads by rows, never flow by flow', async () => {
    const s = newSession();
    const views: ApiEvents['flows.view'][] = [];
    const states: string[] = [];
    const events: string[] = [];
    s.events.on((event, payload) => {
      events.push(event);
      if (event === 'flows.view') views.push(payload as ApiEvents['flows.view']);
      if (event === 'flows.state') states.push((payload as ApiEvents['flows.state']).state);
    });
    const { streamId } = (await s.call('flows.start', {
      server: hubble.address,
      filter: { last: 1000 },
    })) as { streamId: string };
    const first = (await s.call('flows.view', {
      streamId,
      filter: { verdict: ['DROPPED'] },
    })) as ApiEvents['flows.view'];
    await expect.poll(() => views.at(-1)?.received, { timeout: 10_000 }).toBe(demoFlows.length);
    const dropped = demoFlows.filter((f) => f.verdict === 'DROPPED');
    const last = views.at(-1)!;
    expect(last).toMatchObject({
      streamId,
      generation: first.generation,
      total: dropped.length,
      held: demoFlows.length,
    });
    expect(last.counts).toEqual({ DROPPED: dropped.length });
    // nothing on the bus carries flows: only view updates and states
    expect(new Set(events)).toEqual(new Set(['flows.view', 'flows.state']));

    const rows = (await s.call('flows.rows', {
      streamId,
      generation: last.generation,
      from: last.base,
      count: 1000,
    })) as FlowRows;
    expect(rows.rows.map((r) => r.uuid)).toEqual(dropped.map((f) => f.uuid));
    expect(rows.rows.every((r) => r.verdict === 'DROPPED')).toBe(true);
    const { flow } = (await s.call('flows.flow', {
      streamId,
      generation: last.generation,
      ordinal: rows.rows[0].ordinal,
    })) as { flow: Flow };
    expect(flow).toEqual(dropped[0]);

    // a new filter is a new generation: rows asked for under the old one are refused, not mixed up
    const all = (await s.call('flows.view', { streamId, filter: {} })) as ApiEvents['flows.view'];
    expect(all.generation).toBeGreaterThan(last.generation);
    expect(all.total).toBe(demoFlows.length);
    const stale = await s
      .call('flows.rows', { streamId, generation: last.generation, from: 0, count: 10 })
      .catch((e: unknown) => toApiErrorPayload(e));
    expect(stale).toMatchObject({ code: 'not-found' });

    expect(await s.call('flows.stop', { streamId })).toEqual({ stopped: true });
    expect(states).toContain('connecting');
    expect(await s.call('flows.close', { streamId })).toEqual({ closed: true });
    const gone = await s.call('flows.view', { streamId }).catch((e: unknown) => toApiErrorPayload(e));
    expect(gone).toMatchObject({ code: 'bad-input' });
    s.dispose();
  });

  it('refuses a client certificate without its key, and a certificate file that is not PEM', async () => {
    const s = newSession();
    const err = await s
      .call('flows.start', {
        server: hubble.address,
        tls: { mode: 'files', cert: '-----BEGIN CERTIFICATE-----' },
        filter: {},
      })
      .catch((e: unknown) => toApiErrorPayload(e));
    expect(err).toMatchObject({
      code: 'bad-input',
      message: expect.stringMatching(/certificate and its key/),
    });
    s.dispose();
  });

  it('asks for a context or server when neither is given', async () => {
    const s = newSession();
    const err = await s.call('flows.start', { filter: {} }).catch((e: unknown) => toApiErrorPayload(e));
    expect(err).toMatchObject({ code: 'bad-input' });
    s.dispose();
  });
});
