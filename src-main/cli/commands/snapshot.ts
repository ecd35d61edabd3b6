import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { CliError } from '../errors';
import { addSourceOptions, loadSource, type SourceOptions } from '../source';

interface SnapshotOptions extends SourceOptions {
  output?: string;
}

/**
 * `netpol-doctor snapshot --context C [--kubeconfig P] -o FILE` (or `--snapshot F... -o FILE` to normalise
 * files): writes a kubectl-compatible List with the SnapshotInfo and CniFacts items that reproduces the
 * same analysis offline. Secrets and unneeded ConfigMap data are never written.
 */
export function registerSnapshot(program: Command): void {
  addSourceOptions(
    program
      .command('snapshot')
      .description(
        'save a snapshot (live context or files) as one kubectl-compatible YAML file for offline analysis',
      ),
  )
    .option('-o, --output <file>', 'file to write (default: standard output)')
    .action(async (opts: SnapshotOptions) => {
      const snapshot = await loadSource(opts);
      const { exportSnapshotYaml } = await import('@shared/snapshot/export');
      const yaml = exportSnapshotYaml(snapshot);
      if (!opts.output || opts.output === '-') {
        process.stdout.write(yaml);
        return;
      }
      const out = path.resolve(opts.output);
      const tmp = `${out}.${process.pid}.tmp`;
      try {
        fs.writeFileSync(tmp, yaml, { mode: 0o600 });
        fs.renameSync(tmp, out);
      } catch (err) {
        try {
          fs.rmSync(tmp, { force: true });
        } catch {
          /* nothing to clean */
        }
        throw new CliError(`cannot write ${out}: ${(err as Error).message}`);
      }
      const counts = `${snapshot.pods.length} pods, ${snapshot.namespaces.length} namespaces, ${
        snapshot.networkPolicies.length +
        snapshot.adminNetworkPolicies.length +
        snapshot.baselineAdminNetworkPolicies.length +
        snapshot.clusterNetworkPolicies.length +
        snapshot.ciliumNetworkPolicies.length +
        snapshot.ciliumClusterwideNetworkPolicies.length +
        snapshot.calicoNetworkPolicies.length +
        snapshot.calicoGlobalNetworkPolicies.length
      } policies`;
      process.stderr.write(`wrote ${out} (${counts}${snapshot.partial ? ', PARTIAL' : ''})\n`);
    });
}
