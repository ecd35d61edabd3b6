import { afterEach, describe, expect, it } from 'vitest';
import * as grpc from '@grpc/grpc-js';
import type { Flow } from '@shared/flows/types';
import { HubbleClient } from '../../src-main/hubble/client';
import { flowFromProto } from '../../src-main/hubble/convert';
import { loadObserverProto } from '../../src-main/hubble/proto-load';
import { buildDemoFlows } from './demo-flows';
import { encodeFromTemplate, encodeTemplate } from './encode';
import { startHubbleSim, type HubbleSim } from './index';

const demo = buildDemoFlows();
type Obj = Record<string, unknown>;

describe('generated follow flows encoded from templates', () => {
  const { observerService } = loadObserverProto();
  const serialize = observerService.GetFlows.responseSerialize as (v: unknown) => Buffer;
  const deserialize = observerService.GetFlows.responseDeserialize as (b: Buffer) => Obj;

  it('decode exactly like a full encode of the same flow (every demo template, whole and sub-ms times)', () => {
    const times: [number, number][] = [
      [1_764_496_800, 0],
      [1_764_496_800, 123_456_789],
      [1, 1],
      [2 ** 40, 999_999_999],
    ];
    for (const [i, t] of demo.entries()) {
      const [seconds, nanos] = times[i % times.length]!;
      const uuid = `0c7f0e0a-1b2c-4d5e-8f90-${String(i).padStart(12, '0')}`;
      const fast = deserialize(encodeFromTemplate(encodeTemplate(t, serialize), uuid, seconds, nanos));
      const full = deserialize(
        serialize({
          flow: {
            ...t,
            uuid,
            time: { seconds, nanos },
            is_reply: t.is_reply === undefined ? undefined : { value: t.is_reply },
          },
          node_name: t.node_name,
          time: { seconds, nanos },
        }),
      );
      expect(fast).toEqual(full);
    }
  });
});

describe('the follow stream', () => {
  let sim: HubbleSim | undefined;
  const clients: grpc.Client[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await sim?.close();
    sim = undefined;
  });

  it('delivers generated flows to a follower exactly as the ring holds them', async () => {
    sim = await startHubbleSim({ flows: demo, maxFlows: 100_000 });
    const client = new HubbleClient({ address: sim.address });
    const got: Flow[] = [];
    const handle = client.getFlows(
      { whitelist: [], blacklist: [], follow: true },
      { onFlow: (f) => got.push(f), onEnd: () => {}, onError: () => {} },
    );
    await client.waitReady();
    await new Promise((r) => setTimeout(r, 100));
    const before = sim.seen();
    sim.setFollowRate(5000);
    await new Promise((r) => setTimeout(r, 400));
    sim.setFollowRate(0);
    const generated = sim.ring().slice(before - sim.seen());
    await expect.poll(() => got.length, { timeout: 5000 }).toBe(generated.length);
    handle.cancel();
    client.close();
    expect(generated.length).toBeGreaterThan(500);
    expect(got).toEqual(generated);
    expect(new Set(got.map((f) => f.uuid)).size).toBe(got.length);
  });

  it('reports the flows a slow follower missed as a LostEvent and then continues with the newest', async () => {
    sim = await startHubbleSim({ flows: [], maxFlows: 200 });
    const { ctor } = loadObserverProto();
    const client = new ctor(sim.address, grpc.credentials.createInsecure()) as unknown as grpc.Client &
      Record<string, (req: Obj) => grpc.ClientReadableStream<Obj>>;
    clients.push(client);
    const call = client.GetFlows!({ follow: true });
    const uuids: string[] = [];
    let lost = 0;
    call.on('data', (res: Obj) => {
      if (res.flow) uuids.push(flowFromProto(res.flow as Obj).uuid!);
      else if (res.lost_events) lost += Number((res.lost_events as Obj).num_events_lost);
    });
    call.on('error', () => {});
    await new Promise((r) => setTimeout(r, 200));
    call.pause(); // the client stops reading: HTTP/2 flow control pushes back on the simulator
    const total = 20_000;
    const flows = Array.from({ length: total }, (_, i) => ({
      ...demo[i % demo.length]!,
      uuid: `flow-${i}`,
      time: undefined,
    }));
    for (let i = 0; i < total; i += 100) {
      sim.emit(flows.slice(i, i + 100));
      await new Promise((r) => setImmediate(r));
    }
    call.resume();
    await expect.poll(() => uuids.length + lost, { timeout: 5000 }).toBe(total);
    expect(lost).toBeGreaterThan(0);
    // what arrived is in order, without duplicates, and ends with the newest flow
    const idx = uuids.map((u) => Number(u.slice(5)));
    expect(idx.every((v, i) => i === 0 || v > idx[i - 1]!)).toBe(true);
    expect(idx.at(-1)).toBe(total - 1);
  });
});
