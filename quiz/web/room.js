// The player page of a live room. Plain JavaScript, no build step, nothing from another host.
// Every name and text from the server is set with textContent, never as HTML.
"use strict";
(function () {
  const SHAPES = ["\u25B2", "\u25C6", "\u25CF", "\u25A0"]; // triangle, diamond, circle, square
  const LETTERS = "ABCDEFGHIJ";
  const STORE = "quiz-room";
  const FATAL = ["bad-code", "name-taken", "bad-name", "full", "locked", "removed", "not-open"];
  const $ = (id) => document.getElementById(id);
  let ws = null;
  let joined = null; // {code, name, token}
  let retry = 0;
  let stopped = false;
  let welcomed = false;
  let question = null;
  let countdown = null;

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
  function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); }
  function item(list, text) { const li = document.createElement("li"); li.textContent = text; list.appendChild(li); }

  function connect(code, name, token) {
    stopped = false;
    const url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host +
      location.pathname.replace(/[^/]*$/, "") + "ws";
    welcomed = false;
    ws = new WebSocket(url);
    ws.onopen = () => {
      const join = { type: "join", code: code, name: name };
      if (token) join.token = token;
      ws.send(JSON.stringify(join));
      status("");
    };
    ws.onmessage = (event) => {
      let frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      handle(frame, code, name);
    };
    ws.onclose = () => {
      ws = null;
      if (stopped || !joined) return;
      retry = Math.min(retry + 1, 6);
      status("Connection lost; rejoining\u2026");
      setTimeout(() => { if (!stopped && joined) connect(joined.code, joined.name, joined.token); },
        Math.min(500 * 2 ** (retry - 1), 8000));
    };
  }

  function handle(frame, code, name) {
    switch (frame.type) {
      case "welcome":
        retry = 0;
        welcomed = true;
        joined = { code: code, name: frame.name, token: frame.token };
        save(joined);
        $("who").textContent = frame.name;
        show("lobby");
        break;
      case "lobby": {
        const list = $("lobby-names");
        clear(list);
        for (const n of frame.players) item(list, n);
        $("lobby-count").textContent = frame.players.length + (frame.players.length === 1 ? " player" : " players");
        break;
      }
      case "question": ask(frame); break;
      case "answered": lockedIn(); break;
      case "reveal": reveal(frame); break;
      case "leaderboard": {
        const list = $("r-top");
        clear(list);
        for (const t of frame.top) item(list, t.name + " \u2014 " + t.score);
        $("r-top-title").hidden = frame.top.length === 0;
        break;
      }
      case "end": end(frame); break;
      case "error":
        if (frame.code === "removed" || (!welcomed && FATAL.includes(frame.code))) {
          stopped = true;
          joined = null;
          if (frame.code === "removed") save(null);
          show("join");
          $("join-error").textContent = frame.message;
          if (ws) ws.close();
        } else {
          status(frame.message);
        }
        break;
    }
  }

  function ask(frame) {
    question = frame;
    $("q-number").textContent = "Question " + frame.question + " of " + frame.count;
    $("q-prompt").textContent = frame.prompt;
    const box = $("choices");
    clear(box);
    frame.choices.forEach((text, i) => {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "choice c" + (i % 4);
      b.setAttribute("aria-label", LETTERS[i] + ": " + text);
      const shape = document.createElement("span"); shape.className = "shape"; shape.textContent = SHAPES[i % 4];
      const letter = document.createElement("span"); letter.className = "letter"; letter.textContent = LETTERS[i];
      const label = document.createElement("span"); label.className = "text"; label.textContent = text;
      b.append(shape, letter, label);
      b.addEventListener("click", () => answer(frame.question, i));
      box.appendChild(b);
    });
    if (countdown) clearInterval(countdown);
    $("q-time").textContent = "";
    if (frame.seconds !== null && frame.seconds !== undefined) {
      const until = Date.now() + frame.seconds * 1000;
      const tick = () => {
        const left = Math.max(0, Math.ceil((until - Date.now()) / 1000));
        $("q-time").textContent = left + " s";
        if (left <= 0) clearInterval(countdown);
      };
      tick();
      countdown = setInterval(tick, 250);
    }
    show("question");
  }

  function answer(number, choice) {
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    ws.send(JSON.stringify({ type: "answer", question: number, choice: choice }));
    if (question) $("locked-choice").textContent = LETTERS[choice] + ": " + question.choices[choice];
    lockedIn();
  }

  function lockedIn() { show("locked"); }

  function reveal(frame) {
    if (countdown) clearInterval(countdown);
    const verdict = $("r-verdict");
    verdict.textContent = frame.correct ? "\u2713 Right!" : "\u2717 Wrong";
    verdict.className = frame.correct ? "right" : "wrong";
    const right = question && question.question === frame.question ? question.choices[frame.answer] : "";
    $("r-answer").textContent = "The answer: " + LETTERS[frame.answer] + (right ? ": " + right : "");
    $("r-points").textContent = "+" + frame.points + " points";
    $("r-score").textContent = "Score " + frame.score + " \u00b7 place " + frame.rank + " of " + frame.players;
    $("scoreline").textContent = "Score " + frame.score;
    $("r-why").textContent = frame.explanation;
    $("r-source").textContent = "Source: " + frame.source;
    clear($("r-top"));
    $("r-top-title").hidden = true;
    show("reveal");
  }

  function end(frame) {
    if (countdown) clearInterval(countdown);
    $("e-place").textContent = "Place " + frame.rank;
    $("e-score").textContent = "Score " + frame.score + " \u00b7 " + frame.correct + " of " + frame.count + " right";
    const list = $("e-podium");
    clear(list);
    for (const t of frame.podium) item(list, t.place + ". " + t.name + " \u2014 " + t.score);
    show("end");
    stopped = true;
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
    // A reload, or a phone waking from sleep, rejoins as the same player.
    if (saved && saved.token && (!code || code === saved.code)) {
      $("code").value = saved.code;
      joined = saved;
      connect(saved.code, saved.name, saved.token);
    }
  });
})();
