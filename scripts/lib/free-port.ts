export { freePort } from '../../src/local-server/free-port.js';
