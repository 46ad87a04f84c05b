// Connects to /live with the token given (or none) and prints, as one JSON line, the reason
// the server gave for refusing: the client's err.message and err.data.
// Usage: node refused.js URL [TOKEN]
"use strict";
const { io } = require("socket.io-client");

const [url, token] = process.argv.slice(2);
const options = { reconnection: false, timeout: 10000, transports: ["websocket"] };
if (token !== undefined) options.auth = { token };
const socket = io(`${url}/live`, options);
setTimeout(() => {
  console.log(JSON.stringify({ kind: "timeout" }));
  process.exit(1);
}, 20000).unref();
socket.on("connect", () => {
  console.log(JSON.stringify({ kind: "connected" }));
  process.exit(1);
});
socket.on("connect_error", (err) => {
  console.log(JSON.stringify({ kind: "refused", message: err.message, data: err.data }));
  socket.close();
  process.exit(0);
});
