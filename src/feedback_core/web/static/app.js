// feedback_core dashboard: plain JavaScript, no build step, no dependencies, works offline.
// It calls the API's routes relative to this page (same origin), shows the API's problem+json
// field errors beside their fields (each error's JSON pointer names the field), draws the
// analytics as inline SVG, and refreshes every REFRESH_MS unless paused.
// Every value from the API is put in the page as text (textContent), never as HTML.
"use strict";

(function () {
  const REFRESH_MS = 5000;
  const SVG = "http://www.w3.org/2000/svg";
  const SENTIMENTS = ["positive", "neutral", "negative", "mixed"];
  const FIELDS = ["name", "email", "rating", "message", "customerId"];
  const state = {
    polls: listFrom("polls", document.body.dataset.polls),
    surveys: listFrom("surveys", document.body.dataset.surveys),
    paused: false,
    timer: null,
    generation: 0, // each refresh's number: an older refresh's late answer is not drawn
  };

  function listFrom(parameter, fallback) {
    const given = new URLSearchParams(window.location.search).get(parameter);
    return (given || fallback || "").split(",").map((s) => s.trim()).filter(Boolean);
  }

  function api(path) {
    return new URL(path, window.location.href).toString();
  }

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (name === "text") node.textContent = value;
      else if (name === "class") node.className = value;
      else node.setAttribute(name, value);
    }
    for (const child of children) if (child) node.append(child);
    return node;
  }

  function svg(tag, attributes) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    return node;
  }

  async function getJson(path) {
    const response = await fetch(api(path), { headers: { Accept: "application/json" } });
    let body = null;
    try {
      body = await response.json();
    } catch (error) {
      body = null;
    }
    return { status: response.status, ok: response.ok, body };
  }

  function format(number, digits) {
    if (number === null || number === undefined) return "–";
    return Number(number).toLocaleString("en", { maximumFractionDigits: digits ?? 1 });
  }

  // ----- charts (inline SVG) -----

  function barChart(container, labelledBy, bars, describe) {
    // bars: [{label, value, className?}] drawn as vertical bars with the value above each.
    const width = 320, height = 150, bottom = 22, top = 16;
    const max = Math.max(1, ...bars.map((b) => b.value));
    const step = width / Math.max(1, bars.length);
    const chart = svg("svg", {
      viewBox: `0 0 ${width} ${height}`,
      role: "img",
      "aria-labelledby": labelledBy,
      "aria-describedby": container.id + "-text",
    });
    chart.append(svg("line", { class: "axis", x1: 0, x2: width, y1: height - bottom, y2: height - bottom }));
    bars.forEach((bar, index) => {
      const barHeight = ((height - bottom - top) * bar.value) / max;
      const barWidth = Math.min(step * 0.7, 48);
      const x = index * step + (step - barWidth) / 2;
      const middle = (x + barWidth / 2).toFixed(1);
      const y = height - bottom - barHeight;
      const rect = svg("rect", {
        class: "bar " + (bar.className || ""),
        x: x.toFixed(1), y: y.toFixed(1), width: barWidth.toFixed(1), height: barHeight.toFixed(1), rx: 2,
        "data-label": bar.label, "data-value": bar.value,
      });
      const title = svg("title");
      title.textContent = `${bar.label}: ${bar.value}`;
      rect.append(title);
      const value = svg("text", { x: middle, y: (y - 3).toFixed(1), "text-anchor": "middle" });
      value.textContent = String(bar.value);
      const label = svg("text", { x: middle, y: height - 6, "text-anchor": "middle" });
      label.textContent = bar.label;
      chart.append(rect, value, label);
    });
    const text = el("p", { id: container.id + "-text", class: "muted", text: describe });
    container.replaceChildren(chart, text);
  }

  function stackedBar(container, labelledBy, parts) {
    // parts: [{label, count, percentage}] as one horizontal bar of coloured segments + a legend.
    const width = 320, height = 28;
    const total = parts.reduce((sum, p) => sum + p.count, 0);
    const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-labelledby": labelledBy });
    let x = 0;
    for (const part of parts) {
      const w = total ? (width * part.count) / total : 0;
      const rect = svg("rect", {
        x: x.toFixed(1), y: 0, width: w.toFixed(1), height, style: `fill: var(--${part.label})`,
        "data-label": part.label, "data-value": part.count,
      });
      const title = svg("title");
      title.textContent = `${part.label}: ${part.count} (${format(part.percentage)}%)`;
      rect.append(title);
      chart.append(rect);
      x += w;
    }
    if (!total) {
      chart.append(svg("rect", { x: 0, y: 0, width, height, style: "fill: #e6eaef" }));
    }
    const legend = el("ul", { class: "legend" });
    for (const part of parts) {
      const item = el("li", { text: `${part.label} ${part.count} (${format(part.percentage)}%)` });
      item.style.setProperty("--swatch", `var(--${part.label})`);
      legend.append(item);
    }
    container.replaceChildren(chart, legend);
  }

  function rows(items) {
    // items: [{label, value, percentage}] as labelled horizontal bars (HTML, readable as text).
    const grid = el("div", { class: "rows" });
    for (const item of items) {
      const track = el("div", { class: "track", "aria-hidden": "true" });
      const fill = el("div", { class: "fill" });
      fill.style.width = `${Math.max(0, Math.min(100, item.percentage || 0))}%`;
      track.append(fill);
      grid.append(
        el("span", { text: item.label }),
        track,
        el("span", { class: "num", text: `${item.value} (${format(item.percentage)}%)` }),
      );
    }
    return grid;
  }

  // ----- sections -----

  async function loadAnalytics(generation) {
    const { ok, body } = await getJson("analytics");
    if (generation !== state.generation) return;
    const summary = document.getElementById("analytics-summary");
    if (!ok || !body) {
      summary.textContent = "Analytics are not available.";
      return;
    }
    summary.dataset.count = String(body.count);
    summary.textContent =
      `${body.count} submissions, average rating ${format(body.averageRating, 2)}` +
      (body.csat === null || body.csat === undefined ? "" : `, CSAT ${format(body.csat)}%`);
    const byRating = new Map((body.ratingHistogram || []).map((b) => [b.rating, b.count]));
    const ratings = [1, 2, 3, 4, 5].map((r) => ({ label: `${r}★`, value: byRating.get(r) || 0 }));
    barChart(document.getElementById("histogram"), "histogram-title", ratings,
      "Ratings: " + ratings.map((r, i) => `${i + 1} ${i ? "stars" : "star"}: ${r.value}`).join(", ") + ".");
    const bySentiment = new Map((body.sentiment || []).map((s) => [s.label, s]));
    stackedBar(document.getElementById("sentiment"), "sentiment-title",
      SENTIMENTS.map((label) => ({ label, count: bySentiment.get(label)?.count || 0, percentage: bySentiment.get(label)?.percentage || 0 })));
    const days = (body.daily || []).slice(-14);
    barChart(document.getElementById("daily"), "daily-title",
      days.map((d) => ({ label: d.day.slice(5), value: d.count })),
      days.length ? "Per day: " + days.map((d) => `${d.day}: ${d.count}`).join(", ") + "." : "No submissions yet.");
  }

  async function loadRecent(generation) {
    const list = document.getElementById("recent");
    const note = document.getElementById("recent-note");
    const { status, ok, body } = await getJson("feedback?limit=10");
    if (generation !== state.generation) return;
    if (!ok || !body) {
      note.hidden = false;
      note.textContent = status === 403 || status === 401
        ? "The recent feedback list is for administrators (IAM-signed requests) on AWS."
        : "The recent feedback list is not available.";
      list.replaceChildren();
      return;
    }
    note.hidden = true;
    list.replaceChildren(...body.items.map((item) => {
      const sentiment = item.sentiment || "unanalyzed";
      return el("li", {},
        el("div", { class: "meta" },
          el("span", { class: `tag ${sentiment}`, text: sentiment }),
          document.createTextNode(` ${"★".repeat(item.rating)} ${item.rating}/5 · ${item.name || "anonymous"} · `),
          el("time", { datetime: item.createdAt, text: new Date(item.createdAt).toLocaleString() })),
        el("p", { text: item.message, style: "margin: .25rem 0 0" }));
    }));
    if (!body.items.length) list.append(el("li", { class: "muted", text: "No feedback yet." }));
  }

  async function loadEach(generation, kind, ids, path, draw) {
    // One section per poll or survey id, each from its own GET; drawn together.
    const sections = await Promise.all(ids.map(async (id) => {
      const { ok, body } = await getJson(path(encodeURIComponent(id)));
      const section = el("section", { class: kind, "aria-label": `${kind} ${id}` }, el("h3", { text: id }));
      if (ok && body) draw(section, body);
      else section.append(el("p", { class: "muted", text: body?.title || "Not available." }));
      return section;
    }));
    if (generation === state.generation) document.getElementById(`${kind}s`).replaceChildren(...sections);
  }

  function drawPoll(section, body) {
    section.append(el("p", { class: "muted", text: `${body.totalVotes} votes` }));
    section.append(rows(body.choices.map((c) => ({ label: c.choice, value: c.votes, percentage: c.percentage }))));
  }

  function drawSurvey(section, body) {
    section.append(el("p", { class: "muted", text: `${body.responses} responses` }));
    for (const question of body.questions) {
      const facts = [`${question.answered} answered`];
      if (question.mean !== null) facts.push(`mean ${format(question.mean, 2)}`);
      if (question.nps) facts.push(`NPS ${format(question.nps.score)}`);
      if (question.csat !== null) facts.push(`CSAT ${format(question.csat)}%`);
      section.append(el("h4", { text: `${question.questionId} — ${facts.join(", ")}` }));
      section.append(rows(question.answers.slice(0, 6).map((a) => ({ label: String(a.answer), value: a.count, percentage: a.percentage }))));
    }
  }

  const loadPolls = (generation) => loadEach(generation, "poll", state.polls, (id) => `polls/${id}/results`, drawPoll);
  const loadSurveys = (generation) => loadEach(generation, "survey", state.surveys, (id) => `surveys/${id}/summary`, drawSurvey);

  async function refresh() {
    clearTimeout(state.timer);
    const generation = ++state.generation;
    const loads = [loadAnalytics, loadRecent, loadPolls, loadSurveys].map((load) => load(generation));
    const results = await Promise.allSettled(loads);
    if (generation !== state.generation) return; // a newer refresh is drawing
    const failed = results.filter((r) => r.status === "rejected").length;
    const updated = document.getElementById("updated");
    updated.textContent = failed
      ? `Could not reach the API (${failed} of 4 parts); retrying.`
      : `Updated ${new Date().toLocaleTimeString()}`;
    updated.dataset.refreshes = String(Number(updated.dataset.refreshes || 0) + 1);
    if (!state.paused) state.timer = setTimeout(refresh, REFRESH_MS);
  }

  // ----- the feedback form -----

  function clearErrors(form) {
    for (const name of FIELDS) {
      const input = form.elements.namedItem(name);
      input.removeAttribute("aria-invalid");
      const message = document.getElementById(`${name}-error`);
      message.hidden = true;
      message.textContent = "";
    }
    document.getElementById("form-errors").hidden = true;
    document.getElementById("error-list").replaceChildren();
  }

  // --8<-- [start:errors]
  function showErrors(form, problem) {
    const errors = problem.errors && problem.errors.length
      ? problem.errors
      // Not a problem with field errors (API Gateway's own answers carry a "message"):
      : [{ pointer: "", detail: problem.detail || problem.title || problem.message || "The request failed." }];
    const list = document.getElementById("error-list");
    let first = null;
    for (const error of errors) {
      const name = (error.pointer || "").replace(/^\//, "").split("/")[0];
      const known = FIELDS.includes(name);
      const label = known ? form.querySelector(`label[for="${name}"]`).firstChild.textContent.trim() : "Request";
      if (known) {
        const input = form.elements.namedItem(name);
        input.setAttribute("aria-invalid", "true");
        const message = document.getElementById(`${name}-error`);
        message.textContent = message.textContent ? `${message.textContent} ${error.detail}` : error.detail;
        message.hidden = false;
        first = first || input;
      }
      const item = el("li");
      item.append(known ? el("a", { href: `#${name}`, text: `${label}: ${error.detail}` }) : el("span", { text: `${label}: ${error.detail}` }));
      list.append(item);
    }
    document.getElementById("error-count").textContent =
      `${errors.length} ${errors.length === 1 ? "problem" : "problems"}`;
    const summary = document.getElementById("form-errors");
    summary.hidden = false;
    summary.focus();
    return first;
  }
  // --8<-- [end:errors]

  async function submit(event) {
    event.preventDefault();
    const form = event.target;
    const status = document.getElementById("form-status");
    clearErrors(form);
    status.textContent = "";
    const data = new FormData(form);
    const body = {
      name: data.get("name"),
      email: data.get("email"),
      message: data.get("message"),
    };
    const rating = data.get("rating");
    if (rating !== "") body.rating = Number(rating);
    if (data.get("customerId")) body.customerId = data.get("customerId");
    const headers = { "Content-Type": "application/json", Accept: "application/problem+json, application/json" };
    if (window.crypto && crypto.randomUUID) headers["Idempotency-Key"] = crypto.randomUUID();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const response = await fetch(api("feedback"), { method: "POST", headers, body: JSON.stringify(body) });
      let answer = null;
      try {
        answer = await response.json();
      } catch (error) {
        answer = { title: `The API answered ${response.status}.` };
      }
      if (response.ok) {
        form.reset();
        status.textContent = `Thank you: feedback stored (sentiment: ${answer.sentiment || "pending"}).`;
        refresh();
        setTimeout(refresh, 1500); // the stream consumers fold it into the analytics in ~1 s
      } else {
        showErrors(form, answer || {});
      }
    } catch (error) {
      showErrors(form, { title: "Could not reach the API. Check your connection and try again." });
    } finally {
      button.disabled = false;
    }
  }

  function addFrom(formId, inputId, list) {
    document.getElementById(formId).addEventListener("submit", (event) => {
      event.preventDefault();
      const input = document.getElementById(inputId);
      const value = input.value.trim();
      if (value && input.checkValidity() && !list.includes(value)) {
        list.push(value);
        input.value = "";
        refresh();
      }
    });
  }

  document.getElementById("feedback-form").addEventListener("submit", submit);
  addFrom("poll-add", "poll-id", state.polls);
  addFrom("survey-add", "survey-id", state.surveys);
  document.getElementById("pause").addEventListener("click", (event) => {
    state.paused = !state.paused;
    event.currentTarget.setAttribute("aria-pressed", String(state.paused));
    event.currentTarget.textContent = state.paused ? "Resume updates" : "Pause updates";
    if (state.paused) clearTimeout(state.timer);
    else refresh();
  });
  refresh();
})();
