import type { DiagnoseContext } from './context';
import { endpointName } from './context';
import { statusOf } from './status';
import type { DiagnoseStep, Evidence, StepFinding } from './types';

/** Step 4 — CNI: which CNI, whether it enforces policies, agents on both pods' nodes, observability. */
export function cniStep(c: DiagnoseContext): DiagnoseStep {
  const evidence: Evidence[] = [];
  const findings: StepFinding[] = [];
  const cni = c.cni;
  if (c.snapshot.partial?.gaps.length) {
    findings.push({
      severity: 'warning',
      code: 'partial-data',
      message: `The snapshot is partial (${c.snapshot.partial.gaps.length} list${c.snapshot.partial.gaps.length === 1 ? '' : 's'} could not be read): policies you cannot see may change this verdict.`,
    });
    for (const g of c.snapshot.partial.gaps)
      evidence.push({ label: 'Not readable', value: g.message, state: 'warn' });
  }
  if (!cni) {
    findings.push({
      severity: 'warning',
      code: 'cni-unknown',
      message:
        'No CNI facts are available for this snapshot: whether policies are enforced could not be checked.',
    });
    return {
      id: 'cni',
      title: 'CNI',
      status: 'skip',
      summary: 'CNI facts are not available for this snapshot.',
      skipReason:
        'the snapshot holds no CNI objects (DaemonSets, ConfigMaps in kube-system) and no recorded CNI facts',
      evidence,
      findings,
    };
  }
  evidence.push({
    label: 'CNI',
    value: `${cni.name}${cni.version ? ` ${cni.version}` : ''}`,
    state: cni.name === 'unknown' ? 'warn' : 'neutral',
  });
  for (const e of cni.evidence) evidence.push({ label: 'Detected from', value: e, state: 'neutral' });
  evidence.push({
    label: 'Enforces NetworkPolicy',
    value:
      cni.enforcesNetworkPolicy === true ? 'yes' : cni.enforcesNetworkPolicy === false ? 'no' : 'unknown',
    state: cni.enforcesNetworkPolicy === true ? 'ok' : 'bad',
  });
  if (cni.cilium?.policyEnforcementMode)
    evidence.push({
      label: 'Cilium policy enforcement mode',
      value: cni.cilium.policyEnforcementMode,
      state: cni.cilium.policyEnforcementMode === 'never' ? 'bad' : 'neutral',
    });
  if (cni.enforcesNetworkPolicy === false) {
    findings.push({
      severity: 'error',
      code: 'cni-not-enforcing',
      message: `${cni.name} does not enforce NetworkPolicy as installed: the policies have no effect and all traffic flows, whatever the verdict below says.`,
    });
  } else if (cni.enforcesNetworkPolicy === 'unknown') {
    findings.push({
      severity: 'warning',
      code: 'cni-enforcement-unknown',
      message: `Whether ${cni.name === 'unknown' ? 'the CNI' : cni.name} enforces NetworkPolicy could not be determined.`,
    });
  }
  for (const w of cni.warnings) findings.push({ severity: 'warning', code: 'cni-warning', message: w });

  for (const comp of cni.components) {
    const ok = comp.present && (comp.desired === undefined || comp.ready === comp.desired);
    evidence.push({
      label: `${comp.kind} ${comp.namespace}/${comp.name}`,
      value: comp.present
        ? `${comp.ready ?? '?'}/${comp.desired ?? '?'} ready${comp.version ? `, ${comp.version}` : ''}`
        : 'not present',
      state: ok ? 'ok' : 'warn',
    });
  }

  // agent health on the nodes of both pods
  const seen = new Set<string>();
  for (const e of [c.trace.source, c.trace.destination]) {
    if (e.kind !== 'pod' || !e.node || seen.has(e.node)) continue;
    seen.add(e.node);
    const agent = cni.nodes.find((n) => n.node === e.node);
    if (!agent) {
      evidence.push({
        label: `Agent on ${e.node} (${endpointName(e)})`,
        value: 'no agent pod found on this node',
        state: cni.nodes.length ? 'bad' : 'warn',
      });
      if (cni.nodes.length)
        findings.push({
          severity: 'error',
          code: 'agent-missing',
          message: `No ${cni.name} agent runs on node ${e.node}, where ${endpointName(e)} runs: policies are not enforced (or traffic is not forwarded) there.`,
        });
      continue;
    }
    evidence.push({
      label: `Agent on ${e.node} (${endpointName(e)})`,
      value: `${agent.pod ?? 'agent'}: ${agent.ready ? 'ready' : `NOT ready${agent.reason ? ` (${agent.reason})` : ''}`}`,
      state: agent.ready ? 'ok' : 'bad',
    });
    if (!agent.ready)
      findings.push({
        severity: 'error',
        code: 'agent-not-ready',
        message:
          `The ${cni.name} agent on node ${e.node} (${agent.pod ?? 'agent'}) is not ready${agent.reason ? `: ${agent.reason}` : ''}. Traffic of ${endpointName(e)} may be dropped whatever the policies say. Check: kubectl -n ${cni.cilium ? 'kube-system' : (cni.calico?.namespace ?? 'kube-system')} logs ${agent.pod ?? ''}`.trim(),
      });
  }
  const obs = cni.observability;
  evidence.push({
    label: 'Flow observability',
    value:
      [
        obs.hubble ? `Hubble${cni.cilium?.hubbleRelayPresent ? ' (Relay present)' : ''}` : '',
        obs.calico ? 'Calico flow logs / calicoctl' : '',
      ]
        .filter(Boolean)
        .join(', ') || 'none detected',
    state: obs.hubble || obs.calico ? 'ok' : 'neutral',
  });
  if (!obs.hubble && !obs.calico)
    findings.push({
      severity: 'info',
      code: 'no-observability',
      message:
        'No flow observability (Hubble, Calico flow logs) was detected: the verdict cannot be confirmed against observed flows.',
    });
  if (cni.ipBlockMatchesPodIPs === false)
    evidence.push({
      label: 'ipBlock and pod IPs',
      value: `${cni.name} does not match pod IPs with ipBlock rules`,
      state: 'neutral',
    });

  const status = statusOf(findings);
  const summary =
    status === 'fail'
      ? findings.find((f) => f.severity === 'error')!.message
      : status === 'warn'
        ? findings.find((f) => f.severity === 'warning')!.message
        : `${cni.name}${cni.version ? ` ${cni.version}` : ''} enforces NetworkPolicy and its agents are ready on the nodes of both pods.`;
  return { id: 'cni', title: 'CNI', status, summary, evidence, findings };
}
