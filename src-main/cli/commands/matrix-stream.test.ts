import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { MatrixResult } from '@shared/engine/types';
import { matrixSummary, streamMatrixCompact, streamMatrixJson } from './matrix';

/** A matrix where pods are in classes by index % 3 and class a reaches class b when a <= b. */
function fakeMatrix(n: number): MatrixResult {
  const classOf = Int32Array.from({ length: n }, (_, i) => i % 3);
  return {
    port: 8080,
    protocol: 'TCP',
    pods: Array.from({ length: n }, (_, i) => `ns-${i % 7}/pod-"${i}"`),
    classOf,
    classCount: 3,
    allowed: (s, d) => classOf[s] <= classOf[d],
    allowedClassPairs: () => [
      [0, 0],
      [0, 1],
      [0, 2],
      [1, 1],
      [1, 2],
      [2, 2],
    ],
    skipped: ['ns/pending'],
    seconds: 0.5,
  };
}

/** A slow sink with a tiny buffer: every write beyond 1 KiB must wait for 'drain'. */
function slowSink(): { sink: Writable; text: () => string; maxBuffered: () => number } {
  const chunks: string[] = [];
  let maxBuffered = 0;
  const sink = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString());
      maxBuffered = Math.max(maxBuffered, sink.writableLength);
      setImmediate(cb);
    },
  });
  return { sink, text: () => chunks.join(''), maxBuffered: () => maxBuffered };
}

describe('matrix output streaming', () => {
  it('streams the full matrix as valid JSON, row by row, respecting backpressure', async () => {
    const m = fakeMatrix(300);
    const { sink, text, maxBuffered } = slowSink();
    await streamMatrixJson(m, sink);
    const parsed = JSON.parse(text()) as {
      port: number;
      protocol: string;
      matrix: Record<string, Record<string, boolean>>;
    };
    expect(parsed.port).toBe(8080);
    expect(Object.keys(parsed.matrix)).toHaveLength(300);
    expect(parsed.matrix[m.pods[2]][m.pods[0]]).toBe(false); // class 2 → class 0
    expect(parsed.matrix[m.pods[0]][m.pods[2]]).toBe(true);
    // never more than one ~64 KiB chunk waiting in the sink's buffer
    expect(maxBuffered()).toBeLessThan(200 * 1024);
  });

  it('compact output lists classes and allowed class pairs', async () => {
    const m = fakeMatrix(10);
    const { sink, text } = slowSink();
    await streamMatrixCompact(m, sink);
    const c = JSON.parse(text()) as { pods: string[]; classes: number[][]; allowed: number[][] };
    expect(c.pods).toEqual(m.pods);
    expect(c.classes).toEqual([
      [0, 3, 6, 9],
      [1, 4, 7],
      [2, 5, 8],
    ]);
    expect(c.allowed).toContainEqual([1, 2]);
    expect(c.allowed).not.toContainEqual([2, 1]);
  });

  it('summary counts pairs from class sizes', () => {
    const s = matrixSummary(fakeMatrix(10));
    // classes of size 4, 3, 3; allowed pairs: 4*4 + 4*3 + 4*3 + 3*3 + 3*3 + 3*3
    expect(s).toMatchObject({ pods: 10, pairs: 100, allowed: 67, denied: 33, skipped: ['ns/pending'] });
  });
});
