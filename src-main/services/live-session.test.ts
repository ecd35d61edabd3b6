/**
 * The API services against the Kubernetes API simulator (real HTTPS, real client-node): contexts,
 * connect with progress, live updates pushed as events, cancellation, and clear errors for an
 * unknown context, an unparsable kubeconfig and an unreachable cluster.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorPayload, ApiEvents, SnapshotSummary } from '@shared/api/contract';
import type { ContextList } from '@shared/cluster/types';
import type { TraceResult } from '@shared/engine/types';
import { startK8sSim, type K8sSim } from '../../test/k8s-sim/index';
import { ApiSession } from './api-session';
import { createContextsHub } from './contexts-hub';
import { defaultDeps } from './default-deps';
import { toApiErrorPayload } from './errors';

let sim: K8sSim;
let dir: string;
let kubeconfig: string;

beforeAll(async () => {
  sim = await startK8sSim({ scenario: resolve(__dirname, '../../test/k8s-sim/scenarios/demo.yaml') });
  dir = mkdtempSync(join(tmpdir(), 'npd-live-session-'));
  kubeconfig = join(dir, 'config');
  sim.writeKubeconfig(kubeconfig, {
    users: ['admin'],
    contextNames: ['demo-admin'],
    currentContext: 'demo-admin',
  });
});
afterAll(async () => {
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

function newSession(kc = kubeconfig): ApiSession {
  return new ApiSession({
    transport: 'websocket',
    initial: { kind: 'none' },
    deps: defaultDeps(),
    kubeconfig: kc,
    nativeFiles: false,
  });
}

async function failure(p: Promise<unknown>): Promise<ApiErrorPayload> {
  try {
    await p;
  } catch (err) {
    return toApiErrorPayload(err);
  }
  throw new Error('expected a failure');
}

function waitFor(pred: () => boolean, ms = 15_000): Promise<void> {
  const t0 = Date.now();
  return new Promise((res, rej) => {
    const tick = () =>
      pred() ? res() : Date.now() - t0 > ms ? rej(new Error('timed out')) : setTimeout(tick, 25);
    tick();
  });
}

describe('live cluster through the API services', () => {
  it('lists contexts without any credential in the answer', async () => {
    const s = newSession();
    const list = (await s.call('contexts.list', {})) as ContextList;
    expect(list.contexts.map((c) => c.name)).toEqual(['demo-admin']);
    expect(list.current).toBe('demo-admin');
    expect(JSON.stringify(list)).not.toContain(sim.user('admin').token ?? '\u0000');
    s.dispose();
  });

  it('connects with progress events, answers traces, and pushes live updates', async () => {
    const s = newSession();
    const events: { event: string; payload: unknown }[] = [];
    s.events.on((event, payload) => events.push({ event, payload }));
    const sum = (await s.call('snapshot.connect', { context: 'demo-admin' })) as SnapshotSummary;
    expect(sum.live).toBe(true);
    expect(sum.source).toMatchObject({ type: 'context', context: 'demo-admin' });
    expect(sum.counts.pods).toBeGreaterThanOrEqual(12);
    const progress = events
      .filter((e) => e.event === 'snapshot.progress')
      .map((e) => e.payload as ApiEvents['snapshot.progress']);
    expect(progress.length).toBeGreaterThan(0);
    expect(new Set(progress.map((p) => p.loadId)).size).toBe(1);

    const verdict = (await s.call('engine.trace', {
      snapshotId: sum.snapshotId,
      question: { from: 'backend/api-5c6d7f8b9-abcde', to: 'backend/redis-cache-0', port: 6379 },
    })) as TraceResult;
    expect(verdict.verdict).toBe('denied');

    // Fix the typo in the cluster: the watch delivers it, the next trace is allowed.
    const np = structuredClone(
      sim.getObjects('NetworkPolicy').find((p) => p.metadata.name === 'allow-api-to-cache')!,
    ) as unknown as {
      metadata: { name: string };
      spec: { podSelector: { matchLabels: Record<string, string> } };
    };
    np.spec.podSelector.matchLabels = { app: 'redis-cache' };
    sim.applyEvent({ type: 'MODIFIED', object: np as never });
    await waitFor(() => events.some((e) => e.event === 'snapshot.updated'));
    const upd = events.find((e) => e.event === 'snapshot.updated')!.payload as ApiEvents['snapshot.updated'];
    expect(upd.snapshotId).toBe(sum.snapshotId);
    const after = (await s.call('engine.trace', {
      snapshotId: sum.snapshotId,
      question: { from: 'backend/api-5c6d7f8b9-abcde', to: 'backend/redis-cache-0', port: 6379 },
    })) as TraceResult;
    expect(after.verdict).toBe('allowed');
    s.dispose();
  });

  it('an unknown context is not-found and names the known ones', async () => {
    const s = newSession();
    const err = await failure(s.call('snapshot.connect', { context: 'prod' }));
    expect(err.code).toBe('not-found');
    expect(err.message).toContain('demo-admin');
    s.dispose();
  });

  it('an unreachable cluster is reported as unreachable', async () => {
    const kc = join(dir, 'dead');
    // a loopback port nobody listens on
    sim.writeKubeconfig(kc, {
      users: ['admin'],
      contextNames: ['gone'],
      currentContext: 'gone',
      server: 'https://127.0.0.1:1',
    });
    const s = newSession(kc);
    const err = await failure(s.call('snapshot.connect', { context: 'gone' }));
    expect(err.code).toBe('unreachable');
    s.dispose();
  });

  it('a kubeconfig that does not parse shows up as a problem, and the app keeps running', async () => {
    const bad = join(dir, 'broken');
    writeFileSync(bad, 'apiVersion: v1\nclusters: [\n  - name: x\n');
    const hub = createContextsHub(defaultDeps(), bad);
    const s = new ApiSession({
      transport: 'websocket',
      initial: { kind: 'none' },
      deps: defaultDeps(),
      kubeconfig: bad,
      nativeFiles: false,
      contexts: hub,
    });
    const list = (await s.call('contexts.list', {})) as ContextList;
    expect(list.contexts).toEqual([]);
    expect(list.problems.length).toBeGreaterThan(0);
    expect(list.problems[0].message.length).toBeGreaterThan(10);
    expect(await s.call('app.info', {})).toMatchObject({ name: 'Netpol Doctor' });
    s.dispose();
    hub.close();
  });

  it('cancels a load in progress', async () => {
    const s = newSession();
    let loadId: string | undefined;
    s.events.on((event, payload) => {
      if (event === 'snapshot.progress' && !loadId) {
        loadId = (payload as ApiEvents['snapshot.progress']).loadId;
        void s.call('snapshot.cancel', { loadId });
      }
    });
    const err = await failure(s.call('snapshot.connect', { context: 'demo-admin' }));
    expect(loadId).toBeDefined();
    expect(err.code).toBe('cancelled');
    s.dispose();
  });
});
