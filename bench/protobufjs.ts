// The alternative that was measured against the hand-written reader: protobufjs decoding the same
// ModelProto with a schema (the subset of onnx.proto the reader uses). protobufjs is not a project
// dependency; set PROTOBUFJS_DIR to a folder where `npm install protobufjs` was run to include it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const SCHEMA = `
syntax = "proto3";
package onnx;
message AttributeProto { string name = 1; float f = 2; int64 i = 3; bytes s = 4; TensorProto t = 5; GraphProto g = 6;
  repeated float floats = 7; repeated int64 ints = 8; repeated bytes strings = 9; repeated TensorProto tensors = 10;
  repeated GraphProto graphs = 11; int32 type = 20; }
message ValueInfoProto { string name = 1; TypeProto type = 2; }
message NodeProto { repeated string input = 1; repeated string output = 2; string name = 3; string op_type = 4;
  string domain = 7; repeated AttributeProto attribute = 5; }
message StringStringEntryProto { string key = 1; string value = 2; }
message OperatorSetIdProto { string domain = 1; int64 version = 2; }
message ModelProto { int64 ir_version = 1; repeated OperatorSetIdProto opset_import = 8; string producer_name = 2;
  string producer_version = 3; string domain = 4; int64 model_version = 5; GraphProto graph = 7;
  repeated StringStringEntryProto metadata_props = 14; }
message GraphProto { repeated NodeProto node = 1; string name = 2; repeated TensorProto initializer = 5;
  repeated ValueInfoProto input = 11; repeated ValueInfoProto output = 12; repeated ValueInfoProto value_info = 13; }
message TensorProto { repeated int64 dims = 1; int32 data_type = 2; repeated float float_data = 4 [packed = true];
  repeated int32 int32_data = 5 [packed = true]; repeated int64 int64_data = 7 [packed = true]; string name = 8;
  bytes raw_data = 9; repeated StringStringEntryProto external_data = 13; int32 data_location = 14; }
message TensorShapeProto { message Dimension { int64 dim_value = 1; string dim_param = 2; } repeated Dimension dim = 1; }
message TypeProto { message Tensor { int32 elem_type = 1; TensorShapeProto shape = 2; } Tensor tensor_type = 1; }
`;

export interface ProtobufjsDecoder {
  version: string;
  /** Decodes a whole file's bytes (protobufjs needs them all in memory). */
  decode(bytes: Uint8Array): { nodes: number; initializers: number };
}

export function loadProtobufjs(): ProtobufjsDecoder | null {
  const dir = process.env.PROTOBUFJS_DIR;
  if (!dir) return null;
  const pkg = join(dir, 'node_modules', 'protobufjs');
  if (!existsSync(pkg)) return null;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pb = require(pkg);
  const root = pb.parse(SCHEMA, { keepCase: true }).root;
  const Model = root.lookupType('onnx.ModelProto');
  return {
    version: require(join(pkg, 'package.json')).version,
    decode(bytes) {
      const m = Model.decode(bytes) as unknown as { graph: { node: unknown[]; initializer: unknown[] } };
      return { nodes: m.graph.node.length, initializers: m.graph.initializer.length };
    },
  };
}
