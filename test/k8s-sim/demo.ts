/** The demo scenario and its canaries (strings that must never leak into snapshots, logs or reports). */
import { fileURLToPath } from 'node:url';

export const DEMO_SCENARIO_PATH = fileURLToPath(new URL('./scenarios/demo.yaml', import.meta.url));

/** Planted in the Secret backend/api-credentials (base64 in `data`, plain in its last-applied annotation) and the ConfigMap backend/api-settings. */
export const DEMO_CANARY_SECRET = 'CANARY-SECRET-5e1f0a9c3b7d';

/** Bearer tokens of the demo users admin and restricted. */
export const DEMO_CANARY_TOKENS = [
  'CANARY-TOKEN-admin-8d2b6f41c9e3a7',
  'CANARY-TOKEN-restricted-3a9e7c15f0b2d4',
] as const;
