/**
 * Kubernetes API simulator (test tooling, not shipped). See README.md next to this file.
 *
 *   const sim = await startK8sSim({ scenario: 'test/k8s-sim/scenarios/demo.yaml' });
 *   sim.writeKubeconfig('/tmp/kc.yaml');   // one context per user: sim-admin, sim-restricted, ...
 *   ...
 *   await sim.close();
 */
import { K8sSim, type StartK8sSimOptions } from './sim.js';

export { K8sSim } from './sim.js';
export type { RequestRecord, SimUserCredentials, StartK8sSimOptions, WatchEventInput } from './sim.js';
export type { KubeconfigOptions } from './kubeconfig.js';
export type { SimRule } from './rbac.js';
export type { ResourceDef } from './resources.js';
export type { SimPortForward, SimScenario, SimUser } from './scenario.js';
export { loadScenarioFile, readObjectsFile, ScenarioError } from './scenario.js';
export type { KubeObjectLike } from './store.js';
export { generateCluster, type GenerateClusterOptions } from './generate.js';
export { DEMO_SCENARIO_PATH, DEMO_CANARY_SECRET, DEMO_CANARY_TOKENS } from './demo.js';

/** Start a simulator on 127.0.0.1 (a free port unless `port` is given). */
export function startK8sSim(opts: StartK8sSimOptions): Promise<K8sSim> {
  return K8sSim.start(opts);
}
