// Connects to /live with a token, joins a session, asks a question and prints, one JSON
// object a line, the acknowledgements and every live_event until its own question comes
// back as question.created. Usage: node client.js URL TOKEN SESSION_ID
"use strict";
const { io } = require("socket.io-client");

const [url, token, sessionId] = process.argv.slice(2);
const print = (kind, body) => console.log(JSON.stringify({ kind, body }));
const socket = io(`${url}/live`, { auth: { token }, reconnection: false, timeout: 10000 });
let questionId = null;
const seen = [];
const finishIfDone = () => {
  if (questionId !== null && seen.some((e) => e.type === "question.created" && e.data.id === questionId)) {
    socket.close();
    process.exit(0);
  }
};

const fail = (why) => {
  print("error", String(why));
  socket.close();
  process.exit(1);
};
setTimeout(() => fail("timed out"), 20000).unref();

socket.on("connect_error", (error) => fail(`connect_error: ${error.message}`));
socket.on("live_event", (event) => {
  print("event", event);
  seen.push(event);
  finishIfDone();
});
socket.on("connect", async () => {
  try {
    const joined = await socket.timeout(10000).emitWithAck("join", { session_id: Number(sessionId) });
    print("join", joined);
    const asked = await socket.timeout(10000).emitWithAck("ask", {
      session_id: Number(sessionId),
      text: "Asked from the official JavaScript client",
    });
    print("ask", asked);
    if (!asked.ok) fail("ask refused");
    questionId = asked.question.id;
    finishIfDone();
  } catch (error) {
    fail(error);
  }
});
