// The player page of a live room. Plain JavaScript, no build step, nothing from another host.
// Every name and text from the server is set with textContent, never as HTML.
"use strict";
(function () {
  const SHAPES = ["\u25B2", "\u25C6", "\u25CF", "\u25A0"]; // triangle, diamond, circle, square
  const LETTERS = "ABCDEFGHIJ";
  const STORE = "quiz-room";
  const FATAL = ["bad-code", "name-taken", "bad-name", "full", "locked", "removed", "replaced", "not-open", "bad-team"];
  // While the host is away: try again at once, then every second for ten seconds, then every
  // few seconds, for as long as the page is open. A welcome starts the count again.
  const RETRY_MS = [250, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 2000, 3000];
  // A try that is not welcomed by then is dropped and made again (a host that went away
  // can leave a connection hanging rather than refused).
  const WELCOME_MS = 5000;
  const GOING_AWAY = 1001; // the close code the room ends every socket with when the host quits
  const HOST_CLOSED = "The host closed the room."; // quiz.room.client's HOST_CLOSED
  const $ = (id) => document.getElementById(id);
  // What the waiting view says, by the room's phase in its welcome.
  const WAIT = {
    lobby: "Waiting for the host to start. Look at the big screen.",
    question: "A question is open: it comes up now. Look at the big screen.",
    reveal: "You play from the next question, when the host moves on. Look at the big screen.",
    end: "The game is over.",
  };
  // A question sent without its text (quiz host --show-question-on-devices off):
  // quiz.room.client's ON_HOST_SCREEN says the same.
  const ON_SCREEN = "The question is on the host's screen.";
  let ws = null;
  let joined = null; // {code, name, token}
  let retry = 0;
  let retryTimer = null;
  let stopped = false;
  let welcomed = false;
  let away = false; // joined, and the connection to the room is lost
  let question = null; // the last question frame: the reveal repeats it
  let answeredQ = 0; // the last question the room says this player answered
  let pending = null; // {question, choice}: sent, not yet confirmed by the room
  let pick = null; // {question, choice}: the answer the room confirmed
  let countdown = null;
  let placed = []; // order questions: the items' indexes tapped so far, first to last
  let lastFilled = false; // the last item was placed for the player (one left: it goes last)
  let myTeam = null; // the team the room says this player is on (issue 26)
  let teams = null; // the last teams frame: the end shows it too
  let selfPaced = false; // self-paced homework (issue 26): Next after each reveal
  let until = ""; // when the homework closes (ISO 8601), "" when the host ends it
  const UNCHOSEN = ["typed", "estimate", "order"];
  // The retry words, as quiz.game.judge.what_to_type says them.
  const TYPE_WORDS = "Type your answer in words.";

  function show(view) {
    for (const el of document.querySelectorAll(".view")) el.hidden = el.id !== view;
  }
  function status(text) { $("status").textContent = text || ""; }
  function load() {
    try { return JSON.parse(localStorage.getItem(STORE) || "null"); } catch (e) { return null; }
  }
  function save(value) {
    try {
      if (value) localStorage.setItem(STORE, JSON.stringify(value)); else localStorage.removeItem(STORE);
    } catch (e) { /* private mode: rejoining by reload will not work, playing still does */ }
  }
  // What a reload needs to rejoin, and to repeat the question and the pick on a reveal.
  function persist() {
    if (!joined) return;
    save({ code: joined.code, name: joined.name, token: joined.token, asked: question, pick: pick });
  }
  function placeOf(place) { return typeof place === "number" ? place + ". " : ""; }
  // "+750 points", then "(500 base + 250 speed)" smaller: the parts as the terminal says them (issue 26).
  function setPoints(frame) {
    const el = $("r-points");
    clear(el);
    el.append("+" + frame.points + (frame.points === 1 ? " point" : " points"));
    if (typeof frame.breakdown === "string" && frame.breakdown) el.append(" ", span("parts", "(" + frame.breakdown + ")"));
  }
  // No answer: "Time's up" when the room says time ran out (an old room: the question was timed).
  function noAnswer(frame, asked) {
    const timed = typeof frame.timed_out === "boolean" ? frame.timed_out : !!(asked && asked.seconds);
    return timed ? "Time's up" : "No answer";
  }
  function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); }
  function item(list, text) { const li = document.createElement("li"); li.textContent = text; list.appendChild(li); }
  function span(className, text) {
    const s = document.createElement("span");
    s.className = className;
    s.textContent = text;
    return s;
  }
  // A choice's shape and letter on its colour, as on its button and on the host's screen.
  function chip(i) {
    const c = span("chip c" + (i % 4), "");
    c.append(span("shape", SHAPES[i % 4]), span("letter", LETTERS[i] || "?"));
    return c;
  }
  function choiceLine(el, i, text) {
    clear(el);
    el.append(chip(i), " ", span("text", text || ""));
  }
  function stopCountdown() {
    if (countdown) clearInterval(countdown);
    countdown = null;
  }
  function texts(value) { return Array.isArray(value) && value.every((c) => typeof c === "string"); }
  function isQuestion(value) {
    return !!value && typeof value === "object" && typeof value.question === "number" &&
      typeof value.prompt === "string" && texts(value.choices) &&
      (value.items === undefined || texts(value.items));
  }
  function isPick(value) {
    return !!value && typeof value === "object" && typeof value.question === "number" &&
      (typeof value.choice === "number" || typeof value.text === "string" ||
       typeof value.value === "number" || Array.isArray(value.order));
  }
  function unchosen(frame) { return !!frame && UNCHOSEN.includes(frame.kind); }
  function items(frame) { return frame && Array.isArray(frame.items) ? frame.items : []; }
  // 1 -> "1st", 12 -> "12th", 23 -> "23rd" (quiz.text.ordinal).
  function ordinal(n) {
    const m = Math.abs(n) % 100;
    const suffix = m >= 10 && m <= 20 ? "th" : { 1: "st", 2: "nd", 3: "rd" }[m % 10] || "th";
    return n + suffix;
  }
  // A number as an estimate shows it: "8th" for a place, "2024" for a year, "1,234" else
  // (quiz.game.judge.given_text).
  function numberText(frame, value) {
    const unit = frame && frame.unit;
    if (unit === "place") return ordinal(value);
    if (unit === "year") return String(value);
    return value.toLocaleString("en-US");
  }
  function orderText(frame, order) {
    const list = items(frame);
    return order.map((k) => list[k] || "?").join(" \u2192 ");
  }
  // What the player sent, as shown back: the text, the number, the items in their order.
  function givenText(frame, mine) {
    if (typeof mine.text === "string") return mine.text;
    if (typeof mine.value === "number") return numberText(frame, mine.value);
    if (Array.isArray(mine.order)) return orderText(frame, mine.order);
    return "";
  }
  // A number as typed: "8", "8th", "2,024", "-3" (quiz.game.judge.parse_value); null if not one.
  function parseValue(text) {
    let raw = text.trim().toLowerCase().replace(/[,_\s]/g, "");
    const m = /^(\d+)(st|nd|rd|th)$/.exec(raw);
    if (m) raw = m[1];
    // quiz.model.NUMBER_MAX: any number a deck holds, 10^12 either side of zero.
    if (!/^[+-]?\d{1,13}$/.test(raw)) return null;
    const value = parseInt(raw, 10);
    return Math.abs(value) <= 1e12 ? value : null;
  }
  // What a near estimate earns, as quiz.game.judge.close_line says it:
  // "Up to 2 places off earns part of the points." ("" when only the exact number counts).
  function closeText(frame) {
    const off = typeof frame.tolerance === "number" ? frame.tolerance : 0;
    if (off <= 0) return "";
    const many = off.toLocaleString("en-US");
    const unit = frame.unit || "";
    const amount = unit === "place" || unit === "year"
      ? off + " " + unit + (off === 1 ? "" : "s")
      : unit ? many + " " + unit : many;
    return "Up to " + amount + " off earns part of the points.";
  }
  function numberWords(frame) {
    const example = frame.unit === "place" ? "3rd" : frame.unit === "year" ? "2015" : "3";
    return "Type a number, like " + example + ".";
  }

  // -- the connection, and what the page shows while it is lost

  function connect(code, name, token) {
    stopped = false;
    if (retryTimer) { clearTimeout(retryTimer); retryTimer = null; }
    const url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host +
      location.pathname.replace(/[^/]*$/, "") + "ws";
    welcomed = false;
    const sock = new WebSocket(url);
    ws = sock;
    const guard = setTimeout(() => { if (ws === sock && !welcomed) sock.close(); }, WELCOME_MS);
    sock.onopen = () => {
      if (ws !== sock) return;
      const join = { type: "join", code: code, name: name };
      if (token) join.token = token;
      sock.send(JSON.stringify(join));
    };
    sock.onmessage = (event) => {
      if (ws !== sock) return;
      let frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      if (frame && typeof frame === "object") handle(frame, code, name);
    };
    sock.onclose = (event) => {
      clearTimeout(guard);
      if (ws !== sock) return;
      ws = null;
      if (stopped) return;
      if (!joined) {
        $("join-error").textContent = "Could not reach the room. Check the address and try again.";
        return;
      }
      // 1001 (going away) is the host closing the room (quiz.room.client's closed_by_host):
      // final, nothing to rejoin. A socket that just ends is a network drop: it rejoins.
      if (event.code === GOING_AWAY) { hostClosed(); return; }
      lost(event.reason);
      later();
    };
  }

  function hostClosed() {
    stopped = true;
    lost("");
    $("offline-title").textContent = HOST_CLOSED;
    $("offline-why").textContent = "";
    $("offline-try").textContent = "";
  }

  function lost(reason) {
    if (!away) {
      away = true;
      document.body.classList.add("offline");
      $("offline").hidden = false;
      $("offline-title").textContent = "Connection lost";
      $("offline-why").textContent = reason
        ? "The room said: " + reason + "."
        : "The host's computer cannot be reached.";
      $("offline-try").textContent = "";
    }
    for (const b of document.querySelectorAll("#question button, #question input")) b.disabled = true;
    stopCountdown();
    $("q-time").textContent = "";
  }

  function back() {
    away = false;
    document.body.classList.remove("offline");
    $("offline").hidden = true;
  }

  function later() {
    const wait = RETRY_MS[Math.min(retry, RETRY_MS.length - 1)];
    retry += 1;
    $("offline-try").textContent = "Stay on this page: it rejoins by itself\u2026" + (retry > 1 ? " (try " + retry + ")" : "");
    retryTimer = setTimeout(() => {
      retryTimer = null;
      if (!stopped && joined && !ws) connect(joined.code, joined.name, joined.token);
    }, wait);
  }

  // A phone waking up or back on the network tries at once rather than at the next tick.
  function now() {
    if (away && retryTimer && !stopped && joined) connect(joined.code, joined.name, joined.token);
  }

  // -- frames from the room

  function handle(frame, code, name) {
    switch (frame.type) {
      case "welcome":
        retry = 0;
        welcomed = true;
        if (!joined || joined.token !== frame.token) { pick = null; answeredQ = 0; }
        joined = { code: code, name: frame.name, token: frame.token };
        persist();
        back();
        status("");
        $("who").textContent = frame.name;
        $("who").title = frame.name;
        // A late joiner, or a player back after the host resumed: the game is on, not about to start.
        $("lobby-title").textContent = frame.phase && frame.phase !== "lobby" ? "The game is on!" : "You're in!";
        $("lobby-wait").textContent = WAIT[frame.phase] || WAIT.lobby;
        if (frame.phase && frame.phase !== "lobby") {
          // The game is on: the room sends where it is, not the lobby's names.
          clear($("lobby-names"));
          $("lobby-count").textContent = frame.players + (frame.players === 1 ? " player" : " players");
        }
        selfPaced = frame.self_paced === true;
        until = typeof frame.until === "string" ? frame.until : "";
        if (selfPaced) {
          $("lobby-title").textContent = "Homework";
          $("lobby-wait").textContent = "Go at your own pace" + untilText() + (frame.phase === "lobby"
            ? ". Pick your team: your first question follows." : ". Your question comes now.");
        }
        myTeam = typeof frame.team === "string" ? frame.team : null;
        teamButtons(frame);
        showTeam();
        show("lobby");
        break;
      case "team":
        myTeam = frame.team;
        showTeam();
        break;
      case "round":
        stopCountdown();
        $("c-number").textContent = "Round " + frame.round + " of " + frame.rounds;
        $("c-title").textContent = frame.title || "Round " + frame.round;
        $("team-pick").hidden = true;
        show("round");
        break;
      case "teams":
        teams = frame;
        drawTeams($("r-teams"), $("r-teams-title"));
        break;
      case "lobby": {
        const list = $("lobby-names");
        clear(list);
        for (const n of frame.players) item(list, n);
        $("lobby-count").textContent = frame.players.length + (frame.players.length === 1 ? " player" : " players");
        break;
      }
      case "question": ask(frame); break;
      case "answered":
        answeredQ = frame.question;
        if (pending && pending.question === frame.question) pick = pending;
        pending = null;
        persist();
        lockedIn(frame.question);
        break;
      case "reveal": reveal(frame); break;
      case "leaderboard": {
        // A round's own board (issue 26: `round` set) has its own list above the game's.
        const own = typeof frame.round === "number";
        const list = $(own ? "r-round-top" : "r-top");
        clear(list);
        // The room sends each place, ties sharing one (1, 1, 3); a room before issue 26 sends none.
        for (const t of frame.top) item(list, placeOf(t.place) + t.name + " \u2014 " + t.score);
        const title = $(own ? "r-round-title" : "r-top-title");
        if (own) title.textContent = (frame.title || "Round " + frame.round) + ": top 5";
        title.hidden = frame.top.length === 0;
        break;
      }
      case "end": end(frame); break;
      case "error":
        // "replaced": this player joined again from another page or tab, which plays on;
        // this one stops, or the two pages would keep taking the seat from each other.
        if (frame.code === "removed" || frame.code === "replaced" || (!welcomed && FATAL.includes(frame.code))) {
          stopped = true;
          joined = null;
          back();
          if (frame.code === "removed") save(null);
          show("join");
          $("join-error").textContent = frame.message;
          if (ws) ws.close();
        } else if (frame.code === "bad-message" && pending && question && pending.question === question.question &&
                   answeredQ !== question.question) {
          // The room refused the answer (a number out of the range shown, say): the question is
          // still open for this player, so it comes back with the room's words beside the field.
          pending = null;
          show("question");
          if (question.kind === "typed" || question.kind === "estimate") {
            $("answer-error").textContent = frame.message;
            const line = question.kind === "estimate" ? $("number") : $("typed");
            if (!away) line.focus();
          } else {
            status(frame.message);
          }
        } else {
          status(frame.message);
        }
        break;
    }
  }

  // The team buttons after the name, in a room where players pick (issue 26).
  function teamButtons(frame) {
    const box = $("team-buttons");
    clear(box);
    const picking = !!frame.pick && Array.isArray(frame.teams) && frame.teams.length > 0 &&
      (!frame.phase || frame.phase === "lobby");
    $("team-pick").hidden = !picking;
    if (!picking) return;
    frame.teams.forEach((name, i) => {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "team t" + (i % 8);
      b.textContent = name;
      b.dataset.team = name;
      b.addEventListener("click", () => {
        if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: "team", team: name }));
      });
      box.appendChild(b);
    });
  }
  function showTeam() {
    const el = $("my-team");
    el.hidden = !myTeam;
    el.textContent = myTeam ? "Your team: " + myTeam : "";
    for (const b of document.querySelectorAll("#team-buttons button")) {
      b.setAttribute("aria-pressed", b.dataset.team === myTeam ? "true" : "false");
    }
  }
  function drawTeams(list, title) {
    clear(list);
    const rows = teams && Array.isArray(teams.teams) ? teams.teams : [];
    for (const t of rows) {
      item(list, placeOf(t.place) + t.name + " \u2014 " + t.score + (t.name === myTeam ? " (your team)" : ""));
    }
    title.hidden = rows.length === 0;
  }

  // When the homework closes, "Thu 10 Dec, 18:00" in the phone's own time; "" when the host ends it.
  function whenText() {
    const when = until ? new Date(until) : null;
    if (!when || isNaN(when.getTime())) return "";
    return when.toLocaleString(undefined, { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
  }
  function untilText() { return whenText() ? " until " + whenText() : ""; }
  function next() {
    if (ws && ws.readyState === WebSocket.OPEN && welcomed && !away) ws.send(JSON.stringify({ type: "next" }));
    $("r-next").disabled = true;
  }

  // " · Round 2 of 3" in a room with rounds (issue 26): the frame's own, else its question's.
  function roundText(frame, asked) {
    const rounds = typeof frame.rounds === "number" ? frame.rounds : asked ? asked.rounds : 0;
    const round = typeof frame.round === "number" ? frame.round : asked ? asked.round : 0;
    return rounds > 1 && round ? " \u00b7 Round " + round + " of " + rounds : "";
  }

  function ask(frame) {
    if (!question || question.question !== frame.question) pending = null;
    question = frame;
    persist();
    $("q-number").textContent = "Question " + frame.question + " of " + frame.count + roundText(frame, null);
    // A room that keeps the question on its projector sends no prompt (issue 26).
    $("q-prompt").textContent = frame.prompt || ON_SCREEN;
    $("q-prompt").classList.toggle("elsewhere", !frame.prompt);
    const box = $("choices");
    clear(box);
    box.hidden = unchosen(frame);
    $("answer-form").hidden = frame.kind !== "typed" && frame.kind !== "estimate";
    $("order-box").hidden = frame.kind !== "order";
    if (frame.kind === "typed" || frame.kind === "estimate") askLine(frame);
    if (frame.kind === "order") askOrder(frame);
    frame.choices.forEach((text, i) => {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "choice c" + (i % 4);
      b.disabled = away;
      b.setAttribute("aria-label", (LETTERS[i] || "?") + ": " + text);
      b.append(span("shape", SHAPES[i % 4]), span("letter", LETTERS[i] || "?"), span("text", text));
      b.addEventListener("click", () => answer(frame.question, i));
      box.appendChild(b);
    });
    stopCountdown();
    $("q-time").textContent = "";
    if (frame.seconds !== null && frame.seconds !== undefined) {
      const until = Date.now() + frame.seconds * 1000;
      const tick = () => {
        const left = Math.max(0, Math.ceil((until - Date.now()) / 1000));
        $("q-time").textContent = left + " s";
        if (left <= 0) stopCountdown();
      };
      tick();
      countdown = setInterval(tick, 250);
    }
    show("question");
  }

  // A typed answer or an estimate: one line, checked here as `quiz play` checks it.
  function askLine(frame) {
    const estimate = frame.kind === "estimate";
    const line = estimate ? $("number") : $("typed");
    $("typed").hidden = estimate;
    $("number").hidden = !estimate;
    $("answer-label").htmlFor = line.id;
    $("answer-label").textContent = estimate ? "Your number" : "Your answer";
    const shown = (v) => numberText(frame, v);
    const low = typeof frame.low === "number" ? frame.low : null;
    const high = typeof frame.high === "number" ? frame.high : null;
    $("answer-range").textContent = !estimate ? "" :
      low !== null && high !== null ? "A number from " + shown(low) + " to " + shown(high) + "." :
      low !== null ? "At least " + shown(low) + "." : high !== null ? "At most " + shown(high) + "." : "";
    const near = estimate ? closeText(frame) : "";
    if (near) $("answer-range").textContent += ($("answer-range").textContent ? " " : "") + near;
    $("answer-range").hidden = !$("answer-range").textContent;
    $("answer-error").textContent = "";
    for (const el of [$("typed"), $("number"), $("answer-send")]) el.disabled = away;
    line.value = "";
    line.placeholder = estimate ? numberWords(frame).replace(/^Type a number, like /, "e.g. ").replace(/\.$/, "") : "";
    if (!away) line.focus();
  }

  function sendLine(event) {
    event.preventDefault();
    if (!question || (question.kind !== "typed" && question.kind !== "estimate")) return;
    const error = $("answer-error");
    if (question.kind === "typed") {
      const text = $("typed").value.trim().slice(0, 200);
      if (!/[\p{L}\p{N}]/u.test(text)) { error.textContent = TYPE_WORDS; return; }
      answer(question.question, { text: text });
    } else {
      const value = parseValue($("number").value);
      if (value === null) { error.textContent = numberWords(question); return; }
      answer(question.question, { value: value });
    }
  }

  // An order: each item a button; a tap places it next, and with one left that one goes
  // last by itself (as `quiz play` and `quiz join` fill it in). Undo, Clear; Send once all
  // are placed. The badges are places in the player's order ("#1"), never "1st": beside
  // race results ("Her race at Daytona") an ordinal reads as the result.
  function askOrder(frame) {
    placed = [];
    lastFilled = false;
    drawOrder(frame);
  }

  function placeItem(frame, i) {
    const list = items(frame);
    if (placed.includes(i)) return;
    placed.push(i);
    if (list.length > 1 && placed.length === list.length - 1) {
      placed.push(list.findIndex((_, k) => !placed.includes(k)));
      lastFilled = true;
    }
    drawOrder(frame);
  }

  function undoOrder(frame) {
    if (lastFilled) placed.pop(); // the one filled in goes with the tap that filled it
    lastFilled = false;
    placed.pop();
    drawOrder(frame);
  }

  function drawOrder(frame) {
    const list = items(frame);
    const box = $("order-items");
    clear(box);
    list.forEach((text, i) => {
      const b = document.createElement("button");
      b.type = "button";
      const at = placed.indexOf(i);
      b.className = "item" + (at >= 0 ? " placed" : "");
      b.disabled = away || at >= 0;
      b.setAttribute("aria-label", LETTERS[i] + ": " + text + (at >= 0 ? ", number " + (at + 1) + " in your order" : ""));
      b.append(span("letter", LETTERS[i] || "?"), span("text", text));
      if (at >= 0) b.append(span("place", "#" + (at + 1)));
      b.addEventListener("click", () => placeItem(frame, i));
      box.appendChild(b);
    });
    const so = $("order-so-far");
    clear(so);
    for (const k of placed) item(so, list[k]);
    const last = list[placed[placed.length - 1]];
    $("order-hint").textContent = placed.length < list.length
      ? "Tap the items in order, first to last (" + placed.length + " of " + list.length + " placed)."
      : lastFilled
        ? "One was left, so it goes last: " + last + ". Send it, or Undo to change."
        : "All placed. Send it, or Undo to change.";
    $("order-undo").disabled = away || placed.length === 0;
    $("order-clear").disabled = away || placed.length === 0;
    $("order-send").disabled = away || placed.length !== list.length;
  }

  function answer(number, given) {
    if (!ws || ws.readyState !== WebSocket.OPEN || !welcomed || away) return;
    const frame = Object.assign({ type: "answer", question: number }, typeof given === "number" ? { choice: given } : given);
    ws.send(JSON.stringify(frame));
    pending = Object.assign({ question: number }, typeof given === "number" ? { choice: given } : given);
    lockedIn(number);
  }

  function lockedIn(number) {
    const mine = pending && pending.question === number ? pending : pick && pick.question === number ? pick : null;
    const el = $("locked-choice");
    clear(el);
    if (mine && question && question.question === number) {
      if (typeof mine.choice === "number") choiceLine(el, mine.choice, question.choices[mine.choice]);
      else el.append(span("label", "You sent"), " ", span("text", givenText(question, mine)));
    }
    show("locked");
  }

  function reveal(frame) {
    stopCountdown();
    pending = null;
    const n = frame.question;
    const asked = question && question.question === n ? question : null;
    if (unchosen(frame)) { revealUnchosen(frame, asked); return; }
    $("r-pick-label").textContent = "You picked";
    $("r-close-line").hidden = true;
    // A room that names the player's choice (null: no answer) is believed; otherwise the
    // page goes by what the room confirmed on this page or before a reload.
    const told = Object.prototype.hasOwnProperty.call(frame, "choice");
    const mine = pick && pick.question === n ? pick.choice : null;
    const chose = told ? (typeof frame.choice === "number" ? frame.choice : null)
      : mine !== null ? mine : frame.correct ? frame.answer : null;
    const answered = frame.correct || chose !== null || (!told && answeredQ === n);
    const kind = frame.correct ? "right" : answered ? "wrong" : "none";
    const verdict = $("r-verdict");
    verdict.textContent = { right: "\u2713 Right!", wrong: "\u2717 Wrong", none: noAnswer(frame, asked) }[kind];
    verdict.className = kind;
    $("r-number").textContent = "Question " + n + (asked ? " of " + asked.count : "") + roundText(frame, asked);
    setPoints(frame);
    $("r-score").textContent = "Score " + frame.score + " \u00b7 place " + frame.rank + " of " + frame.players;
    $("scoreline").textContent = "Score " + frame.score;
    $("r-prompt").textContent = asked ? asked.prompt : "";
    $("r-prompt").hidden = !asked || !asked.prompt;
    const yours = $("r-pick");
    if (chose !== null) {
      choiceLine(yours, chose, asked ? asked.choices[chose] : "");
    } else {
      clear(yours);
      yours.appendChild(span("nothing", asked && asked.seconds ? "nothing: time ran out" : "nothing"));
    }
    yours.parentElement.hidden = kind !== "none" && chose === null;
    choiceLine($("r-answer"), frame.answer, asked ? asked.choices[frame.answer] : "");
    $("r-why").textContent = frame.explanation;
    $("r-source").textContent = "Source: " + frame.source;
    for (const id of ["r-top", "r-round-top", "r-teams"]) clear($(id));
    for (const id of ["r-top-title", "r-round-title", "r-teams-title"]) $(id).hidden = true;
    nextBox(frame);
    show("reveal");
  }

  // Self-paced: Next under the reveal ("See my result" after the last question).
  function nextBox(frame) {
    $("r-next-box").hidden = !selfPaced;
    const last = question && question.question === frame.question && question.count === frame.question;
    $("r-next").textContent = last ? "See my result" : "Next question";
    $("r-next").disabled = away;
  }

  // How close an estimate or an order was, as quiz.game.judge says it.
  function howClose(frame, asked) {
    if (frame.kind === "estimate" && typeof frame.off === "number") {
      if (frame.off === 0) return "Exact";
      const unit = asked && asked.unit ? asked.unit : "";
      const count = frame.off.toLocaleString("en-US");
      return unit ? count + " " + unit + (frame.off === 1 ? "" : "s") + " off" : count + " off";
    }
    if (frame.kind === "order" && typeof frame.credit === "number") {
      const count = Array.isArray(frame.order) && frame.order.length ? frame.order.length : items(asked).length;
      const pairs = (count * (count - 1)) / 2;
      if (pairs) return Math.round(frame.credit * pairs) + " of " + pairs + (pairs === 1 ? " pair" : " pairs") + " in order";
    }
    return "";
  }

  // A typed answer, an estimate or an order: what the player gave, how close, the answer.
  function revealUnchosen(frame, asked) {
    const given = typeof frame.given === "string" && frame.given ? frame.given : null;
    const answered = frame.correct || given !== null;
    const kind = frame.correct ? "right" : frame.credit ? "close" : answered ? "wrong" : "none";
    const verdict = $("r-verdict");
    verdict.textContent = { right: "\u2713 Right!", close: "\u2248 Close", wrong: "\u2717 Wrong", none: noAnswer(frame, asked) }[kind];
    verdict.className = kind;
    $("r-number").textContent = "Question " + frame.question + (asked ? " of " + asked.count : "") + roundText(frame, asked);
    setPoints(frame);
    $("r-score").textContent = "Score " + frame.score + " \u00b7 place " + frame.rank + " of " + frame.players;
    $("scoreline").textContent = "Score " + frame.score;
    $("r-prompt").textContent = asked ? asked.prompt : "";
    $("r-prompt").hidden = !asked || !asked.prompt;
    $("r-pick-label").textContent = given === null ? "Your answer"
      : { typed: "You typed", estimate: "You said", order: "Your order" }[frame.kind];
    const yours = $("r-pick");
    clear(yours);
    if (given !== null) yours.appendChild(span("text", given));
    else yours.appendChild(span("nothing", asked && asked.seconds ? "nothing: time ran out" : "nothing"));
    yours.parentElement.hidden = false;
    const close = given !== null ? howClose(frame, asked) : "";
    $("r-close").textContent = close;
    $("r-close-line").hidden = !close;
    const right = $("r-answer");
    clear(right);
    right.appendChild(span("text", frame.answer_text || ""));
    $("r-why").textContent = frame.explanation;
    $("r-source").textContent = "Source: " + frame.source;
    for (const id of ["r-top", "r-round-top", "r-teams"]) clear($(id));
    for (const id of ["r-top-title", "r-round-title", "r-teams-title"]) $(id).hidden = true;
    nextBox(frame);
    show("reveal");
  }

  function end(frame) {
    stopCountdown();
    // The near answers too, as quiz.game.judge.tally says them: "0 of 2 right, 2 close".
    const close = typeof frame.close === "number" && frame.close > 0 ? ", " + frame.close + " close" : "";
    $("e-score").textContent = "Score " + frame.score + " \u00b7 " + frame.correct + " of " + frame.count + " right" + close;
    $("scoreline").textContent = "Score " + frame.score;
    const list = $("e-podium");
    clear(list);
    for (const t of frame.podium) item(list, placeOf(t.place) + t.name + " \u2014 " + t.score);
    drawTeams($("e-teams"), $("e-teams-title"));
    // Self-paced, done before the homework closes: the place so far; the results follow.
    const early = frame.final === false;
    $("e-title").textContent = early ? "All done!" : "Game over";
    $("e-place").textContent = (early ? "Place so far: " : "Place ") + frame.rank;
    $("e-note").hidden = !early;
    $("e-note").textContent = early ? "The results come here when the homework closes" + (whenText() ? " (" + whenText() + ")" : "") + "." : "";
    show("end");
    if (!early) stopped = true;
  }

  document.addEventListener("DOMContentLoaded", () => {
    const params = new URLSearchParams(location.search);
    const code = (params.get("code") || "").replace(/\D/g, "").slice(0, 6);
    const saved = load();
    if (code) $("code").value = code;
    if (saved && saved.name) $("name").value = saved.name;
    $("join-form").addEventListener("submit", (event) => {
      event.preventDefault();
      $("join-error").textContent = "";
      const c = $("code").value.trim();
      const n = $("name").value.trim();
      const token = saved && saved.code === c && saved.name === n ? saved.token : undefined;
      connect(c, n, token);
    });
    $("answer-form").addEventListener("submit", sendLine);
    $("r-next").addEventListener("click", next);
    $("order-undo").addEventListener("click", () => { if (question) undoOrder(question); });
    $("order-clear").addEventListener("click", () => { placed = []; lastFilled = false; if (question) drawOrder(question); });
    $("order-send").addEventListener("click", () => {
      if (question && question.kind === "order" && placed.length === items(question).length) {
        answer(question.question, { order: placed.slice() });
      }
    });
    window.addEventListener("online", now);
    document.addEventListener("visibilitychange", () => { if (!document.hidden) now(); });
    // A reload, or a phone waking from sleep, rejoins as the same player.
    if (saved && saved.token && (!code || code === saved.code)) {
      $("code").value = saved.code;
      joined = { code: saved.code, name: saved.name, token: saved.token };
      if (isQuestion(saved.asked)) question = saved.asked;
      if (isPick(saved.pick)) pick = saved.pick;
      connect(saved.code, saved.name, saved.token);
    }
  });
})();
