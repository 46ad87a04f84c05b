// New messages and notifications without a reload: the `personal_event`s of the live
// channel (docs/api.md), over the vendored Socket.IO client with the session cookie.
// The header's unread counts rise, a message for the open conversation appears in it,
// and a polite live region says what came. Every page works without this module.
import { channel } from "./channel.js";

const announcer = document.getElementById("personal-events");

function raise(name) {
  const badge = document.querySelector(`[data-unread="${name}"]`);
  if (!badge) return;
  const count = badge.querySelector(".hub-unread__count");
  count.textContent = String(Number(count.textContent || "0") + 1);
  badge.hidden = false;
}

function ukTime(iso) {
  // As the pages write times (hub/web/i18n.py): 5 December 2026 at 9:30am, UK time.
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", {
      timeZone: "Europe/London", day: "numeric", month: "long", year: "numeric",
      hour: "numeric", minute: "2-digit", hour12: true,
    }).formatToParts(new Date(iso)).map((part) => [part.type, part.value]),
  );
  return `${parts.day} ${parts.month} ${parts.year} at ${parts.hour}:${parts.minute}${parts.dayPeriod.toLowerCase()}`;
}

function show(message) {
  // Only on the conversation's latest page, and never twice (this page's own reply).
  const list = document.querySelector(`#messages[data-latest][data-conversation-id="${message.conversation_id}"]`);
  if (!list || document.getElementById(`message-${message.id}`)) return;
  const item = document.getElementById("message-template").content.firstElementChild.cloneNode(true);
  item.id = `message-${message.id}`;
  item.querySelector(".hub-message__author").textContent = message.author.name;
  const time = item.querySelector(".hub-message__time");
  time.dateTime = message.created_at;
  time.textContent = ukTime(message.created_at);
  // The server's own rendering of the message's Markdown, sanitised as on the page.
  item.querySelector(".hub-message__body").innerHTML = message.body_html;
  list.append(item);
}

function announce(template, name = "") {
  announcer.textContent = template.replace("{name}", name);
}

if (announcer) {
  const me = Number(announcer.dataset.personId);
  const socket = channel();
  // Whether events can arrive now (for styles, and for tests to wait on).
  socket.on("connect", () => { announcer.dataset.connected = "true"; });
  socket.on("disconnect", () => { delete announcer.dataset.connected; });
  socket.on("personal_event", ({ type, data }) => {
    if (type === "notification") {
      raise("notifications");
      if (data.kind !== "message") announce(announcer.dataset.newNotification);
    } else if (type === "message") {
      show(data);
      if (data.author.id !== me) {
        raise("messages");
        announce(announcer.dataset.newMessage, data.author.name);
      }
    }
  });
}
