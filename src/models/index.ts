export { type CacheDirOptions, cachedFileName, modelCacheDir } from './cache.js';
export {
  type CatalogModel,
  catalogModel,
  type ExampleInput,
  type InputFill,
  MODEL_CATALOG,
} from './catalog.js';
export { type ExampleFeedOptions, exampleFeeds } from './example-feeds.js';
export { type EnsureModelsOptions, ensureModels, type ModelPathOptions, modelPath } from './fetch.js';
