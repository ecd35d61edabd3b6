/**
 * Loads our Hubble-compatible .proto files at runtime with @grpc/proto-loader. The path is resolved from
 * the package root, so it works from source (tsx/vitest) and from the esbuild bundle in out/.
 */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { join } from 'node:path';
import { packageRoot } from '../paths';

export const PROTO_DIR_PARTS = ['src-main', 'hubble', 'proto'];

/** Decoded messages use proto field names, enums as names, 64-bit ints as strings: the shape of hubble's JSON. */
export const PROTO_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: false,
  oneofs: false,
  arrays: false,
};

let cached:
  | {
      definition: protoLoader.PackageDefinition;
      observerService: grpc.ServiceDefinition;
      ctor: grpc.ServiceClientConstructor;
    }
  | undefined;

export function protoDir(): string {
  return join(packageRoot(), ...PROTO_DIR_PARTS);
}

/** The observer.Observer service definition and client constructor (loaded once). */
export function loadObserverProto(): {
  definition: protoLoader.PackageDefinition;
  observerService: grpc.ServiceDefinition;
  ctor: grpc.ServiceClientConstructor;
} {
  if (cached) return cached;
  const definition = protoLoader.loadSync('observer.proto', { ...PROTO_OPTIONS, includeDirs: [protoDir()] });
  const pkg = grpc.loadPackageDefinition(definition) as unknown as {
    observer: { Observer: grpc.ServiceClientConstructor };
  };
  const ctor = pkg.observer.Observer;
  cached = { definition, observerService: ctor.service, ctor };
  return cached;
}
