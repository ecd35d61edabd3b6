import type { CniFacts, Snapshot } from './types';

/**
 * CNI detection for snapshots that carry no CniFacts item. `shared/cni/detect.ts` (another capability)
 * provides `detectCni`; until it exists the snapshot's `cni` stays undefined.
 */
export function detectCniIfAvailable(snapshot: Snapshot): CniFacts | undefined {
  void snapshot;
  return undefined;
}
