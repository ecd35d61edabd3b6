import { XMLBuilder } from 'fast-xml-parser';
import { formatPolicyRefText } from './run';
import type { CheckResultLine, CheckRun } from './types';

export function lineTitle(r: CheckResultLine): string {
  const port = `${r.portName ? `${r.portName}(${r.port})` : r.port}/${r.protocol}`;
  return `${r.from} → ${r.to} :${port} expect ${r.expect}`;
}

/** JUnit XML (testsuites/testsuite/testcase/failure/error) for CI systems; every text is escaped. */
export function checkToJunit(run: CheckRun, suiteName = 'netpol-doctor check'): string {
  const file = run.fileName ?? 'expectations';
  const testcases: Record<string, unknown>[] = run.results.map((r) => {
    const tc: Record<string, unknown> = {
      '@_name': r.name ? `${r.name}: ${lineTitle(r)}` : lineTitle(r),
      '@_classname': `netpol-doctor.${file.replace(/[^A-Za-z0-9_.-]/g, '_')}`,
      '@_time': '0',
    };
    if (!r.ok) {
      tc.failure = {
        '@_message': `expected ${r.expect}, got ${r.actual}: ${r.reason}`,
        '@_type': 'ExpectationFailed',
        '#text': [
          `expected: ${r.expect}`,
          `actual:   ${r.actual}`,
          `reason:   ${r.reason}`,
          `decided by: ${r.decidedBy.map(formatPolicyRefText).join(', ') || '(no policy: default)'}`,
          r.line ? `entry: ${file}:${r.line}` : '',
        ]
          .filter(Boolean)
          .join('\n'),
      };
    }
    return tc;
  });
  for (const e of run.errors) {
    testcases.push({
      '@_name': `entry ${e.entry + 1}${e.name ? `: ${e.name}` : ''}`,
      '@_classname': `netpol-doctor.${file.replace(/[^A-Za-z0-9_.-]/g, '_')}`,
      '@_time': '0',
      error: {
        '@_message': e.message,
        '@_type': 'BadInput',
        '#text': `${file}${e.line ? `:${e.line}` : ''}: ${e.message}`,
      },
    });
  }
  const suite = {
    '@_name': suiteName,
    '@_tests': String(run.results.length + run.errors.length),
    '@_failures': String(run.failed),
    '@_errors': String(run.errors.length),
    '@_skipped': '0',
    '@_time': run.seconds.toFixed(3),
    testcase: testcases,
  };
  const builder = new XMLBuilder({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    format: true,
    suppressEmptyNode: true,
    processEntities: true,
  });
  const body = builder.build({
    testsuites: {
      '@_name': suiteName,
      '@_tests': suite['@_tests'],
      '@_failures': suite['@_failures'],
      '@_errors': suite['@_errors'],
      '@_time': suite['@_time'],
      testsuite: suite,
    },
  }) as string;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
}
