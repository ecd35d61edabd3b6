import type { Question } from '@shared/diagnose/types';

/** The demo snapshot's four classic problems (assets/demo/README.md), offered as one-click questions. */
export const demoQuestions: { id: string; label: string; question: Question }[] = [
  {
    id: 'a',
    label: 'web → api :8080',
    question: {
      from: 'frontend/web-7d9f8b6c5-x2k4p',
      to: 'backend/api-5c6d7f8b9-abcde',
      port: 8080,
      protocol: 'TCP',
    },
  },
  {
    id: 'b',
    label: 'payments → DNS :53/UDP',
    question: {
      from: 'payments/payments-6b7c8d9e5-klmno',
      to: 'kube-system/coredns-5d78c9869d-7xk2m',
      port: 53,
      protocol: 'UDP',
    },
  },
  {
    id: 'c',
    label: 'grafana → postgres :9187',
    question: {
      from: 'monitoring/grafana-6f7d8c9b4-rstuv',
      to: 'data/postgres-0',
      port: 9187,
      protocol: 'TCP',
    },
  },
  {
    id: 'd',
    label: 'api → redis :6379',
    question: {
      from: 'backend/api-5c6d7f8b9-abcde',
      to: 'backend/redis-cache-0',
      port: 6379,
      protocol: 'TCP',
    },
  },
];
