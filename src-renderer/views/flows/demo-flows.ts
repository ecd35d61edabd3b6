import { useFlows } from '../../stores/flows';

// Bundled when the demo's recorded flows exist at build time (an empty map otherwise).
const bundled = import.meta.glob('../../../assets/demo/*.jsonpb', {
  query: '?raw',
  import: 'default',
}) as Record<string, () => Promise<string>>;

/** Opens the demo snapshot's recorded Hubble flows (assets/demo/flows.jsonpb), imported like a file. */
export async function loadDemoFlows(): Promise<void> {
  const entry = Object.entries(bundled)[0];
  if (!entry) throw new Error('this build has no recorded demo flows (assets/demo/flows.jsonpb)');
  await useFlows.getState().importText('demo flows (recorded)', await entry[1]());
}
