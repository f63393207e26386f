/** Types of source-bundle.mjs (plain JavaScript: it runs before any TypeScript loader can). */
export function bundledWorker(entry: string, cacheDir?: string): { url: string; built: boolean };
