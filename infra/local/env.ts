// Imported first by main.ts, before any AWS SDK module loads: Node 20 is supported by this project (docs/decisions.md)
// and the SDK's end-of-support notice would otherwise open every local run.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
