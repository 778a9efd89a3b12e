export declare const BUNDLE_SUFFIX: '?bundle';
export declare const buildConsoleBundle: (entryPoint: string) => Promise<{ script: string; stylesheet: string }>;
export declare const consoleBundleModule: (entryPoint: string) => Promise<string>;
