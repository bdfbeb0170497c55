/**
 * `npm run server` / `npm run server:stop`: the local Temporal dev server for humans. The
 * code lives in src/local-server/ because `flywheel up` starts the same server.
 */
import '../src/local-server/server-main.js';
