// lede: a client for lede-searchd's line protocol (docs/protocol.md).
//
//   import { connect } from 'lede';
//   const c = await connect({ host: '127.0.0.1', port: 7878 });
//   const { hits } = await c.search('water restrictions', { limit: 5 });
//   await c.close();
export { Client, connect, DEFAULT_PORT, DEFAULT_TIMEOUT_MS } from './client.js';
export * from './errors.js';
