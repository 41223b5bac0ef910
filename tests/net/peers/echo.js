// Independent WebSocket echo peer for volley's interop tests (node's `ws` module).
// Run: NODE_PATH=/usr/share/nodejs node echo.js
// Listens on 127.0.0.1, port 0; prints the port on stdout, then echoes every message (same
// type) until stdin reaches EOF or it gets SIGTERM. permessage-deflate is accepted when offered.
'use strict';
const { WebSocketServer } = require('ws');

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: true });
wss.on('listening', () => process.stdout.write(`${wss.address().port}\n`));
wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  ws.on('error', () => {});
});
const stop = () => { wss.close(); process.exit(0); };
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
