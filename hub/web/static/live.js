// The live room: the page's questions and chat kept up to date over the Socket.IO channel
// `/live` (API.md "Live sessions"), with the browser's session cookie.
//
// The page renders the room as it was (its `seq` and questions are in #live-state). On
// every connection, and every reconnection, we `join` with `since_seq`: the server
// re-sends every event after it, in order, before any new one. Events are applied by
// seq; one we have seen (seq <= the last) is ignored, so nothing shows twice and nothing
// is missed. The only events that do not raise the seq are presence and those only some
// may see (a question waiting for approval), which are never replayed.
import { channel } from "./channel.js";

const state = JSON.parse(document.getElementById("live-state").textContent);
const text = state.strings;
const sessionId = state.session_id;
const questions = new Map(state.questions.map((q) => [q.id, q]));
const myVotes = new Set(state.my_votes);
const chatIds = new Set(state.chat.map((m) => m.id));
let lastSeq = state.seq;
let sort = state.sort;

const $ = (id) => document.getElementById(id);
const list = $("questions");
const lang = document.documentElement.lang || "en-GB";
const clock = new Intl.DateTimeFormat(lang, {
  timeZone: "Europe/London",
  hour: "2-digit",
  minute: "2-digit",
});

const fill = (template, values) =>
  template.replace(/%\((\w+)\)[sd]/g, (_, name) => String(values[name]));
// The page gives a plural message's forms by CLDR category (one, other; Welsh also has
// zero, two, few and many): the language's rules choose, as they do on the server.
const pluralRules = new Intl.PluralRules(lang);
const plural = (n, forms) => fill(forms[pluralRules.select(n)] ?? forms.other, { num: n });

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value == null) continue;
    if (name === "class") node.className = value;
    else node.setAttribute(name, value === true ? "" : value);
  }
  node.append(...children.filter((child) => child != null));
  return node;
}

function tag(label, colour) {
  return element("strong", { class: `govuk-tag govuk-tag--${colour}` }, label);
}

// --- Talking to the server ----------------------------------------------------------

const socket = channel();

function send(event, payload) {
  return new Promise((resolve) => {
    socket.emit(event, { session_id: sessionId, ...payload }, (ack) => {
      if (!ack.ok) showError(ack.error.message);
      else hideError();
      resolve(ack);
    });
  });
}

socket.on("connect", () => {
  setConnection("connecting");
  socket.emit("join", { session_id: sessionId, since_seq: lastSeq }, (ack) => {
    if (!ack.ok) return showError(ack.error.message);
    catchUp(ack);
    setConnection("connected");
  });
});
socket.on("disconnect", (reason) => {
  // The server closed it (a sign-in that has ended, say): the client will not retry.
  if (reason === "io server disconnect") return showError(text.closed);
  setConnection(navigator.onLine ? "reconnecting" : "offline");
});
socket.on("connect_error", (error) => {
  // The server refused us (signed out, say): say why; otherwise the client retries.
  if (!socket.active) showError(error.message);
  setConnection(navigator.onLine ? "reconnecting" : "offline");
});
socket.on("live_event", (event) => {
  if (event.session_id === sessionId) apply(event);
});
// Offline, stop trying; back online, reconnect at once rather than after a back-off.
window.addEventListener("offline", () => {
  socket.disconnect();
  setConnection("offline");
});
window.addEventListener("online", () => socket.connect());

/** The join's answer: the state as of its seq. The replay has brought us up to it. */
function catchUp(ack) {
  if (ack.session.status !== "live") return window.location.reload();
  if (ack.seq >= lastSeq) {
    // Nothing newer has arrived since: the answer is the whole truth (it also drops a
    // question of ours that was refused while we were away, which is never replayed).
    questions.clear();
    for (const question of ack.questions) questions.set(question.id, question);
    lastSeq = ack.seq;
  } else {
    for (const question of ack.questions) {
      if (!questions.has(question.id)) questions.set(question.id, question);
    }
  }
  render();
}

function isPrivate(event) {
  if (!event.type.startsWith("question.")) return false;
  const known = questions.get(event.data.id);
  return (
    event.data.status === "pending" ||
    (event.type === "question.hidden" && known?.status === "pending")
  );
}

function apply(event) {
  if (event.type === "presence") return showPresence(event.data.count);
  if (isPrivate(event)) return applyQuestion(event);
  if (event.seq <= lastSeq) return; // seen already (a replay of what we have)
  lastSeq = event.seq;
  if (event.type === "session.started" || event.type === "session.ended") {
    return window.location.reload(); // the page shows what the new status allows
  }
  if (event.type === "chat.message") return addChat(event.data);
  applyQuestion(event);
}

function applyQuestion({ type, data }) {
  const before = questions.get(data.id);
  if (type === "question.hidden" && !state.moderator) questions.delete(data.id);
  else questions.set(data.id, data);
  const appears = !before && data.status === "visible";
  if (appears) announce(fill(text.new_question, { text: data.text }));
  render();
}

// --- Showing it ---------------------------------------------------------------------

// One line for both, shown from the start: the room does not shift under a pointer.
function setConnection(status) {
  $("live-connection").textContent = text[status];
  $("live-state-line").hidden = false;
  document.body.dataset.live = status;
}

function showPresence(count) {
  $("live-presence").textContent = plural(count, text.people);
}

function announce(message) {
  const region = $("live-announcements");
  region.append(element("p", {}, message));
  while (region.childElementCount > 5) region.firstElementChild.remove();
}

function showError(message) {
  $("live-error-message").textContent = message;
  const summary = $("live-error");
  summary.hidden = false;
  summary.focus();
}

function hideError() {
  $("live-error").hidden = true;
}

function ordered() {
  const all = [...questions.values()];
  if (sort === "new") return all.sort((a, b) => b.id - a.id);
  return all.sort(
    (a, b) => Number(b.pinned) - Number(a.pinned) || b.votes - a.votes || a.id - b.id,
  );
}

const items = new Map(); // question id -> its <li>, kept so a half-written answer stays

function render() {
  const focused = document.activeElement;
  const shown = ordered();
  for (const [id, item] of items) {
    if (!questions.has(id)) {
      item.remove();
      items.delete(id);
    }
  }
  for (const question of shown) {
    let item = items.get(question.id) || $(`question-${question.id}`);
    if (!item) item = element("li", { id: `question-${question.id}` });
    items.set(question.id, item);
    fillQuestion(item, question);
    list.append(item); // moved into place, in order
  }
  $("no-questions").hidden = shown.length > 0;
  if (focused && focused !== document.activeElement && document.contains(focused)) {
    focused.focus();
  }
}

function fillQuestion(item, question) {
  item.className = "hub-list-item hub-question";
  item.dataset.questionId = question.id;
  const meta = element(
    "p",
    { class: "govuk-body-s govuk-!-margin-bottom-1 hub-question__meta" },
    `${question.author ? question.author.name : text.anonymous} · `,
    element("span", { class: "hub-question__votes" }, plural(question.votes, text.votes)),
    " ",
    question.pinned ? tag(text.pinned, "purple") : null,
    question.answered ? tag(text.answered, "green") : null,
    question.status === "pending" ? tag(text.pending, "yellow") : null,
    question.status === "hidden" ? tag(text.hidden, "grey") : null,
  );
  const answers = question.answers.length
    ? element(
        "ul",
        { class: "govuk-list hub-question__answers" },
        ...question.answers.map((reply) =>
          element(
            "li",
            { class: "govuk-inset-text govuk-!-margin-top-1 govuk-!-margin-bottom-1" },
            element("strong", {}, fill(text.answer_from, { name: reply.author.name })),
            ` ${reply.text}`,
          ),
        ),
      )
    : null;
  const content = element(
    "div",
    { class: "hub-question__content" },
    element("p", { class: "govuk-body govuk-!-margin-bottom-1 hub-question__text" }, question.text),
    meta,
    answers,
  );
  const old = item.querySelector(":scope > .hub-question__content");
  if (old) old.replaceWith(content);
  else item.prepend(content);
  fillControls(item, question);
}

function controlButton(label, key, onClick, attributes = {}) {
  const button = element(
    "button",
    { type: "button", class: "govuk-button govuk-button--secondary hub-button--small", "data-action": key, ...attributes },
    label,
  );
  button.addEventListener("click", onClick);
  return button;
}

function fillControls(item, question) {
  let controls = item.querySelector(":scope > .hub-question__controls");
  if (!controls) {
    controls = element("div", { class: "govuk-button-group hub-question__controls" });
    item.append(controls);
  }
  const about = `question-${question.id}-text`;
  item.querySelector(".hub-question__text").id = about;
  const buttons = [];
  if (state.may_take_part && question.status === "visible") {
    const voted = myVotes.has(question.id);
    buttons.push(
      controlButton(text.vote, "vote", () => toggleVote(question.id), {
        "aria-pressed": voted ? "true" : "false",
        "aria-describedby": about,
      }),
    );
  }
  if (state.moderator) {
    const moderate = (action) => () => send("moderate", { question_id: question.id, action });
    const offer = (action, when) =>
      when && buttons.push(controlButton(text[action], action, moderate(action), { "aria-describedby": about }));
    offer("approve", question.status === "pending");
    offer("hide", question.status !== "hidden");
    offer("pin", question.status === "visible" && !question.pinned);
    offer("unpin", question.status === "visible" && question.pinned);
    offer("mark_answered", question.status === "visible" && !question.answered);
  }
  const focusedAction = controls.contains(document.activeElement)
    ? document.activeElement.dataset.action
    : null;
  controls.replaceChildren(...buttons);
  if (focusedAction) controls.querySelector(`[data-action="${focusedAction}"]`)?.focus();
  fillAnswerForm(item, question);
}

function fillAnswerForm(item, question) {
  let details = item.querySelector(":scope > details.hub-question__answer");
  const wanted = state.moderator && question.status === "visible";
  if (!wanted) return details?.remove();
  if (details) return; // kept as it is: an answer may be half-written
  const field = `answer-${question.id}`;
  const form = element(
    "form",
    { novalidate: true },
    element(
      "div",
      { class: "govuk-form-group" },
      element("label", { class: "govuk-label", for: field }, text.answer_label),
      element("textarea", { class: "govuk-textarea", id: field, name: "text", rows: "2" }),
    ),
    element("button", { type: "submit", class: "govuk-button govuk-button--secondary" }, text.send_answer),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const box = form.querySelector("textarea");
    const answered = box.value;
    const ack = await send("answer", { question_id: question.id, text: answered });
    fieldError(form, field, ack.ok ? "" : ack.error.message);
    if (!ack.ok || box.value !== answered) return;
    box.value = "";
    details.open = false;
  });
  details = element(
    "details",
    { class: "govuk-details hub-question__answer" },
    element("summary", { class: "govuk-details__summary" },
      element("span", { class: "govuk-details__summary-text" }, text.answer)),
    element("div", { class: "govuk-details__text" }, form),
  );
  item.append(details);
}

async function toggleVote(questionId) {
  const voted = myVotes.has(questionId);
  const ack = await send(voted ? "unvote" : "vote", { question_id: questionId });
  if (!ack.ok) return;
  if (voted) myVotes.delete(questionId);
  else myVotes.add(questionId);
  const question = questions.get(questionId);
  if (question) fillControls(items.get(questionId), question);
}

function addChat(message) {
  if (chatIds.has(message.id)) return;
  chatIds.add(message.id);
  const sent = clock.format(new Date(message.created_at));
  $("chat-messages").append(
    element(
      "li",
      { class: "hub-chat__message", id: `chat-${message.id}` },
      element("strong", {}, message.author.name),
      " ",
      element("span", { class: "govuk-body-s" }, sent),
      ` ${message.text}`,
    ),
  );
}

// --- The forms ----------------------------------------------------------------------

function fieldError(form, name, message) {
  const group = form.querySelector(`#${name}`)?.closest(".govuk-form-group");
  if (!group) return;
  group.classList.toggle("govuk-form-group--error", Boolean(message));
  let line = group.querySelector(".govuk-error-message");
  if (!message) return line?.remove();
  if (!line) {
    line = element("p", { id: `${name}-error`, class: "govuk-error-message" });
    group.querySelector("label").after(line);
  }
  line.textContent = message;
  const hint = group.querySelector(".govuk-hint");
  group
    .querySelector(`#${name}`)
    .setAttribute("aria-describedby", hint ? `${hint.id} ${name}-error` : `${name}-error`);
}

const askForm = $("ask-form");
askForm?.addEventListener("submit", async (event) => {
  if (!socket.connected) return; // the form posts as it does without JavaScript
  event.preventDefault();
  const box = askForm.querySelector("#text");
  const asked = box.value;
  const anonymous = askForm.querySelector("#anonymous")?.checked || false;
  const ack = await send("ask", { text: asked, anonymous });
  fieldError(askForm, "text", ack.ok ? "" : ack.error.message);
  if (!ack.ok) return;
  if (!questions.has(ack.question.id)) applyQuestion({ type: "question.created", data: ack.question });
  if (box.value === asked) box.value = ""; // not what was typed meanwhile
});

const chatForm = $("chat-form");
chatForm.hidden = !state.may_take_part; // chat needs the live channel: hidden without it
chatForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const box = $("chat-text");
  const said = box.value;
  const ack = await send("chat", { text: said });
  fieldError(chatForm, "chat-text", ack.ok ? "" : ack.error.message);
  if (ack.ok && box.value === said) box.value = "";
});

for (const link of document.querySelectorAll("#question-order a[data-sort]")) {
  link.addEventListener("click", (event) => {
    event.preventDefault();
    sort = link.dataset.sort;
    for (const other of document.querySelectorAll("#question-order a")) {
      if (other === link) other.setAttribute("aria-current", "true");
      else other.removeAttribute("aria-current");
    }
    window.history.replaceState(null, "", link.href);
    render();
  });
}

render();
setConnection("connecting");
