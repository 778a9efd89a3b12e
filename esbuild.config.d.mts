import type { BuildOptions } from 'esbuild';
export declare const functionNames: () => string[];
export declare const sharedOptions: BuildOptions;
export declare const buildAll: (outDir?: string) => Promise<string[]>;
