import { writeFileSync } from 'node:fs';
import { buildDemoFlows } from './demo-flows';
import { exportFlowLines } from '../../shared/flows/jsonl';
const flows = buildDemoFlows();
writeFileSync('/work/main/assets/demo/flows.jsonpb', exportFlowLines(flows, 'jsonpb'));
console.log(flows.length);
