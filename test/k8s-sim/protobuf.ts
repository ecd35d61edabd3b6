/**
 * Just enough of the Kubernetes protobuf encoding (`application/vnd.kubernetes.protobuf`) to read
 * the access reviews kubectl sends that way (`kubectl auth can-i`). Envelope: the magic bytes
 * `k8s\0`, then a `runtime.Unknown` {1: TypeMeta{1 apiVersion, 2 kind}, 2: raw, 3: contentEncoding,
 * 4: contentType}; `raw` holds the object with field numbers from k8s.io/api generated.proto.
 */

type Fields = Map<number, (Buffer | number)[]>;

function readVarint(buf: Buffer, pos: number): [number, number] {
  let result = 0;
  let shift = 0;
  for (;;) {
    if (pos >= buf.length) throw new Error('truncated varint');
    const b = buf[pos++]!;
    result += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return [result, pos];
    shift += 7;
  }
}

export function parseFields(buf: Buffer): Fields {
  const out: Fields = new Map();
  let pos = 0;
  while (pos < buf.length) {
    const [tag, p1] = readVarint(buf, pos);
    pos = p1;
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    let value: Buffer | number;
    if (wire === 0) {
      [value, pos] = readVarint(buf, pos);
    } else if (wire === 2) {
      const [len, p2] = readVarint(buf, pos);
      value = buf.subarray(p2, p2 + len);
      pos = p2 + len;
    } else if (wire === 1) {
      value = buf.subarray(pos, pos + 8);
      pos += 8;
    } else if (wire === 5) {
      value = buf.subarray(pos, pos + 4);
      pos += 4;
    } else throw new Error(`unsupported wire type ${wire}`);
    const list = out.get(field) ?? [];
    list.push(value);
    out.set(field, list);
  }
  return out;
}

function str(f: Fields, n: number): string | undefined {
  const v = f.get(n)?.[0];
  return Buffer.isBuffer(v) ? v.toString('utf8') : undefined;
}

function msg(f: Fields, n: number): Fields | undefined {
  const v = f.get(n)?.[0];
  return Buffer.isBuffer(v) ? parseFields(v) : undefined;
}

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** Decode an access review sent as protobuf into its JSON shape; undefined when it is not one. */
export function decodeReview(body: Buffer): Record<string, unknown> | undefined {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) return undefined;
  const unknown = parseFields(body.subarray(4));
  const typeMeta = msg(unknown, 1);
  const kind = typeMeta ? str(typeMeta, 2) : undefined;
  const rawField = unknown.get(2)?.[0];
  if (!kind || !Buffer.isBuffer(rawField)) return undefined;
  const obj = parseFields(rawField);
  const specF = msg(obj, 2);
  if (!specF) return { kind, spec: {} };
  const spec: Record<string, unknown> = {};
  if (kind === 'SelfSubjectRulesReview') {
    const ns = str(specF, 1);
    if (ns !== undefined) spec.namespace = ns;
    return { kind, spec };
  }
  // SelfSubjectAccessReviewSpec: 1 resourceAttributes, 2 nonResourceAttributes.
  // SubjectAccessReviewSpec: 1 resourceAttributes, 2 nonResourceAttributes, 3 user, 4 groups, 6 uid.
  const ra = msg(specF, 1);
  if (ra) {
    const names = ['', 'namespace', 'verb', 'group', 'version', 'resource', 'subresource', 'name'];
    const attrs: Record<string, string> = {};
    names.forEach((name, i) => {
      const v = i > 0 ? str(ra, i) : undefined;
      if (v !== undefined && v !== '') attrs[name] = v;
    });
    spec.resourceAttributes = attrs;
  }
  const nra = msg(specF, 2);
  if (nra) spec.nonResourceAttributes = { path: str(nra, 1) ?? '', verb: str(nra, 2) ?? '' };
  if (kind === 'SubjectAccessReview' || kind === 'LocalSubjectAccessReview') {
    const user = str(specF, 3);
    if (user) spec.user = user;
    const groups = (specF.get(4) ?? []).filter(Buffer.isBuffer).map((b) => b.toString('utf8'));
    if (groups.length) spec.groups = groups;
  }
  return { kind, spec };
}
