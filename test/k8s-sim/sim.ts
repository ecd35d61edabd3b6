/**
 * The Kubernetes API simulator: an HTTPS server on 127.0.0.1 speaking the API server's wire format
 * (discovery, lists with pagination and selectors, watches, RBAC 401/403 Status objects, access
 * reviews, port-forward over WebSocket) with fault injection for tests.
 */
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { generateCa, generateClientCert, generateServerCert, type KeyPair } from './certs.js';
import { kubeconfigYaml, type KubeconfigOptions } from './kubeconfig.js';
import { PortForwarder } from './portforward.js';
import { decodeReview } from './protobuf.js';
import { answerReview } from './reviews.js';
import { apiGroupDoc, groupListDoc, resourceListDoc, versionInfo } from './discovery.js';
import { forbiddenStatus, Rbac, type AuthUser, type RequestAttributes, type SimRule } from './rbac.js';
import {
  CORE_RESOURCES,
  OPTIONAL_GROUPS,
  crdObjectFor,
  groupVersionOf,
  normalizeGroupKey,
  type ResourceDef,
} from './resources.js';
import { loadScenarioFile, scenarioObjects, type SimScenario } from './scenario.js';
import { parseFieldSelector, parseLabelSelector, SelectorError } from './selectors.js';
import {
  badRequest,
  CONTINUE_EXPIRED_MESSAGE,
  failure,
  NOT_FOUND_PATH,
  notFoundObject,
  tooOldResourceVersion,
  UNAUTHORIZED,
  type K8sStatus,
} from './status.js';
import { keyOf, ObjectStore, resourceIdOf, type KubeObjectLike, type StoreEvent } from './store.js';

export interface StartK8sSimOptions {
  /** A scenario object, or the path of a scenario YAML file. */
  scenario: SimScenario | string;
  /** Extra objects held in memory (generator hook: e.g. a 10k-pod cluster). */
  objects?: KubeObjectLike[];
  /** Port on 127.0.0.1 (default: a free one). */
  port?: number;
  /** Delay added before answering every request (ms). */
  latencyMs?: number;
  /** Interval of BOOKMARK events on watches that allow them (ms, default 5000). */
  bookmarkIntervalMs?: number;
  /** Watch history kept (events); older resourceVersions are "too old" (default 10000). */
  historySize?: number;
}

export interface SimUserCredentials {
  name: string;
  groups: string[];
  token?: string;
  certPem?: string;
  keyPem?: string;
}

export interface RequestRecord {
  method: string;
  path: string;
  query: string;
  user?: string;
  status?: number;
  watch: boolean;
}

export interface WatchEventInput {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KubeObjectLike;
}

interface ResourceRoute {
  def: ResourceDef;
  namespace?: string;
  name?: string;
  subresource?: string;
  watchPrefix: boolean;
}

interface ContinueToken {
  v: string;
  rv: number;
  start: string;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Serialized list items, cached per stored object (stored objects are immutable: a change stores a new one). */
const itemJsonCache = new WeakMap<KubeObjectLike, string>();

/** A list item as JSON: typed resources drop kind/apiVersion like the real server, CRD items keep them. */
function listItemJson(obj: KubeObjectLike, def: ResourceDef): string {
  let json = itemJsonCache.get(obj);
  if (json === undefined) {
    if (def.crd) json = JSON.stringify(obj);
    else {
      const { kind: _k, apiVersion: _a, ...rest } = obj;
      json = JSON.stringify(rest);
    }
    itemJsonCache.set(obj, json);
  }
  return json;
}

function encodeContinue(t: ContinueToken): string {
  return Buffer.from(JSON.stringify(t)).toString('base64url');
}

function decodeContinue(s: string): ContinueToken | undefined {
  try {
    const t = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Partial<ContinueToken>;
    if (t.v !== 'meta.k8s.io/v1' || typeof t.rv !== 'number' || typeof t.start !== 'string') return undefined;
    return t as ContinueToken;
  } catch {
    return undefined;
  }
}

export class K8sSim {
  private urlValue = '';
  private portValue = 0;
  /** `https://127.0.0.1:PORT` */
  get url(): string {
    return this.urlValue;
  }
  get port(): number {
    return this.portValue;
  }
  readonly caPem: string;
  /** All requests served, in order (for assertions on pagination, parallelism, ...). */
  readonly requests: RequestRecord[] = [];

  private server!: https.Server;
  private readonly store: ObjectStore;
  private readonly defs: ResourceDef[] = [];
  private readonly byGvPlural = new Map<string, ResourceDef>();
  private readonly byApiVersionKind = new Map<string, ResourceDef>();
  private readonly servedGroups = new Map<string, string[]>(); // group -> versions (preferred first)
  private readonly tokens = new Map<string, AuthUser>();
  private readonly rbac: Rbac;
  private readonly sockets = new Set<Socket>();
  private readonly watchClosers = new Set<() => void>();
  private readonly failLists = new Map<string, number>();
  private readonly failRequests = new Map<string, { n: number; code: number }>();
  private readonly portForwarder: PortForwarder;
  private latencyMs: number;
  private readonly bookmarkIntervalMs: number;
  private readonly version: string;

  private constructor(
    private readonly scenario: SimScenario,
    private readonly ca: KeyPair,
    private readonly serverCert: KeyPair,
    readonly users: SimUserCredentials[],
    opts: StartK8sSimOptions,
  ) {
    this.caPem = ca.certPem;
    this.latencyMs = opts.latencyMs ?? 0;
    this.bookmarkIntervalMs = opts.bookmarkIntervalMs ?? 5000;
    this.version = scenario.version ?? '1.34.2';
    this.store = new ObjectStore(opts.historySize ?? 10_000);

    const userRules = new Map<string, SimRule[]>();
    for (const u of scenario.users ?? []) {
      userRules.set(u.name, u.rules ?? []);
    }
    for (const u of users) {
      if (u.token) this.tokens.set(u.token, { name: u.name, groups: u.groups });
    }
    this.rbac = new Rbac(userRules, new Map(Object.entries(scenario.groupRules ?? {})));
    this.portForwarder = new PortForwarder();
    for (const pf of scenario.portForwards ?? []) {
      this.portForwarder.setTarget(pf.namespace, pf.pod, pf.port, pf.target);
    }
  }

  static async start(opts: StartK8sSimOptions): Promise<K8sSim> {
    const scenario = typeof opts.scenario === 'string' ? loadScenarioFile(opts.scenario) : opts.scenario;
    const ca = await generateCa();
    const serverCert = await generateServerCert(ca);
    const users: SimUserCredentials[] = [];
    const seen = new Set<string>();
    for (const u of scenario.users ?? []) {
      if (seen.has(u.name)) throw new Error(`k8s-sim: duplicate user "${u.name}" in scenario`);
      seen.add(u.name);
      const groups = [...(u.groups ?? []), 'system:authenticated'];
      const cred: SimUserCredentials = { name: u.name, groups };
      if (u.token) cred.token = u.token;
      if (u.cert) {
        const expired = typeof u.cert === 'object' && u.cert.expired === true;
        const now = Date.now();
        const pair = await generateClientCert(ca, {
          user: u.name,
          groups: u.groups ?? [],
          ...(expired
            ? { notBefore: new Date(now - 30 * 86400_000), notAfter: new Date(now - 86400_000) }
            : {}),
        });
        cred.certPem = pair.certPem;
        cred.keyPem = pair.keyPem;
      }
      if (!cred.token && !cred.certPem)
        throw new Error(`k8s-sim: user "${u.name}" needs a token or cert: true`);
      users.push(cred);
    }
    const sim = new K8sSim(scenario, ca, serverCert, users, opts);
    sim.buildCatalog(scenario, [...scenarioObjects(scenario), ...(opts.objects ?? [])]);
    await sim.listen(opts.port ?? 0);
    return sim;
  }

  // ------------------------------------------------------------------ catalog and objects

  private addDef(def: ResourceDef): void {
    const gv = groupVersionOf(def);
    const k = `${gv}|${def.plural}`;
    if (this.byGvPlural.has(k)) return;
    this.defs.push(def);
    this.byGvPlural.set(k, def);
    this.byApiVersionKind.set(`${gv}|${def.kind}`, def);
    if (def.group) {
      const versions = this.servedGroups.get(def.group) ?? [];
      if (!versions.includes(def.version)) versions.push(def.version);
      this.servedGroups.set(def.group, versions);
    }
  }

  private buildCatalog(scenario: SimScenario, objects: KubeObjectLike[]): void {
    for (const d of CORE_RESOURCES) this.addDef(d);
    for (const key of scenario.crds ?? [])
      for (const k of normalizeGroupKey(key)) for (const d of OPTIONAL_GROUPS[k]!) this.addDef(d);
    for (const d of scenario.resources ?? []) this.addDef(d);
    this.loadObjects(objects);
  }

  /** The catalog entry for an object, serving its optional group on first sight. */
  private defForObject(obj: KubeObjectLike): ResourceDef {
    const k = `${obj.apiVersion}|${obj.kind}`;
    let def = this.byApiVersionKind.get(k);
    if (!def) {
      for (const [key, defs] of Object.entries(OPTIONAL_GROUPS)) {
        if (key.endsWith('-crd')) continue;
        const hit = defs.find((d) => `${groupVersionOf(d)}|${d.kind}` === k);
        if (hit) {
          for (const d of defs) this.addDef(d);
          // A group first seen at runtime: its CRD objects appear (with events), as when a CRD is installed.
          if (this.loaded) this.syncCrdObjects();
          def = hit;
          break;
        }
      }
    }
    if (!def) {
      throw new Error(
        `k8s-sim: no resource serves ${obj.kind} (${obj.apiVersion}); declare it under "resources:" in the scenario`,
      );
    }
    return def;
  }

  private loadObjects(objects: KubeObjectLike[]): void {
    for (const obj of objects) {
      const def = this.defForObject(obj);
      if (def.namespaced && !obj.metadata.namespace) obj.metadata.namespace = 'default';
      this.store.load(def, obj);
    }
    this.syncCrdObjects(true);
    this.loaded = true;
  }
  private loaded = false;

  /** Keep CustomResourceDefinition objects for every CRD-backed resource served. */
  private syncCrdObjects(initial = false): void {
    const crdDef = this.byGvPlural.get('apiextensions.k8s.io/v1|customresourcedefinitions')!;
    const versionsByName = new Map<string, { def: ResourceDef; versions: string[] }>();
    for (const d of this.defs) {
      if (!d.crd) continue;
      const name = `${d.plural}.${d.group}`;
      const e = versionsByName.get(name) ?? { def: d, versions: [] };
      e.versions.push(d.version);
      versionsByName.set(name, e);
    }
    for (const [name, { def, versions }] of versionsByName) {
      if (this.store.get(crdDef, name)) continue;
      const crd = crdObjectFor(def, versions) as unknown as KubeObjectLike;
      if (initial) this.store.load(crdDef, crd);
      else this.store.upsert(crdDef, crd);
    }
  }

  /** Replace every object of the cluster; watches see ADDED/MODIFIED/DELETED for the differences. */
  setObjects(objects: KubeObjectLike[]): void {
    const next = new Map<string, { def: ResourceDef; obj: KubeObjectLike }>();
    for (const input of objects) {
      const obj = structuredClone(input);
      const def = this.defForObject(obj);
      if (def.namespaced && !obj.metadata.namespace) obj.metadata.namespace = 'default';
      next.set(`${resourceIdOf(def)}|${keyOf(obj)}`, { def, obj });
    }
    for (const def of this.defs) {
      if (def.createOnly || def.plural === 'customresourcedefinitions') continue;
      for (const key of [...this.store.keys(def)]) {
        if (!next.has(`${resourceIdOf(def)}|${key}`)) this.store.remove(def, key);
      }
    }
    for (const { def, obj } of next.values()) this.store.upsert(def, obj);
    this.syncCrdObjects();
  }

  /** Apply one change, as if a controller wrote it; open watches receive the event. Returns the stored object. */
  applyEvent(ev: WatchEventInput): KubeObjectLike {
    const obj = structuredClone(ev.object);
    const def = this.defForObject(obj);
    if (def.namespaced && !obj.metadata.namespace) obj.metadata.namespace = 'default';
    if (ev.type === 'DELETED') {
      const removed = this.store.remove(def, keyOf(obj));
      if (!removed) throw new Error(`k8s-sim: cannot delete ${obj.kind} ${keyOf(obj)}: not found`);
      return removed.object;
    }
    return this.store.upsert(def, obj).object;
  }

  /** Stored objects (with kind/apiVersion), optionally of one kind. */
  getObjects(kind?: string): KubeObjectLike[] {
    return this.store.all().filter((o) => !kind || o.kind === kind);
  }

  /** Current resourceVersion of the cluster. */
  get resourceVersion(): string {
    return String(this.store.resourceVersion);
  }

  /** Forget the watch history (etcd compaction): older resourceVersions and continue tokens → 410. */
  compact(): void {
    this.store.compact();
  }

  // ------------------------------------------------------------------ faults and runtime settings

  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  /** The next `n` lists of `resource` (plural, e.g. `pods` or `networkpolicies.networking.k8s.io`) break mid-response. */
  failNextList(resource: string, n = 1): void {
    this.failLists.set(resource, (this.failLists.get(resource) ?? 0) + n);
  }

  /** The next `n` requests on `resource` answer with an error Status (default 500 InternalError). */
  failNextRequests(resource: string, n = 1, code = 500): void {
    this.failRequests.set(resource, { n, code });
  }

  /** End every open watch (the connections stay). */
  dropWatches(): void {
    for (const close of [...this.watchClosers]) close();
  }

  /** Cut every port-forward tunnel and its target connection (API connections stay). */
  dropPortForwards(): void {
    this.portForwarder.dropAll();
  }

  /** Destroy every open connection (keep-alive sockets, watches, port-forwards). The server keeps listening. */
  dropConnections(): void {
    for (const close of [...this.watchClosers]) close();
    this.portForwarder.dropAll();
    for (const s of [...this.sockets]) s.destroy();
  }

  setPortForwardTarget(namespace: string, pod: string, port: number, hostPort: string | number): void {
    this.portForwarder.setTarget(
      namespace,
      pod,
      port,
      typeof hostPort === 'number' ? `127.0.0.1:${hostPort}` : hostPort,
    );
  }

  /** Send a BOOKMARK now on every watch that allows bookmarks. */
  sendBookmarks(): void {
    this.bookmarkNow.forEach((fn) => fn());
  }
  private readonly bookmarkNow = new Set<() => void>();

  /** Requests (not watches) being answered right now, and the most seen at once since the last reset. */
  get inFlightRequests(): number {
    return this.inFlight;
  }
  get maxInFlightRequests(): number {
    return this.maxInFlightSeen;
  }
  resetMaxInFlight(): void {
    this.maxInFlightSeen = this.inFlight;
  }
  private inFlight = 0;
  private maxInFlightSeen = 0;

  get activeWatches(): number {
    return this.watchClosers.size;
  }

  get activePortForwards(): number {
    return this.portForwarder.activeCount;
  }

  get openConnections(): number {
    return this.sockets.size;
  }

  // ------------------------------------------------------------------ kubeconfig

  kubeconfigYaml(opts: KubeconfigOptions = {}): string {
    return kubeconfigYaml(this.url, this.caPem, this.users, opts);
  }

  writeKubeconfig(path: string, opts: KubeconfigOptions = {}): void {
    writeFileSync(path, this.kubeconfigYaml(opts), { mode: 0o600 });
  }

  /** Credentials of a scenario user (token and/or client certificate). */
  user(name: string): SimUserCredentials {
    const u = this.users.find((x) => x.name === name);
    if (!u) throw new Error(`k8s-sim: no user "${name}" in the scenario`);
    return u;
  }

  // ------------------------------------------------------------------ server

  private async listen(port: number): Promise<void> {
    this.server = https.createServer(
      {
        key: this.serverCert.keyPem,
        cert: this.serverCert.certPem,
        ca: this.ca.certPem,
        requestCert: true,
        rejectUnauthorized: false,
      },
      (req, res) => {
        void this.handle(req, res).catch((e: unknown) => {
          if (!res.headersSent)
            this.sendStatus(res, failure(500, 'InternalError', `k8s-sim: ${(e as Error).message}`));
          else res.destroy();
        });
      },
    );
    this.server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
      void this.handleUpgrade(req, socket, head).catch(() => socket.destroy());
    });
    this.server.on('tlsClientError', () => undefined);
    this.server.listen(port, '127.0.0.1');
    await once(this.server, 'listening');
    const addr = this.server.address();
    if (!addr || typeof addr === 'string') throw new Error('k8s-sim: no address');
    this.portValue = addr.port;
    this.urlValue = `https://127.0.0.1:${addr.port}`;
  }

  async close(): Promise<void> {
    this.dropConnections();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private logRequest(r: RequestRecord): void {
    this.requests.push(r);
    if (this.requests.length > 100_000) this.requests.splice(0, 50_000);
  }

  private authenticate(req: IncomingMessage): AuthUser | undefined {
    const sock = req.socket as TLSSocket;
    const cert = typeof sock.getPeerCertificate === 'function' ? sock.getPeerCertificate() : undefined;
    if (cert && cert.subject && Object.keys(cert.subject).length > 0) {
      // An expired or foreign client certificate is refused outright, like the API server does.
      if (!sock.authorized) return undefined;
      const o = cert.subject.O as string | string[] | undefined;
      const groups = o === undefined ? [] : Array.isArray(o) ? o : [o];
      return { name: String(cert.subject.CN), groups: [...groups, 'system:authenticated'] };
    }
    const auth = req.headers.authorization;
    if (auth) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
      if (m) return this.tokens.get(m[1]!);
    }
    return undefined;
  }

  private sendJson(res: ServerResponse, code: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(code, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(text),
      'Cache-Control': 'no-cache, private',
    });
    res.end(text);
  }

  private sendStatus(res: ServerResponse, st: K8sStatus): void {
    this.sendJson(res, st.code, st);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const record: RequestRecord = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.search,
      watch: url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1',
    };
    this.logRequest(record);
    let counted = !record.watch;
    if (counted) {
      this.inFlight += 1;
      this.maxInFlightSeen = Math.max(this.maxInFlightSeen, this.inFlight);
    }
    const done = (): void => {
      record.status ??= res.statusCode;
      if (counted) {
        counted = false;
        this.inFlight -= 1;
      }
    };
    res.on('finish', () => {
      record.status = res.statusCode;
      done();
    });
    res.on('close', done);
    if (this.latencyMs > 0) await sleep(this.latencyMs);

    const user = this.authenticate(req);
    if (!user) return this.sendStatus(res, UNAUTHORIZED());
    record.user = user.name;

    const p = url.pathname;
    if (p === '/version' || p === '/version/') return this.sendJson(res, 200, versionInfo(this.version));
    if (/^\/(healthz|livez|readyz)\/?$/.test(p)) {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      return void res.end('ok');
    }
    const parts = p.split('/').filter((x) => x.length > 0);
    let group: string;
    let rest: string[];
    if (parts[0] === 'api') {
      if (parts.length === 1) {
        return this.sendJson(res, 200, {
          kind: 'APIVersions',
          versions: ['v1'],
          serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `127.0.0.1:${this.port}` }],
        });
      }
      if (parts[1] !== 'v1') return this.sendStatus(res, NOT_FOUND_PATH());
      group = '';
      rest = parts.slice(2);
      if (rest.length === 0) return this.sendJson(res, 200, resourceListDoc(this.defs, '', 'v1'));
    } else if (parts[0] === 'apis') {
      if (parts.length === 1) return this.sendJson(res, 200, groupListDoc(this.servedGroups));
      group = parts[1]!;
      const versions = this.servedGroups.get(group);
      if (!versions) return this.sendStatus(res, NOT_FOUND_PATH());
      if (parts.length === 2) return this.sendJson(res, 200, apiGroupDoc(group, versions));
      if (!versions.includes(parts[2]!)) return this.sendStatus(res, NOT_FOUND_PATH());
      rest = parts.slice(3);
      if (rest.length === 0) return this.sendJson(res, 200, resourceListDoc(this.defs, group, parts[2]!));
      rest = [parts[2]!, ...rest];
    } else {
      return this.sendStatus(res, NOT_FOUND_PATH());
    }
    const version = group === '' ? 'v1' : rest.shift()!;
    const route = this.route(group, version, rest);
    if (!route) return this.sendStatus(res, NOT_FOUND_PATH());
    return this.serveResource(req, res, url, user, route, record);
  }

  private route(group: string, version: string, restIn: string[]): ResourceRoute | undefined {
    let rest = restIn;
    let watchPrefix = false;
    if (rest[0] === 'watch') {
      watchPrefix = true;
      rest = rest.slice(1);
    }
    let namespace: string | undefined;
    if (
      rest[0] === 'namespaces' &&
      rest.length >= 3 &&
      !(group === '' && ['status', 'finalize'].includes(rest[2]!))
    ) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
    if (rest.length === 0 || rest.length > 3) return undefined;
    const def = this.byGvPlural.get(`${groupVersionOf({ group, version })}|${rest[0]}`);
    if (!def) return undefined;
    if (namespace !== undefined && !def.namespaced) return undefined;
    return {
      def,
      watchPrefix,
      ...(namespace !== undefined ? { namespace } : {}),
      ...(rest[1] !== undefined ? { name: rest[1] } : {}),
      ...(rest[2] !== undefined ? { subresource: rest[2] } : {}),
    };
  }

  private forbidden(res: ServerResponse, user: AuthUser, a: RequestAttributes): void {
    this.sendStatus(res, forbiddenStatus(user, a));
  }

  private qualified(def: ResourceDef): string {
    return def.group ? `${def.plural}.${def.group}` : def.plural;
  }

  private takeInjectedFailure(def: ResourceDef, map: Map<string, number>): boolean {
    for (const key of [def.plural, this.qualified(def)]) {
      const n = map.get(key);
      if (n && n > 0) {
        if (n === 1) map.delete(key);
        else map.set(key, n - 1);
        return true;
      }
    }
    return false;
  }

  private async serveResource(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    user: AuthUser,
    route: ResourceRoute,
    record: RequestRecord,
  ): Promise<void> {
    const { def } = route;
    for (const key of [def.plural, this.qualified(def)]) {
      const f = this.failRequests.get(key);
      if (f && f.n > 0) {
        f.n -= 1;
        if (f.n === 0) this.failRequests.delete(key);
        const reason =
          f.code === 429 ? 'TooManyRequests' : f.code === 503 ? 'ServiceUnavailable' : 'InternalError';
        return this.sendStatus(res, failure(f.code, reason, `k8s-sim: injected failure for ${key}`));
      }
    }
    const method = req.method ?? 'GET';
    const q = url.searchParams;
    const isWatch = route.watchPrefix || q.get('watch') === 'true' || q.get('watch') === '1';
    record.watch = isWatch;

    if (route.subresource) {
      if (def.plural === 'pods' && route.subresource === 'portforward') {
        return this.sendStatus(res, badRequest('Upgrade request required'));
      }
      return this.sendStatus(res, NOT_FOUND_PATH());
    }

    if (def.createOnly) {
      if (method !== 'POST' || route.name) {
        return this.sendStatus(
          res,
          failure(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`),
        );
      }
      const body = await readBody(req);
      if (body === undefined)
        return this.sendStatus(res, badRequest('the body of the request was in an unknown format'));
      const answer = answerReview(this.rbac, user, def, route.namespace, body);
      return 'kind' in answer ? this.sendStatus(res, answer) : this.sendJson(res, answer.code, answer.body);
    }

    const attrs = (verb: string): RequestAttributes => ({
      verb,
      group: def.group,
      resource: def.plural,
      ...(route.namespace !== undefined ? { namespace: route.namespace } : {}),
      ...(route.name !== undefined ? { name: route.name } : {}),
    });

    if (method === 'GET' && route.name && !isWatch) {
      if (!this.rbac.allows(user, attrs('get'))) return this.forbidden(res, user, attrs('get'));
      const key = route.namespace ? `${route.namespace}/${route.name}` : route.name;
      const obj = def.namespaced && !route.namespace ? undefined : this.store.get(def, key);
      if (!obj) return this.sendStatus(res, notFoundObject(def.plural, def.group, route.name));
      return this.sendJson(res, 200, obj);
    }
    if (method === 'GET') {
      const verb = isWatch ? 'watch' : 'list';
      const a = attrs(verb);
      delete a.name;
      if (!this.rbac.allows(user, a)) return this.forbidden(res, user, a);
      let label, field;
      try {
        label = parseLabelSelector(q.get('labelSelector'));
        field = parseFieldSelector(
          [q.get('fieldSelector'), route.name ? `metadata.name=${route.name}` : ''].filter(Boolean).join(','),
          def.kind,
        );
      } catch (e) {
        if (e instanceof SelectorError) return this.sendStatus(res, badRequest(e.message));
        throw e;
      }
      const matches = (o: KubeObjectLike): boolean =>
        (!label || label(o.metadata.labels)) && (!field || field(o as unknown as Record<string, unknown>));
      if (isWatch) return this.watch(req, res, route, q, matches);
      return this.list(res, route, q, matches, !label && !field);
    }
    if (method === 'POST' && !route.name) {
      if (!this.rbac.allows(user, attrs('create'))) return this.forbidden(res, user, attrs('create'));
      if (isProtobuf(req)) {
        return this.sendStatus(
          res,
          failure(415, 'UnsupportedMediaType', 'k8s-sim reads protobuf only for access reviews'),
        );
      }
      const body = (await readBody(req)) as KubeObjectLike | undefined;
      if (!body || typeof body !== 'object' || !body.metadata?.name) {
        return this.sendStatus(res, badRequest('the body of the request was in an unknown format'));
      }
      if (def.namespaced) body.metadata.namespace = route.namespace ?? body.metadata.namespace ?? 'default';
      if (this.store.get(def, keyOf(body))) {
        const qr = this.qualified(def);
        return this.sendStatus(
          res,
          failure(409, 'AlreadyExists', `${qr} "${body.metadata.name}" already exists`, {
            name: body.metadata.name,
            ...(def.group ? { group: def.group } : {}),
            kind: def.plural,
          }),
        );
      }
      body.apiVersion = groupVersionOf(def);
      body.kind = def.kind;
      return this.sendJson(res, 201, this.store.upsert(def, body).object);
    }
    if (method === 'DELETE' && route.name) {
      if (!this.rbac.allows(user, attrs('delete'))) return this.forbidden(res, user, attrs('delete'));
      const key = route.namespace ? `${route.namespace}/${route.name}` : route.name;
      const ev = this.store.remove(def, key);
      if (!ev) return this.sendStatus(res, notFoundObject(def.plural, def.group, route.name));
      return this.sendJson(res, 200, ev.object);
    }
    return this.sendStatus(
      res,
      failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'),
    );
  }

  private list(
    res: ServerResponse,
    route: ResourceRoute,
    q: URLSearchParams,
    matches: (o: KubeObjectLike) => boolean,
    unfiltered: boolean,
  ): void {
    const { def } = route;
    const limitRaw = q.get('limit');
    const limit = limitRaw ? Number(limitRaw) : 0;
    if (limitRaw && (!Number.isInteger(limit) || limit < 0)) {
      return this.sendStatus(res, badRequest(`invalid limit: ${limitRaw}`));
    }
    const contRaw = q.get('continue');
    let listRv = this.store.resourceVersion;
    let startKey: string | undefined;
    if (contRaw) {
      const tok = decodeContinue(contRaw);
      if (!tok)
        return this.sendStatus(
          res,
          badRequest(
            `continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)`,
          ),
        );
      if (tok.rv < this.store.oldestAvailableRv) {
        // Like etcd: the Status carries an "inconsistent" continue token at the current revision.
        const st = failure(410, 'Expired', CONTINUE_EXPIRED_MESSAGE);
        st.metadata = { continue: encodeContinue({ ...tok, rv: this.store.resourceVersion }) };
        return this.sendStatus(res, st);
      }
      listRv = tok.rv;
      startKey = tok.start;
    }
    const keys = this.store.keys(def, route.namespace);
    let i = 0;
    if (startKey !== undefined) {
      let lo = 0;
      let hi = keys.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (keys[mid]! < startKey) lo = mid + 1;
        else hi = mid;
      }
      i = lo;
    }
    const items: string[] = [];
    let lastKey: string | undefined;
    for (; i < keys.length; i++) {
      if (limit > 0 && items.length >= limit) break;
      const obj = this.store.get(def, keys[i]!)!;
      if (!matches(obj)) continue;
      items.push(listItemJson(obj, def));
      lastKey = keys[i];
    }
    const more = limit > 0 && i < keys.length && lastKey !== undefined;
    const metadata: Record<string, unknown> = { resourceVersion: String(listRv) };
    if (more) {
      metadata.continue = encodeContinue({ v: 'meta.k8s.io/v1', rv: listRv, start: `${lastKey}\u0000` });
      if (unfiltered) metadata.remainingItemCount = keys.length - i;
    }
    const head = JSON.stringify({ kind: `${def.kind}List`, apiVersion: groupVersionOf(def), metadata });
    const text = `${head.slice(0, -1)},"items":[${items.join(',')}]}`;
    if (this.takeInjectedFailure(def, this.failLists)) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write(text.slice(0, Math.max(1, Math.floor(text.length / 2))));
      setTimeout(() => res.socket?.destroy(), 20);
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
    // Stream big lists in chunks (like the API server) instead of one huge string.
    const CHUNK = 256 * 1024;
    for (let off = 0; off < text.length; off += CHUNK) res.write(text.slice(off, off + CHUNK));
    res.end();
  }

  private watch(
    req: IncomingMessage,
    res: ServerResponse,
    route: ResourceRoute,
    q: URLSearchParams,
    matchesSelectors: (o: KubeObjectLike) => boolean,
  ): void {
    const { def } = route;
    const resourceId = resourceIdOf(def);
    const rvParam = q.get('resourceVersion');
    const rv = rvParam && rvParam !== '0' ? Number(rvParam) : undefined;
    if (rv !== undefined && (!Number.isInteger(rv) || rv < 0)) {
      return this.sendStatus(
        res,
        badRequest(`Invalid value: "${rvParam}": strconv.ParseUint: parsing "${rvParam}": invalid syntax`),
      );
    }
    const bookmarks = q.get('allowWatchBookmarks') === 'true' || q.get('allowWatchBookmarks') === '1';
    const sendInitialEvents = q.get('sendInitialEvents') === 'true';
    const timeoutSeconds = Number(q.get('timeoutSeconds') ?? '0');
    const matches = (o: KubeObjectLike): boolean =>
      (!route.namespace || o.metadata.namespace === route.namespace) && matchesSelectors(o);

    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
    res.flushHeaders();
    const write = (type: string, object: unknown): void => {
      if (!res.writableEnded && !res.destroyed) res.write(`${JSON.stringify({ type, object })}\n`);
    };
    const bookmark = (initialEnd = false): void =>
      write('BOOKMARK', {
        kind: def.kind,
        apiVersion: groupVersionOf(def),
        metadata: {
          resourceVersion: String(this.store.resourceVersion),
          ...(initialEnd ? { annotations: { 'k8s.io/initial-events-end': 'true' } } : {}),
        },
      });
    const deliver = (ev: StoreEvent): void => {
      const now = matches(ev.object);
      const before = ev.previous ? matches(ev.previous) : false;
      if (ev.type === 'ADDED' && now) write('ADDED', ev.object);
      else if (ev.type === 'MODIFIED') {
        if (now && before) write('MODIFIED', ev.object);
        else if (now) write('ADDED', ev.object);
        else if (before) write('DELETED', ev.object);
      } else if (ev.type === 'DELETED' && (before || now)) write('DELETED', ev.object);
    };

    if (rv === undefined) {
      for (const key of this.store.keys(def, route.namespace)) {
        const obj = this.store.get(def, key)!;
        if (matches(obj)) write('ADDED', obj);
      }
      if (sendInitialEvents && bookmarks) bookmark(true);
    } else {
      const evs = this.store.eventsSince(rv, resourceId);
      if (evs === 'expired') {
        write('ERROR', tooOldResourceVersion(rv, this.store.oldestAvailableRv));
        res.end();
        return;
      }
      for (const ev of evs) deliver(ev);
    }

    const unsubscribe = this.store.subscribe((ev) => {
      if (ev.resourceId === resourceId) deliver(ev);
    });
    const timers: NodeJS.Timeout[] = [];
    const bm = (): void => bookmark();
    if (bookmarks) {
      timers.push(setInterval(bm, this.bookmarkIntervalMs));
      this.bookmarkNow.add(bm);
    }
    const closer = (): void => {
      cleanup();
      res.destroy();
    };
    const cleanup = (): void => {
      unsubscribe();
      timers.forEach((t) => clearInterval(t));
      this.bookmarkNow.delete(bm);
      this.watchClosers.delete(closer);
    };
    if (timeoutSeconds > 0) {
      timers.push(
        setTimeout(() => {
          cleanup();
          res.end();
        }, timeoutSeconds * 1000),
      );
    }
    this.watchClosers.add(closer);
    res.on('close', cleanup);
    req.on('close', cleanup);
  }

  // ------------------------------------------------------------------ port-forward (WebSocket upgrade)

  private async handleUpgrade(req: IncomingMessage, socket: Socket, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const record: RequestRecord = { method: 'UPGRADE', path: url.pathname, query: url.search, watch: false };
    this.logRequest(record);
    const rejectUpgrade = (st: K8sStatus): void => {
      record.status = st.code;
      writeUpgradeRejection(socket, st);
    };
    if (this.latencyMs > 0) await sleep(this.latencyMs);
    const user = this.authenticate(req);
    if (!user) return rejectUpgrade(UNAUTHORIZED());
    record.user = user.name;
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/portforward$/.exec(url.pathname);
    if (!m) return rejectUpgrade(NOT_FOUND_PATH());
    const [, namespace, pod] = m as unknown as [string, string, string];
    const attrs: RequestAttributes = {
      verb: 'create',
      group: '',
      resource: 'pods/portforward',
      namespace,
      name: pod,
    };
    if (!this.rbac.allows(user, attrs)) {
      return rejectUpgrade(forbiddenStatus(user, attrs));
    }
    const podDef = this.byGvPlural.get('v1|pods')!;
    const podObj = this.store.get(podDef, `${namespace}/${pod}`);
    if (!podObj) return rejectUpgrade(notFoundObject('pods', '', pod));
    const phase = (podObj.status as { phase?: string } | undefined)?.phase;
    if (phase && phase !== 'Running') {
      return rejectUpgrade(
        badRequest(`unable to upgrade connection: pod not running (current phase: ${phase})`),
      );
    }
    const ports = url.searchParams
      .getAll('ports')
      .concat(url.searchParams.getAll('port'))
      .flatMap((s) => s.split(','))
      .filter((s) => s.trim() !== '')
      .map((s) => Number(s));
    if (ports.length === 0) return rejectUpgrade(badRequest('query parameter "port" is required'));
    const bad = ports.find((p) => !Number.isInteger(p) || p < 1 || p > 65535);
    if (bad !== undefined) return rejectUpgrade(badRequest(`invalid port: ${bad}`));
    this.portForwarder.upgrade(req, socket, head, { namespace, pod, ports }, rejectUpgrade);
    record.status ??= 101;
  }
}

function isProtobuf(req: IncomingMessage): boolean {
  return String(req.headers['content-type'] ?? '').includes('application/vnd.kubernetes.protobuf');
}

/** The request body as JSON (or, for access reviews, decoded from kubectl's protobuf). */
async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > 3 * 1024 * 1024) return undefined;
    chunks.push(c);
  }
  const buf = Buffer.concat(chunks);
  try {
    if (isProtobuf(req)) return decodeReview(buf);
    return JSON.parse(buf.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function writeUpgradeRejection(socket: Socket, st: K8sStatus): void {
  const body = JSON.stringify(st);
  const reason =
    { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }[st.code] ?? 'Error';
  socket.end(
    `HTTP/1.1 ${st.code} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
