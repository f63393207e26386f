export { synthInputs } from './synth-inputs.js';
export { synthModel } from './synth-model.js';
export type { SynthKind, SynthModel, SynthSpec } from './synth-spec.js';
