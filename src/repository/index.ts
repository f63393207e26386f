export { type ModelRecord, type StoredConfig, storedConfigSchema } from './config.js';
export { checkName } from './names.js';
export { DEFAULT_QOS, type Qos, resolveQos } from './qos.js';
export {
  CONFIG_FILE,
  type Inspection,
  type Inspector,
  MODEL_FILE,
  ModelRepository,
  PLAN_FILE,
  type RegisterRequest,
  type RepositoryOptions,
  type ScanProblem,
} from './repository.js';
export { applyInputShapes } from './signature.js';
