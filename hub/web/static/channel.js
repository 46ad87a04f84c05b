// The page's one connection to the live channel `/live`, with the session cookie. The
// personal events (personal.js) and a live room (live.js) share it: the Socket.IO client
// opens a second connection for a second `io("/live")`, not a second use of the first.
import { io } from "./socket.io/socket.io.esm.min.js";

let socket = null;

/** The connection, opened by whichever module asks first. */
export function channel() {
  socket ??= io("/live", { withCredentials: true });
  return socket;
}
