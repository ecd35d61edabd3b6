import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { FlowBatch, FlowStreamState } from '@shared/flows/types';
import { parseFlowLines } from '@shared/flows/jsonl';
import { buildDemoFlows } from '../../test/hubble-sim/demo-flows';
import { startHubbleSim, type HubbleSim } from '../../test/hubble-sim';
import { FlowStreamManager } from './stream-manager';

const demo = buildDemoFlows();
const sims: HubbleSim[] = [];
const managers: FlowStreamManager[] = [];
afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.stopAll()));
  await Promise.all(sims.splice(0).map((s) => s.close()));
});

async function sim(opts: Parameters<typeof startHubbleSim>[0]) {
  const s = await startHubbleSim(opts);
  sims.push(s);
  return s;
}

function manager(opts: ConstructorParameters<typeof FlowStreamManager>[0] = {}) {
  const m = new FlowStreamManager({ reconnect: { initialMs: 50, maxMs: 200 }, dialTimeoutMs: 2000, ...opts });
  managers.push(m);
  const batches: FlowBatch[] = [];
  const states: FlowStreamState[] = [];
  m.on('batch', (b) => batches.push(b));
  m.on('state', (s) => states.push(s));
  return { m, batches, states };
}

function waitFor(cond: () => boolean, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (cond()) return resolve();
      if (Date.now() - t0 > timeoutMs) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 20);
    };
    tick();
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('FlowStreamManager', () => {
  it('streams history then follows, in batches (never one message per flow)', async () => {
    const s = await sim({ flows: demo, maxFlows: 100_000 });
    const { m, batches, states } = manager();
    const { streamId } = m.start({
      source: { kind: 'server', address: s.address },
      filter: { last: 50, follow: true },
    });
    await waitFor(() => m.stats(streamId).received >= 50, 20_000, 'history');
    s.setFollowRate(600);
    await waitFor(() => m.stats(streamId).received >= 700, 20_000, '700 flows');
    expect(states.map((x) => x.state).slice(0, 2)).toEqual(['connecting', 'live']);
    const total = batches.reduce((n, b) => n + b.flows.length, 0);
    expect(total).toBe(batches.at(-1)!.received);
    expect(batches.length).toBeLessThan(total / 5);
    expect(Math.max(...batches.map((b) => b.flows.length))).toBeLessThanOrEqual(500);
    expect(batches[0].flows.slice(0, 50)).toEqual(demo.slice(-50));
  });

  it('resumes after dropped connections and a Relay restart without duplicates or losses', async () => {
    const s = await sim({ flows: [], followTemplates: demo, followRate: 300, maxFlows: 100_000 });
    const { m, states } = manager();
    const since = new Date(Date.now() - 1000).toISOString();
    const { streamId } = m.start({
      source: { kind: 'server', address: s.address },
      filter: { since, follow: true },
    });
    await waitFor(() => m.stats(streamId).received > 100, 20_000, 'first flows');
    s.dropAll();
    await waitFor(() => states.filter((x) => x.state === 'live').length >= 2, 20_000, 'reconnect after drop');
    await sleep(300);
    s.dropAll();
    await sleep(150);
    await s.restart();
    await waitFor(
      () => states.filter((x) => x.state === 'live').length >= 3,
      20_000,
      'reconnect after restart',
    );
    await sleep(300);
    s.setFollowRate(0);
    const expected = s.ring().map((f) => f.uuid);
    await waitFor(() => m.stats(streamId).received >= expected.length, 20_000, 'all flows');
    await sleep(200);
    const got = m.selectFlows(streamId).map((f) => f.uuid);
    expect(new Set(got).size).toBe(got.length); // no duplicates
    expect(got).toEqual(expected); // nothing lost, same order
    const stats = m.stats(streamId);
    expect(stats.reconnects).toBeGreaterThanOrEqual(2);
    expect(stats.gaps).toEqual([]);
    expect(states.some((x) => x.state === 'reconnecting' && /reconnecting in/.test(x.message ?? ''))).toBe(
      true,
    );
  });

  it('flows that arrive while disconnected are not lost, even before the first flow was received', async () => {
    const s = await sim({ flows: [] });
    const { m, states } = manager();
    const { streamId } = m.start({
      source: { kind: 'server', address: s.address },
      filter: { follow: true },
    });
    await waitFor(() => states.some((x) => x.state === 'live'), 20_000, 'live');
    s.setRefusing(true);
    await waitFor(() => states.some((x) => x.state === 'reconnecting'), 20_000, 'reconnecting');
    s.emit(demo.slice(0, 30).map((f) => ({ ...f, uuid: undefined, time: undefined })));
    s.setRefusing(false);
    await waitFor(() => m.stats(streamId).received >= 30, 20_000, 'the flows sent while away');
    expect(m.selectFlows(streamId).map((f) => f.uuid)).toEqual(s.ring().map((f) => f.uuid));
  });

  it('reports a gap when Relay’s ring wrapped while we were away', async () => {
    const s = await sim({ flows: [], followTemplates: demo, followRate: 2000, maxFlows: 200 });
    const { m, states } = manager();
    const { streamId } = m.start({
      source: { kind: 'server', address: s.address },
      filter: { follow: true },
    });
    await waitFor(() => m.stats(streamId).received > 100, 10_000, 'first flows');
    s.setRefusing(true);
    await sleep(400); // ~800 flows pass through a ring of 200
    s.setRefusing(false);
    await waitFor(() => m.stats(streamId).gaps.length > 0, 10_000, 'gap');
    const gapState = states.find((x) => x.gap);
    expect(gapState?.message).toMatch(/gap: Relay no longer has the flows between/);
    const { from, to } = m.stats(streamId).gaps[0];
    expect(Date.parse(to)).toBeGreaterThan(Date.parse(from));
  });

  it('stop() ends the stream; later flows are not delivered', async () => {
    const s = await sim({ flows: demo, followRate: 1000 });
    const { m, batches, states } = manager();
    const { streamId } = m.start({
      source: { kind: 'server', address: s.address },
      filter: { follow: true },
    });
    await waitFor(() => m.stats(streamId).received > 50, 10_000, 'flows');
    expect(await m.stop(streamId)).toBe(true);
    const n = batches.length;
    await sleep(300);
    expect(batches.length).toBe(n);
    expect(states.at(-1)?.state).toBe('closed');
    expect(await m.stop('nope')).toBe(false);
  });

  it('a finished query ends with done; a wrong address fails with the reason', async () => {
    const s = await sim({ flows: demo });
    const { m, states } = manager();
    const { streamId } = m.start({
      source: { kind: 'server', address: s.address },
      filter: { verdict: ['DROPPED'] },
    });
    await waitFor(() => states.some((x) => x.streamId === streamId && x.state === 'done'), 10_000, 'done');
    expect(m.stats(streamId).received).toBe(20);
    const bad = m.start({ source: { kind: 'server', address: '127.0.0.1:1' }, filter: {} });
    await waitFor(
      () => states.some((x) => x.streamId === bad.streamId && x.state === 'failed'),
      10_000,
      'failed',
    );
    expect(states.find((x) => x.streamId === bad.streamId && x.state === 'failed')).toMatchObject({
      code: 'unreachable',
    });
    expect(() =>
      m.start({ source: { kind: 'server', address: s.address }, filter: { verdict: ['MAYBE'] } }),
    ).toThrow(/invalid --verdict/);
  });

  it('imports hubble JSON (malformed lines reported), keeps the newest N, exports filtered flows', () => {
    const { m, batches } = manager({ bufferSize: 100 });
    const text = readFileSync(new URL('../../assets/demo/flows.jsonpb', import.meta.url), 'utf8');
    const lines = text.trim().split('\n');
    lines.splice(10, 0, 'garbage');
    const r = m.importText(lines.join('\n'));
    expect(r.imported).toBe(demo.length);
    expect(r.errors).toEqual([{ line: 11, message: expect.stringMatching(/not valid JSON/) }]);
    expect(m.stats(r.streamId)).toMatchObject({ held: 100, evicted: demo.length - 100 });
    expect(batches.at(-1)).toMatchObject({ held: 100, evicted: demo.length - 100 });
    const exp = m.exportText(r.streamId, { format: 'jsonpb', filter: { verdict: ['DROPPED'] } });
    const back = parseFlowLines(exp.text);
    expect(back.errors).toEqual([]);
    expect(back.flows.length).toBe(exp.count);
    expect(back.flows.every((f) => f.verdict === 'DROPPED')).toBe(true);
    expect(back.flows).toEqual(demo.slice(-100).filter((f) => f.verdict === 'DROPPED'));
    const picked = m.exportText(r.streamId, { format: 'json', uuids: [demo.at(-1)!.uuid!] });
    expect(parseFlowLines(picked.text).flows).toEqual([demo.at(-1)]);
  });
});
