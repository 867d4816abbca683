/**
 * Building ONNX models: a graph of operator nodes, float32 and int64 initializers, and
 * float32 inputs and outputs with named (dynamic) or fixed dimensions, encoded as a
 * ModelProto. The field numbers are those of onnx.proto (IR version 7, opset 13):
 *
 *   ModelProto         ir_version 1, producer_name 2, producer_version 3, doc_string 6,
 *                      graph 7, opset_import 8, metadata_props 14
 *   GraphProto         node 1, name 2, initializer 5, doc_string 10, input 11, output 12
 *   NodeProto          input 1, output 2, name 3, op_type 4, attribute 5
 *   AttributeProto     name 1, f 2, i 3, s 4, ints 8, type 20
 *   TensorProto        dims 1, data_type 2, name 8, raw_data 9 (little-endian)
 *   ValueInfoProto     name 1, type 2 -> TypeProto.tensor_type 1 -> elem_type 1, shape 2
 *                      -> TensorShapeProto.dim 1 -> dim_value 1 | dim_param 2
 */

import { ProtoMessage } from './protobuf.js';

/** The ONNX IR version of the models written here (ONNX 1.7 and later read it). */
export const onnxIrVersion = 7;
/** The default-domain operator set version that the nodes follow. */
export const onnxOpsetVersion = 13;

const tensorFloat = 1;
const tensorInt64 = 7;

export type AttributeValue =
  | { kind: 'int'; value: number }
  | { kind: 'ints'; value: number[] }
  | { kind: 'float'; value: number }
  | { kind: 'string'; value: string };

/** A dimension: a fixed size, or a name for a size chosen at run time (such as the batch size). */
export type Dimension = number | string;

interface NodeRecord {
  opType: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attributes: Array<[string, AttributeValue]>;
}

interface TensorRecord {
  name: string;
  dims: number[];
  data: Float32Array | BigInt64Array;
}

/** A graph under construction; values are referred to by name. */
export class OnnxGraphBuilder {
  private readonly nodes: NodeRecord[] = [];
  private readonly initializers: TensorRecord[] = [];
  private readonly inputs: Array<{ name: string; dims: Dimension[] }> = [];
  private readonly outputs: Array<{ name: string; dims: Dimension[] }> = [];
  private readonly names = new Set<string>();
  private counter = 0;

  constructor(readonly name: string) {}

  /** Declares a float32 graph input. */
  input(name: string, dims: Dimension[]): string {
    this.claim(name);
    this.inputs.push({ name, dims });
    return name;
  }

  /** Declares `value` as a float32 graph output. */
  output(name: string, dims: Dimension[]): void {
    this.outputs.push({ name, dims });
  }

  /** Adds a float32 initializer; `values` is row-major for `dims`. */
  floatConstant(name: string, dims: number[], values: Float32Array): string {
    const size = dims.reduce((a, b) => a * b, 1);
    if (values.length !== size) throw new Error(`initializer ${name} has ${values.length} values; shape [${dims.join(', ')}] needs ${size}`);
    this.claim(name);
    this.initializers.push({ name, dims, data: values });
    return name;
  }

  /** Adds an int64 initializer, such as the axes of Squeeze. */
  int64Constant(name: string, values: number[]): string {
    this.claim(name);
    this.initializers.push({ name, dims: [values.length], data: BigInt64Array.from(values, (v) => BigInt(v)) });
    return name;
  }

  /**
   * Adds a node and returns its output names: `outputNames` where given ('' leaves an
   * optional output unused), otherwise generated from the operator type.
   */
  node(opType: string, inputs: string[], attributes: Record<string, AttributeValue> = {}, outputNames?: string[]): string[] {
    const index = this.counter++;
    const outputs = outputNames ?? [`${opType.toLowerCase()}_${index}`];
    for (const output of outputs) if (output !== '') this.claim(output);
    this.nodes.push({ opType, name: `${opType}_${index}`, inputs, outputs, attributes: Object.entries(attributes) });
    return outputs;
  }

  /** Adds a single-output node and returns its output name. */
  apply(opType: string, inputs: string[], attributes: Record<string, AttributeValue> = {}, outputName?: string): string {
    return this.node(opType, inputs, attributes, outputName === undefined ? undefined : [outputName])[0];
  }

  /** Encodes the graph as an ONNX ModelProto. */
  encodeModel(meta: { producerVersion: string; docString: string; metadata: Record<string, string> }): Uint8Array {
    const graph = new ProtoMessage();
    for (const node of this.nodes) graph.message(1, encodeNode(node));
    graph.string(2, this.name);
    for (const tensor of this.initializers) graph.message(5, encodeTensor(tensor));
    for (const input of this.inputs) graph.message(11, encodeValueInfo(input.name, input.dims));
    for (const output of this.outputs) graph.message(12, encodeValueInfo(output.name, output.dims));

    const model = new ProtoMessage();
    model.int(1, onnxIrVersion);
    model.string(2, 'bhive');
    model.string(3, meta.producerVersion);
    model.string(6, meta.docString);
    model.message(7, graph);
    model.message(8, new ProtoMessage().string(1, '').int(2, onnxOpsetVersion));
    for (const [key, value] of Object.entries(meta.metadata)) model.message(14, new ProtoMessage().string(1, key).string(2, value));
    return model.encode();
  }

  private claim(name: string): void {
    if (this.names.has(name)) throw new Error(`ONNX graph ${this.name} defines the value ${name} twice`);
    this.names.add(name);
  }
}

function encodeNode(node: NodeRecord): ProtoMessage {
  const message = new ProtoMessage();
  for (const input of node.inputs) message.string(1, input);
  for (const output of node.outputs) message.string(2, output);
  message.string(3, node.name);
  message.string(4, node.opType);
  for (const [name, value] of node.attributes) message.message(5, encodeAttribute(name, value));
  return message;
}

function encodeAttribute(name: string, attribute: AttributeValue): ProtoMessage {
  const message = new ProtoMessage().string(1, name);
  switch (attribute.kind) {
    case 'float':
      return message.float(2, attribute.value).int(20, 1);
    case 'int':
      return message.int(3, attribute.value).int(20, 2);
    case 'string':
      return message.string(4, attribute.value).int(20, 3);
    case 'ints':
      for (const value of attribute.value) message.int(8, value);
      return message.int(20, 7);
  }
}

function encodeTensor(tensor: TensorRecord): ProtoMessage {
  const message = new ProtoMessage();
  for (const dim of tensor.dims) message.int(1, dim);
  message.int(2, tensor.data instanceof Float32Array ? tensorFloat : tensorInt64);
  message.string(8, tensor.name);
  const raw = new Uint8Array(tensor.data.length * tensor.data.BYTES_PER_ELEMENT);
  const view = new DataView(raw.buffer);
  if (tensor.data instanceof Float32Array) {
    tensor.data.forEach((value, i) => view.setFloat32(4 * i, value, true));
  } else {
    tensor.data.forEach((value, i) => view.setBigInt64(8 * i, value, true));
  }
  return message.bytes(9, raw);
}

function encodeValueInfo(name: string, dims: Dimension[]): ProtoMessage {
  const shape = new ProtoMessage();
  for (const dim of dims) shape.message(1, typeof dim === 'number' ? new ProtoMessage().int(1, dim) : new ProtoMessage().string(2, dim));
  const tensorType = new ProtoMessage().int(1, tensorFloat).message(2, shape);
  return new ProtoMessage().string(1, name).message(2, new ProtoMessage().message(1, tensorType));
}
