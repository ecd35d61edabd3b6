import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiErrorPayload, SnapshotSummary } from '@shared/api/contract';
import type { TraceResult } from '@shared/engine/types';
import type { Diagnosis } from '@shared/diagnose/types';
import type { Snapshot } from '@shared/snapshot/types';
import type { ExportedReport } from '@shared/report/types';
import { ApiSession, type ApiSessionOptions } from './api-session';
import { defaultDeps } from './default-deps';
import { toApiErrorPayload } from './errors';

const sessions: ApiSession[] = [];
function session(over: Partial<ApiSessionOptions> = {}): ApiSession {
  const s = new ApiSession({
    transport: 'websocket',
    initial: { kind: 'demo' },
    deps: defaultDeps(),
    nativeFiles: true,
    ...over,
  });
  sessions.push(s);
  return s;
}
afterEach(() => {
  for (const s of sessions.splice(0)) s.dispose();
});

async function failure(p: Promise<unknown>): Promise<ApiErrorPayload> {
  try {
    await p;
  } catch (err) {
    return toApiErrorPayload(err);
  }
  throw new Error('expected the call to fail');
}

describe('API session on the demo snapshot', () => {
  it('opens the bundled demo and summarises what was loaded', async () => {
    const s = session();
    const sum = (await s.call('snapshot.openDemo', {})) as SnapshotSummary;
    expect(sum.title).toBe('Demo cluster');
    expect(sum.source.type).toBe('demo');
    expect(sum.counts.namespaces).toBeGreaterThanOrEqual(6);
    expect(sum.counts.pods).toBeGreaterThanOrEqual(12);
    expect(sum.counts.policies.NetworkPolicy).toBeGreaterThan(0);
    expect(sum.live).toBe(false);
  });

  it('traces the four classic failures through the API', async () => {
    const s = session();
    const { snapshotId } = (await s.call('snapshot.openDemo', {})) as SnapshotSummary;
    const trace = async (from: string, to: string, port: number | string, protocol?: string) =>
      ((await s.call('engine.trace', { snapshotId, question: { from, to, port, protocol } })) as TraceResult)
        .verdict;
    expect(await trace('frontend/web-7d9f8b6c5-x2k4p', 'backend/api-5c6d7f8b9-abcde', 8080)).toBe('denied');
    expect(
      await trace('payments/payments-6b7c8d9e5-klmno', 'kube-system/coredns-5d78c9869d-7xk2m', 53, 'UDP'),
    ).toBe('denied');
    expect(await trace('monitoring/grafana-6f7d8c9b4-rstuv', 'data/postgres-0', 9187)).toBe('allowed');
    expect(await trace('backend/api-5c6d7f8b9-abcde', 'backend/redis-cache-0', 6379)).toBe('denied');
    expect(await trace('payments/payments-6b7c8d9e5-klmno', 'backend/api-5c6d7f8b9-abcde', 8080)).toBe(
      'allowed',
    );
  });

  it('runs the diagnosis wizard', async () => {
    const s = session();
    const { snapshotId } = (await s.call('snapshot.openDemo', {})) as SnapshotSummary;
    const d = (await s.call('diagnose.run', {
      snapshotId,
      question: { from: 'frontend/web-7d9f8b6c5-x2k4p', to: 'backend/api-5c6d7f8b9-abcde', port: 8080 },
    })) as Diagnosis;
    expect(d.verdict).toBe('denied');
    expect(d.steps.length).toBeGreaterThan(1);
  });

  it('exports a snapshot that opens again with the same counts', async () => {
    const s = session();
    const first = (await s.call('snapshot.openDemo', {})) as SnapshotSummary;
    const exp = (await s.call('snapshot.export', { snapshotId: first.snapshotId })) as {
      fileName: string;
      text: string;
    };
    expect(exp.fileName).toMatch(/\.yaml$/);
    const again = (await s.call('snapshot.openText', {
      files: [{ name: exp.fileName, text: exp.text }],
    })) as SnapshotSummary;
    expect(again.counts).toEqual(first.counts);
  });

  it('exports reports: Markdown in text, PDF as base64 (headless Chromium, or printToPDF in Electron)', async () => {
    const s = session();
    const { snapshotId } = (await s.call('snapshot.openDemo', {})) as SnapshotSummary;
    const question = { from: 'frontend/web-7d9f8b6c5-x2k4p', to: 'backend/api-5c6d7f8b9-abcde', port: 8080 };
    const md = (await s.call('report.export', { snapshotId, question, format: 'md' })) as ExportedReport;
    expect(md.encoding).toBe('utf8');
    expect(md.fileName).toMatch(/\.md$/);
    expect(md.content).toContain('allow-from-frontend');
    let printed = '';
    const electronLike = session({
      renderPdf: async (html) => {
        printed = html;
        return new TextEncoder().encode('%PDF-1.7 fake');
      },
    });
    const id2 = ((await electronLike.call('snapshot.openDemo', {})) as SnapshotSummary).snapshotId;
    const pdf = (await electronLike.call('report.export', {
      snapshotId: id2,
      question,
      format: 'pdf',
    })) as ExportedReport;
    expect(pdf).toMatchObject({ mime: 'application/pdf', encoding: 'base64' });
    expect(pdf.fileName).toMatch(/\.pdf$/);
    expect(Buffer.from(pdf.content, 'base64').toString()).toBe('%PDF-1.7 fake');
    expect(printed).toMatch(/<html/i);
  });

  it('closes snapshots: a closed id is not-found with a readable message', async () => {
    const s = session();
    const { snapshotId } = (await s.call('snapshot.openDemo', {})) as SnapshotSummary;
    expect(await s.call('snapshot.close', { snapshotId })).toEqual({ closed: true });
    const err = await failure(s.call('snapshot.get', { snapshotId }));
    expect(err.code).toBe('not-found');
    expect(err.message).toMatch(/not open/);
  });
});

describe('API session: bad input gets a clear error and the session keeps working', () => {
  it('rejects arguments that do not match the contract schema, with the zod issues', async () => {
    const s = session();
    const err = await failure(
      s.call('engine.trace', { snapshotId: 'x', question: { from: 'a/b', to: 'c/d', port: 0 } }),
    );
    expect(err.code).toBe('bad-input');
    expect(err.details?.[0]).toMatch(/^question\.port/);
    expect((await failure(s.call('snapshot.openFiles', { paths: [] }))).code).toBe('bad-input');
    expect((await failure(s.call('nope.method', {}))).message).toBe('unknown API method "nope.method"');
    expect((await failure(s.call('__proto__', {}))).code).toBe('bad-input');
    expect(await s.call('app.info', {})).toMatchObject({ transport: 'websocket' });
  });

  it('reports malformed YAML with the file and line', async () => {
    const s = session();
    const err = await failure(
      s.call('snapshot.openText', {
        files: [{ name: 'broken.yaml', text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [x\n' }],
      }),
    );
    expect(err.code).toBe('bad-input');
    expect(err.message).toMatch(/broken\.yaml:\d+/);
  });

  it('says clearly when the demo file is missing', async () => {
    const s = session({ demoPath: join(mkdtempSync(join(tmpdir(), 'npd-')), 'cluster.yaml') });
    const err = await failure(s.call('snapshot.openDemo', {}));
    expect(err.code).toBe('not-found');
    expect(err.message).toMatch(/demo snapshot is missing/);
  });

  it('unknown endpoints in a trace are bad input, not internal errors', async () => {
    const s = session();
    const { snapshotId } = (await s.call('snapshot.openDemo', {})) as SnapshotSummary;
    const err = await failure(
      s.call('engine.trace', {
        snapshotId,
        question: { from: 'nope/nothing', to: 'data/postgres-0', port: 5432 },
      }),
    );
    expect(err.code).toBe('bad-input');
  });

  it('a missing snapshot file is not-found', async () => {
    const s = session();
    const err = await failure(s.call('snapshot.openFiles', { paths: ['/definitely/not/here.yaml'] }));
    expect(err.code).toBe('not-found');
    expect(err.message).toMatch(/not\/here\.yaml/);
  });

  it('opens external links only for the https docs allowlist', async () => {
    const opened: string[] = [];
    const s = session({ openExternal: async (u) => (opened.push(u), true) });
    expect(await s.call('app.openExternal', { url: 'https://docs.cilium.io/en/stable/' })).toEqual({
      opened: true,
    });
    for (const url of [
      'http://docs.cilium.io/',
      'https://evil.example/',
      'https://docs.cilium.io.evil.example/',
      'file:///etc/passwd',
    ]) {
      expect((await failure(s.call('app.openExternal', { url }))).code, url).toMatch(/forbidden|bad-input/);
    }
    expect(opened).toEqual(['https://docs.cilium.io/en/stable/']);
  });

  it('builds an engine once per snapshot and reuses it', async () => {
    let built = 0;
    const deps = defaultDeps();
    const s = session({
      deps: { ...deps, createEngine: (snap: Snapshot) => (built++, deps.createEngine(snap)) },
    });
    const { snapshotId } = (await s.call('snapshot.openDemo', {})) as SnapshotSummary;
    const q = { from: 'backend/api-5c6d7f8b9-abcde', to: 'data/postgres-0', port: 5432 };
    await s.call('engine.trace', { snapshotId, question: q });
    await s.call('engine.trace', { snapshotId, question: q });
    expect(built).toBe(1);
  });
});
