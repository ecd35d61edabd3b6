import { useFlows } from '../../stores/flows';

// Bundled when the demo's recorded flows exist at build time (an empty map otherwise).
const bundled = import.meta.glob('../../../assets/demo/*.jsonpb', {
  query: '?raw',
  import: 'default',
}) as Record<string, () => Promise<string>>;

/** Opens the demo snapshot's recorded Hubble flows (assets/demo/flows.jsonpb). */
export async function loadDemoFlows(snapshotId: string | undefined): Promise<void> {
  const entry = Object.entries(bundled)[0];
  if (entry) {
    const text = await entry[1]();
    useFlows.getState().importText('demo flows (recorded)', text);
    return;
  }
  // not bundled: ask the host to replay the demo's recorded flows as a stream
  await useFlows.getState().startStream({ snapshotId, label: 'demo flows (recorded)' });
}
