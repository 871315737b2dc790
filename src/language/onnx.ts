/**
 * Writes an ONNX model (a protocol-buffer `ModelProto`) from a graph described in code, so that
 * ONNX Runtime can run a model that ships in npm only in another format (see `use-lite.ts`).
 *
 * Home-made on purpose, and small: ONNX Runtime reads models but builds none, and of the ONNX
 * schema only six messages and five field types are written here (the field numbers are those of
 * onnx.proto, which is stable across versions). A general protocol-buffer library would need that
 * schema loaded as well, for the same few lines of output.
 */

/** ONNX's tensor element types used here (TensorProto.DataType). */
export const FLOAT = 1;
export const INT64 = 7;

class Writer {
  private readonly parts: Uint8Array[] = [];
  private size = 0;

  private push(bytes: Uint8Array): void {
    this.parts.push(bytes);
    this.size += bytes.length;
  }

  private varint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value));
    const out: number[] = [];
    while (v >= 0x80n) {
      out.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    out.push(Number(v));
    this.push(Uint8Array.from(out));
  }

  private key(field: number, wireType: number): void {
    this.varint((field << 3) | wireType);
  }

  int(field: number, value: number): this {
    this.key(field, 0);
    this.varint(value);
    return this;
  }

  float(field: number, value: number): this {
    this.key(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.push(b);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.key(field, 2);
    this.varint(value.length);
    this.push(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, value: Writer): this {
    return this.bytes(field, value.done());
  }

  done(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

/** An attribute's value: an integer, a list of integers, or a float (written `{ float: 1e-6 }`, never read as an integer). */
type Attribute = number | number[] | { float: number };

/** A graph being written: constants (initializers), nodes, and the inputs and outputs it is run with. */
export class OnnxGraph {
  private readonly nodes: Writer[] = [];
  private readonly initializers: Writer[] = [];
  private readonly inputs: Writer[] = [];
  private readonly outputs: Writer[] = [];
  private next = 0;

  /** A fresh name for a value. */
  private name(hint: string): string {
    return `${hint}_${this.next++}`;
  }

  /** A constant tensor of floats (or of 64-bit integers, for shapes and indices). */
  constant(dims: number[], values: ArrayLike<number>, type: typeof FLOAT | typeof INT64 = FLOAT): string {
    const name = this.name('c');
    const t = new Writer();
    for (const d of dims) t.int(1, d);
    t.int(2, type);
    t.string(8, name);
    const raw = type === FLOAT ? Float32Array.from(values) : BigInt64Array.from(Array.from(values, (v) => BigInt(v)));
    t.bytes(9, new Uint8Array(raw.buffer));
    this.initializers.push(t);
    return name;
  }

  /** One operation of the default domain with one output, whose name is returned. */
  op(type: string, inputs: string[], attributes: Record<string, Attribute> = {}): string {
    return this.ops(type, inputs, attributes, 1)[0]!;
  }

  /** One operation of the default domain with several outputs (`Split`). */
  ops(type: string, inputs: string[], attributes: Record<string, Attribute>, outputs: number): string[] {
    const names = Array.from({ length: outputs }, () => this.name(type));
    const n = new Writer();
    for (const i of inputs) n.string(1, i);
    for (const o of names) n.string(2, o);
    n.string(3, names[0]!);
    n.string(4, type);
    for (const [key, value] of Object.entries(attributes)) {
      const a = new Writer().string(1, key);
      if (Array.isArray(value)) {
        for (const v of value) a.int(8, v);
        a.int(20, 7); // INTS
      } else if (typeof value === 'number')
        a.int(3, value).int(20, 2); // INT
      else a.float(2, value.float).int(20, 1); // FLOAT
      n.message(5, a);
    }
    this.nodes.push(n);
    return names;
  }

  /** A named input or output: its element type and shape (a string for a dimension that varies). */
  private valueInfo(name: string, type: number, dims: Array<number | string>): Writer {
    const shape = new Writer();
    for (const d of dims) shape.message(1, typeof d === 'string' ? new Writer().string(2, d) : new Writer().int(1, d));
    const tensor = new Writer().int(1, type).message(2, shape);
    return new Writer().string(1, name).message(2, new Writer().message(1, tensor));
  }

  input(name: string, type: number, dims: Array<number | string>): string {
    this.inputs.push(this.valueInfo(name, type, dims));
    return name;
  }

  /** Names a value as an output of the graph. */
  output(value: string, name: string, type: number, dims: Array<number | string>): void {
    this.nodes.push(new Writer().string(1, value).string(2, name).string(3, name).string(4, 'Identity'));
    this.outputs.push(this.valueInfo(name, type, dims));
  }

  /** The model: IR version 8, opset 17 of the default domain. */
  toBytes(producer: string): Uint8Array {
    const g = new Writer();
    for (const n of this.nodes) g.message(1, n);
    g.string(2, 'graph');
    for (const t of this.initializers) g.message(5, t);
    for (const i of this.inputs) g.message(11, i);
    for (const o of this.outputs) g.message(12, o);
    return new Writer()
      .int(1, 8)
      .string(2, producer)
      .message(7, g)
      .message(8, new Writer().string(1, '').int(2, 17))
      .done();
  }
}
