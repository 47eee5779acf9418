/**
 * A small ONNX graph writer over `onnx-proto` (ONNX's own protobuf schema, compiled for
 * protobufjs): nodes, initializers, inputs and outputs, serialised as a ModelProto. The only
 * importer of onnx-proto. Enough for the benchmark's decoder (scripts/bench/onnx-decoder.ts); not
 * a general exporter.
 */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** ONNX TensorProto.DataType values used here. */
export const DT = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7 } as const;
type DataType = (typeof DT)[keyof typeof DT];

export type Attr = { f: number } | { i: number } | { ints: number[] } | { s: string };
export const float = (f: number): Attr => ({ f });
export const int = (i: number): Attr => ({ i });

/** A dimension: a fixed size or a named symbolic one. */
export type Dim = number | string;

export class OnnxGraph {
  private readonly nodes: InstanceType<typeof onnx.NodeProto>[] = [];
  private readonly initializers: InstanceType<typeof onnx.TensorProto>[] = [];
  private readonly inputs: InstanceType<typeof onnx.ValueInfoProto>[] = [];
  private readonly outputs: InstanceType<typeof onnx.ValueInfoProto>[] = [];
  private counter = 0;

  /** Adds a node; returns its output names (`outputs` of them, named after the op). */
  op(type: string, inputs: string[], attrs: Record<string, Attr> = {}, opts: { domain?: string; outputs?: number | string[] } = {}): string[] {
    const names = Array.isArray(opts.outputs) ? opts.outputs : Array.from({ length: opts.outputs ?? 1 }, (_, i) => `${type}_${this.counter}_${i}`);
    const attribute = Object.entries(attrs).map(([name, a]) => {
      if ('f' in a) return { name, type: onnx.AttributeProto.AttributeType.FLOAT, f: a.f };
      if ('i' in a) return { name, type: onnx.AttributeProto.AttributeType.INT, i: a.i };
      if ('ints' in a) return { name, type: onnx.AttributeProto.AttributeType.INTS, ints: a.ints };
      return { name, type: onnx.AttributeProto.AttributeType.STRING, s: new TextEncoder().encode(a.s) };
    });
    this.nodes.push(onnx.NodeProto.create({ opType: type, input: inputs, output: names, name: `${type}_${this.counter++}`, attribute, ...(opts.domain ? { domain: opts.domain } : {}) }));
    return names;
  }

  /** One-output node. */
  one(type: string, inputs: string[], attrs: Record<string, Attr> = {}, domain?: string): string {
    return this.op(type, inputs, attrs, domain ? { domain } : {})[0]!;
  }

  /** A constant tensor stored in the model (raw little-endian bytes). */
  init(name: string, dataType: DataType, dims: number[], raw: Uint8Array): string {
    this.initializers.push(onnx.TensorProto.create({ name, dataType, dims, rawData: raw }));
    return name;
  }

  initFloats(name: string, dims: number[], values: Float32Array): string {
    return this.init(name, DT.FLOAT, dims, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  }

  initInt64s(name: string, values: number[]): string {
    const v = BigInt64Array.from(values.map(BigInt));
    return this.init(name, DT.INT64, [values.length], new Uint8Array(v.buffer));
  }

  input(name: string, elemType: DataType, dims: Dim[]): string {
    this.inputs.push(valueInfo(name, elemType, dims));
    return name;
  }

  output(name: string, elemType: DataType, dims: Dim[]): void {
    this.outputs.push(valueInfo(name, elemType, dims));
  }

  /** The serialised model: ONNX opset `opset` plus com.microsoft 1 for the contrib ops. */
  encode(opset = 17): Uint8Array {
    const graph = onnx.GraphProto.create({ name: 'decoder', node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs });
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'local-pr-review bench',
      opsetImport: [onnx.OperatorSetIdProto.create({ domain: '', version: opset }), onnx.OperatorSetIdProto.create({ domain: 'com.microsoft', version: 1 })],
      graph,
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

function valueInfo(name: string, elemType: DataType, dims: Dim[]) {
  const dim = dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType, shape: { dim } } } });
}
