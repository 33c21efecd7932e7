// xtsbridge's dashboard: one page, no framework, no CDN. Every figure comes from the gateway's own
// /api/v1 routes, called through /dashboard/api/* with the session cookie (the page never holds the
// API key); live updates come over the OpenAlgo WebSocket at /ws, which knows the session by its cookie.

const IST = "Asia/Kolkata";
const rupees = new Intl.NumberFormat("en-IN", { style: "currency", currency: "INR", minimumFractionDigits: 2, maximumFractionDigits: 2 });
const plain = new Intl.NumberFormat("en-IN", { maximumFractionDigits: 2 });
const whole = new Intl.NumberFormat("en-IN", { maximumFractionDigits: 0 });

const state = { csrf: null, ws: null, wsOpen: false, analyze: false, view: null, timers: [], onTick: null, onOrder: null };

class ApiError extends Error {
  constructor(code, message, status) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

// ---------- small DOM helpers (text only: names from the broker never become markup) ----------

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") el.className = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "text") el.textContent = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}
const $ = (sel) => document.querySelector(sel);
const money = (n) => (n === null || n === undefined || Number.isNaN(Number(n)) ? "—" : rupees.format(Number(n)));
const num = (n) => (n === null || n === undefined ? "—" : plain.format(Number(n)));
const signed = (n) => h("span", { class: n > 0 ? "up" : n < 0 ? "down" : "" }, money(n));
const istNow = () => new Date().toLocaleTimeString("en-IN", { timeZone: IST, hour12: false });
const istTime = (iso) => new Date(iso).toLocaleString("en-IN", { timeZone: IST, hour12: false, day: "2-digit", month: "short", hour: "2-digit", minute: "2-digit", second: "2-digit" });

function table(columns, rows, empty) {
  if (rows.length === 0) return h("p", { class: "empty" }, empty);
  return h(
    "table",
    {},
    h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col", class: c.num ? "num" : "" }, c.title)))),
    h("tbody", {}, rows.map((r) => h("tr", r.attrs ?? {}, columns.map((c) => h("td", { class: c.num ? "num" : "" }, c.cell(r)))))),
  );
}

function banner(text, ok = false) {
  const b = $("#banner");
  b.replaceChildren(...(Array.isArray(text) ? text : [text]));
  b.className = ok ? "ok" : "";
  b.hidden = false;
  clearTimeout(banner.timer);
  banner.timer = setTimeout(() => (b.hidden = true), ok ? 4000 : 10000);
}

/** An API error as the API gave it: its code and its message. */
function showError(error) {
  if (error instanceof ApiError) banner([h("code", {}, error.code), " ", error.message]);
  else banner(["Unexpected failure: ", String(error?.message ?? error)]);
}

function confirmDialog(title, body, okText = "OK", danger = false) {
  const dialog = $("#dialog");
  $("#dialog-title").textContent = title;
  $("#dialog-body").replaceChildren(...(Array.isArray(body) ? body : [body]));
  const ok = $("#dialog-ok");
  ok.textContent = okText;
  ok.className = danger ? "danger" : "";
  dialog.returnValue = "";
  dialog.showModal();
  return new Promise((resolve) => dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true }));
}

// ---------- talking to the gateway ----------

async function request(method, path, body) {
  const headers = { accept: "application/json" };
  if (method !== "GET") {
    headers["content-type"] = "application/json";
    if (state.csrf) headers["x-csrf-token"] = state.csrf;
  }
  let res;
  try {
    res = await fetch(path, { method, headers, body: method === "GET" ? undefined : JSON.stringify(body ?? {}), credentials: "same-origin" });
  } catch {
    throw new ApiError("UNREACHABLE", "the gateway does not answer", 0);
  }
  const json = await res.json().catch(() => ({ status: "error", code: `HTTP_${res.status}`, message: res.statusText }));
  if (res.status === 401 && !(method === "POST" && path === "/dashboard/session")) {
    signedOut(json.message ?? "signed out");
    throw new ApiError(json.code ?? "NOT_SIGNED_IN", json.message ?? "signed out", 401);
  }
  if (!res.ok || json.status === "error") throw new ApiError(json.code ?? `HTTP_${res.status}`, json.message ?? res.statusText, res.status);
  return json;
}

/** One /api/v1 route, with the session's key put in by the gateway. */
const api = (route, body = {}) => request("POST", `/dashboard/api/${route}`, body);

// ---------- live updates ----------

function connectLive() {
  if (state.ws) return;
  const ws = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws`);
  state.ws = ws;
  ws.addEventListener("message", (event) => {
    let msg;
    try {
      msg = JSON.parse(event.data);
    } catch {
      return;
    }
    if (msg.type === "auth" && msg.status === "success") {
      state.wsOpen = true;
      setLive();
      ws.send(JSON.stringify({ action: "subscribe_orders" }));
      resubscribe();
    } else if (msg.type === "order_update") {
      state.onOrder?.(msg);
    } else if (msg.type === "market_data") {
      state.onTick?.(msg);
    }
  });
  ws.addEventListener("close", () => {
    state.ws = null;
    state.wsOpen = false;
    setLive();
    if (state.csrf) setTimeout(connectLive, 2000);
  });
}

function setLive() {
  const live = $("#live");
  live.textContent = state.wsOpen ? `live · ${istNow()}` : "offline";
  live.className = state.wsOpen ? "pill on" : "pill";
}

let watching = [];
/** Ticks (LTP) for these symbols while the current page shows them. */
function watch(symbols) {
  const ws = state.ws;
  if (ws && state.wsOpen && watching.length > 0) ws.send(JSON.stringify({ action: "unsubscribe", symbols: watching }));
  watching = symbols.map((s) => ({ symbol: s.symbol, exchange: s.exchange }));
  resubscribe();
}
function resubscribe() {
  if (state.ws && state.wsOpen && watching.length > 0) state.ws.send(JSON.stringify({ action: "subscribe", symbols: watching, mode: 1 }));
}

// ---------- session ----------

function signedOut(message) {
  state.csrf = null;
  state.ws?.close();
  for (const t of state.timers) clearInterval(t);
  state.timers = [];
  $(".top").hidden = true;
  renderSignIn(message);
}

function renderSignIn(message) {
  const error = h("p", { class: "error", role: "alert", id: "signin-error" }, message ?? "");
  const input = h("input", { id: "apikey", name: "apikey", type: "password", autocomplete: "off", required: true, "aria-describedby": "signin-error", placeholder: "64 hex characters" });
  const form = h(
    "form",
    {
      onsubmit: async (event) => {
        event.preventDefault();
        error.textContent = "";
        try {
          const res = await request("POST", "/dashboard/session", { apikey: input.value.trim() });
          input.value = "";
          signedIn(res.data);
        } catch (e) {
          error.replaceChildren(h("code", {}, e.code ?? "ERROR"), " ", e.message);
        }
      },
    },
    h("label", { for: "apikey" }, "API key", input),
    h("button", { type: "submit" }, "Sign in"),
  );
  $("#main").replaceChildren(
    h("section", { class: "signin", "aria-labelledby": "signin-title" }, h("h1", { id: "signin-title" }, "Sign in to xtsbridge"), h("p", { class: "muted" }, "With an API key (xtsbridge apikey create). The key stays on the server; this browser keeps only a session cookie."), form, error),
  );
  input.focus();
}

function signedIn(session) {
  state.csrf = session.csrf;
  $(".top").hidden = false;
  connectLive();
  // The session is checked every 5 s: a revoked key signs the page out.
  state.timers.push(setInterval(() => request("GET", "/dashboard/session").catch(() => undefined), 5000));
  state.timers.push(setInterval(setLive, 1000));
  refreshAnalyzer();
  route();
}

async function refreshAnalyzer() {
  try {
    const res = await api("analyzer");
    state.analyze = res.data.analyze_mode;
    $("#analyzer").checked = state.analyze;
    document.body.classList.toggle("analyze", state.analyze);
    $("#broker").textContent = state.analyze ? "· analyzer (paper trading)" : "";
  } catch (e) {
    showError(e);
  }
}

// ---------- pages ----------

const VIEWS = { overview, orders, positions, chart, chain, search, master, keys, requests };

async function route() {
  if (!state.csrf) return;
  const name = (location.hash.replace(/^#\//, "").split("?")[0] || "overview").toLowerCase();
  const view = VIEWS[name] ?? overview;
  for (const a of document.querySelectorAll("nav a")) {
    if (a.getAttribute("href") === `#/${view.name}`) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  state.onTick = null;
  state.onOrder = null;
  clearInterval(state.viewTimer);
  watch([]);
  state.view = view.name;
  const main = $("#main");
  main.replaceChildren(h("p", { class: "muted" }, "Loading…"));
  try {
    await view(main);
  } catch (e) {
    main.replaceChildren(h("h1", {}, view.name), h("p", { class: "error" }, h("code", {}, e.code ?? "ERROR"), " ", e.message));
  }
}

function debounce(fn, ms) {
  let t;
  return (...args) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...args), ms);
  };
}

async function overview(main) {
  const [funds, book, pos] = await Promise.all([api("funds"), api("orderbook"), api("positionbook")]);
  const f = funds.data;
  const open = pos.data.filter((p) => p.quantity !== 0);
  const dayPnl = pos.data.reduce((s, p) => s + (p.pnl ?? 0), 0);
  const working = book.data.orders.filter(isWorking);
  main.replaceChildren(
    h("h1", {}, "Overview ", h("span", { class: "muted" }, state.analyze ? "(analyzer: paper account)" : "")),
    h(
      "div",
      { class: "cards" },
      card("Available cash", money(f.availablecash)),
      card("Used margin", money(f.utiliseddebits)),
      card("Day P&L", signed(dayPnl), "day-pnl"),
      card("Open positions", whole.format(open.length)),
      card("Working orders", whole.format(working.length)),
    ),
    h("h2", {}, "Open positions"),
    h("div", { class: "panel" }, positionsTable(open)),
    h("h2", {}, "Working orders"),
    h("div", { class: "panel" }, ordersTable(working, true)),
  );
  state.onOrder = debounce(() => state.view === "overview" && route(), 200);
}

function card(label, value, id) {
  return h("div", { class: "card" }, h("div", { class: "label" }, label), h("div", { class: "value", id }, value));
}

const isWorking = (o) => o.order_status === "open" || o.order_status === "trigger pending";

function ordersTable(list, actions) {
  return table(
    [
      { title: "Time", cell: (o) => o.timestamp },
      { title: "Order", cell: (o) => o.orderid },
      { title: "Symbol", cell: (o) => `${o.exchange}:${o.symbol}` },
      { title: "Side", cell: (o) => h("span", { class: o.action === "BUY" ? "up" : "down" }, o.action) },
      { title: "Type", cell: (o) => `${o.pricetype} ${o.product}` },
      { title: "Qty", num: true, cell: (o) => `${whole.format(o.filled_quantity)}/${whole.format(o.quantity)}` },
      { title: "Price", num: true, cell: (o) => num(o.price) },
      { title: "Trigger", num: true, cell: (o) => num(o.trigger_price) },
      { title: "Avg", num: true, cell: (o) => num(o.average_price) },
      { title: "Status", cell: (o) => h("span", { title: o.rejection_reason ?? "" }, o.order_status) },
      ...(actions
        ? [
            {
              title: "",
              cell: (o) =>
                o.order_status === "open" || o.order_status === "trigger pending"
                  ? h("span", { class: "row" }, h("button", { class: "small secondary", type: "button", onclick: () => modifyOrder(o), "aria-label": `Modify order ${o.orderid}` }, "Modify"), h("button", { class: "small danger", type: "button", onclick: () => cancelOrder(o), "aria-label": `Cancel order ${o.orderid}` }, "Cancel"))
                  : "",
            },
          ]
        : []),
    ],
    list.map((o) => ({ ...o, attrs: { "data-orderid": o.orderid } })),
    "No orders.",
  );
}

async function cancelOrder(o) {
  if (!(await confirmDialog("Cancel order?", h("p", {}, `${o.action} ${o.quantity} ${o.exchange}:${o.symbol} @ ${num(o.price)} (order ${o.orderid})`), "Cancel order", true))) return;
  try {
    await api("cancelorder", { strategy: "dashboard", orderid: o.orderid });
    banner(`Order ${o.orderid} cancelled.`, true);
    route();
  } catch (e) {
    showError(e);
  }
}

async function modifyOrder(o) {
  const price = h("input", { name: "price", type: "number", step: "any", min: "0", value: String(o.price) });
  const quantity = h("input", { name: "quantity", type: "number", step: "1", min: "1", value: String(o.quantity) });
  const trigger = h("input", { name: "trigger_price", type: "number", step: "any", min: "0", value: String(o.trigger_price) });
  const ok = await confirmDialog(`Modify order ${o.orderid}`, [h("p", {}, `${o.action} ${o.exchange}:${o.symbol} ${o.pricetype} ${o.product}`), h("label", {}, "Price", price), h("label", {}, "Quantity", quantity), h("label", {}, "Trigger price", trigger)], "Modify");
  if (!ok) return;
  try {
    await api("modifyorder", { strategy: "dashboard", orderid: o.orderid, symbol: o.symbol, exchange: o.exchange, action: o.action, product: o.product, pricetype: o.pricetype, price: price.value, quantity: quantity.value, trigger_price: trigger.value, disclosed_quantity: "0" });
    banner(`Order ${o.orderid} modified.`, true);
    route();
  } catch (e) {
    showError(e);
  }
}

async function orders(main) {
  const [book, trades] = await Promise.all([api("orderbook"), api("tradebook")]);
  const s = book.data.statistics;
  main.replaceChildren(
    h("h1", {}, "Orders and trades"),
    h("div", { class: "cards" }, card("Buy", s.total_buy_orders), card("Sell", s.total_sell_orders), card("Open", s.total_open_orders), card("Complete", s.total_completed_orders), card("Rejected", s.total_rejected_orders)),
    h("h2", {}, "Open orders"),
    h("div", { class: "panel", id: "open-orders" }, ordersTable([...book.data.orders].reverse().filter(isWorking), true)),
    h("h2", {}, "Order history"),
    h("div", { class: "panel", id: "order-history" }, ordersTable([...book.data.orders].reverse().filter((o) => !isWorking(o)), false)),
    h("h2", {}, "Trades"),
    h(
      "div",
      { class: "panel" },
      table(
        [
          { title: "Time", cell: (t) => t.timestamp },
          { title: "Order", cell: (t) => t.orderid },
          { title: "Symbol", cell: (t) => `${t.exchange}:${t.symbol}` },
          { title: "Side", cell: (t) => t.action },
          { title: "Product", cell: (t) => t.product },
          { title: "Qty", num: true, cell: (t) => whole.format(t.quantity) },
          { title: "Price", num: true, cell: (t) => num(t.average_price) },
          { title: "Value", num: true, cell: (t) => money(t.trade_value) },
        ],
        [...trades.data].reverse(),
        "No trades yet.",
      ),
    ),
  );
  state.onOrder = debounce(() => state.view === "orders" && route(), 150);
  // Without the live feed (it reconnects on its own), and for paper orders (the feed carries the
  // broker's order events only), the page follows the books by reading them every 2 s.
  state.viewTimer = setInterval(() => (!state.wsOpen || state.analyze) && state.view === "orders" && route(), 2000);
}

function positionsTable(list, actions = false) {
  return table(
    [
      { title: "Symbol", cell: (p) => `${p.exchange}:${p.symbol}` },
      { title: "Product", cell: (p) => p.product },
      { title: "Qty", num: true, cell: (p) => h("span", { class: p.quantity > 0 ? "up" : p.quantity < 0 ? "down" : "" }, whole.format(p.quantity)) },
      { title: "Avg", num: true, cell: (p) => p.average_price },
      { title: "LTP", num: true, cell: (p) => h("span", { "data-ltp": `${p.exchange}:${p.symbol}` }, num(p.ltp)) },
      { title: "P&L", num: true, cell: (p) => h("span", { "data-pnl": `${p.exchange}:${p.symbol}:${p.product}` }, signed(p.pnl)) },
      ...(actions ? [{ title: "", cell: (p) => (p.quantity !== 0 ? h("button", { class: "small danger", type: "button", onclick: () => closePosition(p), "aria-label": `Close ${p.symbol} ${p.product}` }, "Close") : "") }] : []),
    ],
    list.map((p) => ({ ...p, attrs: { "data-position": `${p.exchange}:${p.symbol}:${p.product}` } })),
    "No positions.",
  );
}

async function closePosition(p) {
  if (!(await confirmDialog("Close position?", h("p", {}, `${p.quantity > 0 ? "SELL" : "BUY"} ${Math.abs(p.quantity)} ${p.exchange}:${p.symbol} (${p.product}) at market.`), "Close at market", true))) return;
  try {
    await api("placesmartorder", { strategy: "dashboard", symbol: p.symbol, exchange: p.exchange, action: p.quantity > 0 ? "SELL" : "BUY", quantity: "0", position_size: "0", product: p.product, pricetype: "MARKET" });
    banner(`Closing ${p.symbol}.`, true);
    setTimeout(route, 300);
  } catch (e) {
    showError(e);
  }
}

async function positions(main) {
  const pos = await api("positionbook");
  const list = pos.data;
  const total = () => list.reduce((s, p) => s + (p.pnl ?? 0), 0);
  const totalEl = h("span", { id: "total-pnl" }, signed(total()));
  main.replaceChildren(
    h("h1", {}, "Positions"),
    h("div", { class: "row" }, h("div", { class: "card" }, h("div", { class: "label" }, "Total P&L (live)"), h("div", { class: "value" }, totalEl)), h("button", { class: "danger", type: "button", onclick: closeAll, disabled: !list.some((p) => p.quantity !== 0) }, "Close all positions")),
    h("div", { class: "panel" }, positionsTable(list, true)),
  );
  // Live P&L: the broker's P&L at its price, moved by quantity × the change since.
  const base = new Map(list.map((p) => [`${p.exchange}:${p.symbol}:${p.product}`, { ...p }]));
  watch(list.filter((p) => p.quantity !== 0));
  state.onTick = (msg) => {
    const key = `${msg.exchange}:${msg.symbol}`;
    for (const el of document.querySelectorAll(`[data-ltp="${CSS.escape(key)}"]`)) el.textContent = num(msg.data.ltp);
    for (const p of list) {
      if (`${p.exchange}:${p.symbol}` !== key || p.quantity === 0) continue;
      const b = base.get(`${p.exchange}:${p.symbol}:${p.product}`);
      const from = b.ltp ?? Number(b.average_price);
      p.pnl = (b.pnl ?? 0) + (msg.data.ltp - from) * p.quantity;
      p.ltp = msg.data.ltp;
      const el = document.querySelector(`[data-pnl="${CSS.escape(`${key}:${p.product}`)}"]`);
      el?.replaceChildren(signed(p.pnl));
    }
    totalEl.replaceChildren(signed(total()));
  };
  state.onOrder = debounce((msg) => msg.order_status === "complete" && state.view === "positions" && route(), 150);
}

async function closeAll() {
  if (!(await confirmDialog("Close all positions?", h("p", {}, "Every open position is squared off at market."), "Close all", true))) return;
  try {
    const res = await api("closeposition", { strategy: "dashboard" });
    banner(res.message, true);
    setTimeout(route, 300);
  } catch (e) {
    showError(e);
  }
}

function query() {
  return new URLSearchParams(location.hash.split("?")[1] ?? "");
}

async function chart(main) {
  const q = query();
  const symbol = q.get("symbol") ?? "NIFTY";
  const exchange = q.get("exchange") ?? "NSE_INDEX";
  const interval = q.get("interval") ?? "5m";
  const form = h(
    "form",
    { class: "row", onsubmit: (e) => (e.preventDefault(), (location.hash = `#/chart?${new URLSearchParams({ symbol: sym.value.trim().toUpperCase(), exchange: exch.value, interval: ivl.value })}`)) },
    h("label", {}, "Symbol", h("input", { id: "chart-symbol", value: symbol, required: true })),
    h("label", {}, "Exchange", selectOf("chart-exchange", ["NSE", "BSE", "NFO", "BFO", "CDS", "MCX", "NSE_INDEX", "BSE_INDEX"], exchange)),
    h("label", {}, "Interval", selectOf("chart-interval", ["1m", "3m", "5m", "15m", "30m", "1h", "D"], interval)),
    h("button", { type: "submit" }, "Show"),
  );
  const sym = form.querySelector("#chart-symbol");
  const exch = form.querySelector("#chart-exchange");
  const ivl = form.querySelector("#chart-interval");
  const box = h("div", { id: "chart", role: "img", "aria-label": `Candles of ${exchange}:${symbol}` });
  const last = h("span", { class: "muted", id: "chart-last" });
  main.replaceChildren(h("h1", {}, `Chart `, h("span", { class: "muted" }, `${exchange}:${symbol} · ${interval}`), " ", last), form, h("div", { class: "panel" }, box));
  const days = interval === "D" ? 120 : interval === "1h" ? 20 : 5;
  const to = new Date();
  const from = new Date(to.getTime() - days * 86_400_000);
  const iso = (d) => d.toLocaleDateString("en-CA", { timeZone: IST });
  const res = await api("history", { symbol, exchange, interval, start_date: iso(from), end_date: iso(to) });
  const LC = window.LightweightCharts;
  if (!LC) throw new ApiError("CHART_UNAVAILABLE", "the chart library did not load", 0);
  // The chart library reads times as UTC: bars are shifted by IST's offset so its axis and labels read IST.
  const IST_S = 19_800;
  const label = (t) => new Date(t * 1000).toISOString().slice(0, 16).replace("T", " ");
  const c = LC.createChart(box, { autoSize: true, layout: { background: { color: "#ffffff" }, textColor: "#1b1f24" }, timeScale: { timeVisible: interval !== "D", secondsVisible: false }, localization: { locale: "en-IN", timeFormatter: (t) => `${interval === "D" ? label(t).slice(0, 10) : label(t)} IST` } });
  const series = c.addSeries(LC.CandlestickSeries, { upColor: "#0a7d38", downColor: "#c42b1c", borderVisible: false, wickUpColor: "#0a7d38", wickDownColor: "#c42b1c" });
  const bars = res.data.map((b) => ({ time: b.timestamp + IST_S, open: b.open, high: b.high, low: b.low, close: b.close }));
  series.setData(bars);
  c.timeScale().fitContent();
  const step = { "1m": 60, "3m": 180, "5m": 300, "15m": 900, "30m": 1800, "1h": 3600, D: 86400 }[interval];
  let bar = bars.at(-1) ?? null;
  last.textContent = bar ? `last ${num(bar.close)}` : "no bars in range";
  watch([{ symbol, exchange }]);
  state.onTick = (msg) => {
    if (msg.symbol !== symbol.toUpperCase() || msg.exchange !== exchange) return;
    const price = msg.data.ltp;
    // The bar a tick belongs to, on IST wall-clock seconds: the day, or the interval counted from the 09:15 open.
    const now = Math.floor(Date.now() / 1000) + IST_S;
    const day = Math.floor(now / 86_400) * 86_400;
    const start = interval === "D" ? day : day + 33_300 + Math.floor((now - day - 33_300) / step) * step;
    bar = bar && bar.time >= start ? { ...bar, high: Math.max(bar.high, price), low: Math.min(bar.low, price), close: price } : { time: start, open: price, high: price, low: price, close: price };
    series.update(bar);
    last.textContent = `live ${num(price)} · ${istNow()}`;
  };
}

function selectOf(id, values, selected) {
  return h("select", { id, name: id }, values.map((v) => h("option", { value: v, selected: v === selected }, v)));
}

async function chain(main) {
  const q = query();
  const underlying = (q.get("underlying") ?? "NIFTY").toUpperCase();
  const exchange = q.get("exchange") ?? "NSE_INDEX";
  const optionsExchange = { NSE_INDEX: "NFO", NSE: "NFO", BSE_INDEX: "BFO", BSE: "BFO", MCX: "MCX", CDS: "CDS" }[exchange] ?? "NFO";
  const expiries = (await api("expiry", { symbol: underlying, exchange: optionsExchange, instrumenttype: "options" })).data.map((e) => e.replace(/-/g, ""));
  const expiry = q.get("expiry") ?? expiries[0];
  const count = q.get("count") ?? "10";
  const form = h(
    "form",
    { class: "row", onsubmit: (e) => (e.preventDefault(), (location.hash = `#/chain?${new URLSearchParams({ underlying: u.value.trim().toUpperCase(), exchange: x.value, expiry: ex.value, count: n.value })}`)) },
    h("label", {}, "Underlying", h("input", { id: "chain-underlying", value: underlying, required: true })),
    h("label", {}, "Exchange", selectOf("chain-exchange", ["NSE_INDEX", "NSE", "BSE_INDEX", "BSE", "MCX", "CDS"], exchange)),
    h("label", {}, "Expiry", selectOf("chain-expiry", expiries, expiry)),
    h("label", {}, "Strikes each side", h("input", { id: "chain-count", type: "number", min: "1", max: "100", value: count })),
    h("button", { type: "submit" }, "Show"),
  );
  const [u, x, ex, n] = ["#chain-underlying", "#chain-exchange", "#chain-expiry", "#chain-count"].map((s) => form.querySelector(s));
  main.replaceChildren(h("h1", {}, "Option chain"), form);
  if (expiry === undefined) {
    main.append(h("p", { class: "empty" }, `${underlying} has no options on ${optionsExchange} in the stored contract.`));
    return;
  }
  const res = await api("optionchain", { underlying, exchange, expiry_date: expiry, strike_count: Number(count), with_greeks: true });
  // Each side's columns, outermost first: the call side reads left to right towards the strike, the put side mirrors it.
  const FIELDS = [["OI", "oi"], ["IV", "implied_volatility"], ["Δ", "delta"], ["bid", "bid"], ["ask", "ask"], ["LTP", "ltp"]];
  const side = (leg, k) => (leg === null ? "—" : k === "ltp" || k === "bid" || k === "ask" ? num(leg[k]) : k === "oi" || k === "volume" ? whole.format(leg[k]) : leg[k] === undefined ? "—" : num(leg[k]));
  main.append(
    h("p", { class: "muted" }, `${res.underlying} ${num(res.underlying_ltp)} · ATM ${num(res.atm_strike)} · expiry ${res.expiry_date} · forward ${num(res.forward_price)}`),
    h(
      "div",
      { class: "panel" },
      table(
        [
          ...FIELDS.map(([title, k]) => ({ title: `CE ${title}`, num: true, cell: (r) => side(r.ce, k) })),
          { title: "Strike", num: true, cell: (r) => h("strong", {}, num(r.strike)) },
          ...[...FIELDS].reverse().map(([title, k]) => ({ title: `PE ${title}`, num: true, cell: (r) => side(r.pe, k) })),
        ],
        res.chain.map((r) => ({ ...r, attrs: r.strike === res.atm_strike ? { class: "atm", "aria-label": "at the money" } : {} })),
        "No strikes.",
      ),
    ),
  );
}

async function search(main) {
  const q = query();
  const text = q.get("q") ?? "";
  const exchange = q.get("exchange") ?? "";
  const input = h("input", { id: "search-q", type: "search", value: text, placeholder: "NIFTY FUT, SBIN, 26000 CE…", required: true });
  const exch = selectOf("search-exchange", ["", "NSE", "BSE", "NFO", "BFO", "CDS", "MCX", "NSE_INDEX", "BSE_INDEX"], exchange);
  exch.firstChild.textContent = "any";
  const form = h("form", { class: "row", role: "search", onsubmit: (e) => (e.preventDefault(), (location.hash = `#/search?${new URLSearchParams({ q: input.value.trim(), exchange: exch.value })}`)) }, h("label", {}, "Search", input), h("label", {}, "Exchange", exch), h("button", { type: "submit" }, "Search"));
  main.replaceChildren(h("h1", {}, "Symbols"), form);
  input.focus();
  if (text === "") return;
  const res = await api("search", { query: text, ...(exchange ? { exchange } : {}) });
  const details = h("div", { id: "details" });
  main.append(
    h("p", { class: "muted" }, res.message),
    details,
    h(
      "div",
      { class: "panel" },
      table(
        [
          { title: "Symbol", cell: (r) => h("button", { class: "link", type: "button", onclick: () => showDetails(details, r) }, r.symbol) },
          { title: "Exchange", cell: (r) => r.exchange },
          { title: "Type", cell: (r) => r.instrumenttype },
          { title: "Expiry", cell: (r) => r.expiry || "—" },
          { title: "Strike", num: true, cell: (r) => (r.instrumenttype === "CE" || r.instrumenttype === "PE" ? num(r.strike) : "—") },
          { title: "Lot", num: true, cell: (r) => whole.format(r.lotsize) },
          { title: "Token", num: true, cell: (r) => r.token },
        ],
        res.data.slice(0, 200),
        "No matching symbols.",
      ),
    ),
  );
}

async function showDetails(box, row) {
  try {
    const [sym, quote] = await Promise.all([api("symbol", { symbol: row.symbol, exchange: row.exchange }), api("quotes", { symbol: row.symbol, exchange: row.exchange }).catch((e) => ({ error: e }))]);
    const d = sym.data;
    const q = quote.data;
    box.replaceChildren(
      h(
        "div",
        { class: "panel", "aria-live": "polite" },
        h("h2", {}, `${d.exchange}:${d.symbol}`),
        h(
          "div",
          { class: "cards" },
          card("Token", String(d.token)),
          card("Broker symbol", d.brsymbol),
          card("Lot size", whole.format(d.lotsize)),
          card("Tick size", num(d.tick_size)),
          card("Freeze quantity", d.freeze_qty > 0 ? whole.format(d.freeze_qty) : "—"),
          card("Expiry", d.expiry || "—"),
          card("LTP", q ? num(q.ltp) : h("span", { class: "error" }, quote.error.code)),
          card("Band", d.lower_circuit === null ? "—" : `${num(d.lower_circuit)} – ${num(d.upper_circuit)}`),
        ),
        h("a", { href: `#/chart?${new URLSearchParams({ symbol: d.symbol, exchange: d.exchange, interval: "5m" })}` }, "Chart"),
      ),
    );
  } catch (e) {
    showError(e);
  }
}

async function master(main) {
  const [status, progress] = await Promise.all([api("mastercontract/status"), request("GET", "/dashboard/refresh")]);
  const s = status.data;
  const counts = Object.entries(s.exchangeCounts ?? {});
  const button = h("button", { type: "button", id: "refresh", onclick: startRefresh, disabled: progress.data.running }, progress.data.running ? "Refreshing…" : "Refresh now");
  const live = h("div", { id: "refresh-progress", "aria-live": "polite" });
  main.replaceChildren(
    h("h1", {}, "Master contract"),
    h(
      "div",
      { class: "cards" },
      card("Status", s.status),
      card("Instruments", whole.format(s.totalSymbols ?? 0), "master-total"),
      card("Last success", s.lastSuccessAt ? istTime(s.lastSuccessAt) : "never"),
      card("Took", s.durationMs ? `${plain.format(s.durationMs / 1000)} s` : "—"),
    ),
    h("div", { class: "row" }, button, h("a", { href: "/dashboard/instruments.csv", download: "instruments_all.csv", class: "button-link" }, "Download instruments (CSV)")),
    live,
    h("h2", {}, "Per exchange"),
    h("div", { class: "panel" }, table([{ title: "Exchange", cell: ([e]) => e }, { title: "Instruments", num: true, cell: ([, n]) => whole.format(n) }], counts, "No contract stored yet.")),
    s.message ? h("p", { class: "muted" }, s.message) : "",
    h("h2", {}, "Last refresh report"),
    h(
      "div",
      { class: "panel", id: "last-report" },
      table(
        [
          { title: "Segment", cell: (g) => g.segment },
          { title: "Phase", cell: (g) => (g.error ? `${g.phase}: ${g.error}` : g.phase) },
          { title: "Lines", num: true, cell: (g) => whole.format(g.lines ?? 0) },
          { title: "Rows", num: true, cell: (g) => whole.format(g.rows ?? 0) },
          { title: "Unparseable", num: true, cell: (g) => whole.format(g.unparseable ?? 0) },
          { title: "Took", num: true, cell: (g) => `${plain.format((g.durationMs ?? 0) / 1000)} s` },
        ],
        Array.isArray(s.report?.segments) ? s.report.segments : [],
        "No refresh recorded yet.",
      ),
    ),
  );
  if (progress.data.running) followRefresh(live, button);
}

async function startRefresh() {
  const live = $("#refresh-progress");
  const button = $("#refresh");
  if (!(await confirmDialog("Refresh the master contract?", h("p", {}, "Downloads every segment from the broker and replaces the stored contract in one step; the current one stays until the new one is complete."), "Refresh"))) return;
  try {
    await request("POST", "/dashboard/refresh", {});
    followRefresh(live, button);
  } catch (e) {
    showError(e);
  }
}

function followRefresh(live, button) {
  button.disabled = true;
  button.textContent = "Refreshing…";
  const tick = async () => {
    if (state.view !== "master") return clearInterval(timer);
    const p = (await request("GET", "/dashboard/refresh").catch(() => null))?.data;
    if (!p) return;
    live.replaceChildren(
      h("div", { class: "panel" }, table(
        [
          { title: "Segment", cell: (g) => g.segment },
          { title: "Downloaded", num: true, cell: (g) => `${plain.format((g.bytes ?? 0) / 1048576)} MB` },
          { title: "Lines", num: true, cell: (g) => whole.format(g.lines ?? 0) },
          { title: "Rows", num: true, cell: (g) => whole.format(g.rows ?? 0) },
          { title: "State", cell: (g) => (g.error ? `${g.phase}: ${g.error}` : g.phase) },
        ],
        p.segments,
        "Starting…",
      )),
    );
    if (!p.running) {
      clearInterval(timer);
      if (p.error) showError(new ApiError(p.error.code, p.error.message, 502));
      else banner(`Refresh done: ${p.report?.message ?? "stored"}`, true);
      setTimeout(() => state.view === "master" && route(), 400);
    }
  };
  const timer = setInterval(tick, 300);
  tick();
}

async function keys(main) {
  const res = await request("GET", "/dashboard/keys");
  const shown = h("div", { id: "new-key", "aria-live": "polite" });
  const name = h("input", { id: "key-name", required: true, maxlength: "64", placeholder: "e.g. amibroker" });
  main.replaceChildren(
    h("h1", {}, "API keys"),
    h("form", { class: "row", onsubmit: (e) => (e.preventDefault(), createKey(name)) }, h("label", {}, "Name", name), h("button", { type: "submit" }, "Create key")),
    shown,
    h(
      "div",
      { class: "panel" },
      table(
        [
          { title: "#", num: true, cell: (k) => k.id },
          { title: "Name", cell: (k) => (k.current ? `${k.name} (this session)` : k.name) },
          { title: "Prefix", cell: (k) => h("code", {}, `${k.prefix}…`) },
          { title: "Created", cell: (k) => istTime(k.created_at) },
          { title: "State", cell: (k) => (k.revoked_at ? `revoked ${istTime(k.revoked_at)}` : "active") },
          { title: "", cell: (k) => (k.revoked_at ? "" : h("button", { class: "small danger", type: "button", onclick: () => revokeKey(k), "aria-label": `Revoke key ${k.name}` }, "Revoke")) },
        ],
        res.data,
        "No keys.",
      ),
    ),
  );
}

async function createKey(name) {
  try {
    const res = await request("POST", "/dashboard/keys", { name: name.value });
    await keys($("#main"));
    $("#new-key").replaceChildren(h("div", { class: "panel" }, h("p", {}, h("strong", {}, `Key "${res.data.name}": shown once, copy it now.`)), h("p", { class: "secret", id: "new-key-value" }, res.data.key)));
  } catch (e) {
    showError(e);
  }
}

async function revokeKey(k) {
  if (!(await confirmDialog(`Revoke "${k.name}"?`, h("p", {}, k.current ? "This is the key this session signed in with: you will be signed out." : "Clients using it stop working at once."), "Revoke", true))) return;
  try {
    const res = await request("POST", "/dashboard/keys/revoke", { id: k.id });
    banner(res.message, true);
    if (k.current) signedOut("Signed out: this session's key was revoked.");
    else route();
  } catch (e) {
    showError(e);
  }
}

async function requests(main) {
  const res = await request("GET", "/dashboard/requests");
  main.replaceChildren(
    h("h1", {}, "Recent requests ", h("span", { class: "muted" }, "(this process, newest first)")),
    h(
      "div",
      { class: "panel" },
      table(
        [
          { title: "Time (IST)", cell: (r) => istTime(r.at) },
          { title: "Endpoint", cell: (r) => `${r.method} ${r.path}` },
          { title: "Status", num: true, cell: (r) => h("span", { class: r.status >= 400 ? "down" : "" }, String(r.status)) },
          { title: "Code", cell: (r) => r.code ?? "" },
          { title: "ms", num: true, cell: (r) => num(r.ms) },
          { title: "From", cell: (r) => (r.dashboard ? "dashboard" : "API client") },
        ],
        res.data,
        "No requests yet.",
      ),
    ),
  );
  state.viewTimer = setInterval(() => state.view === "requests" && route(), 3000);
}

// ---------- start ----------

$("#signout").addEventListener("click", async () => {
  try {
    await request("POST", "/dashboard/signout", {});
  } catch {
    // Signed out either way.
  }
  signedOut("Signed out.");
});

$("#analyzer").addEventListener("change", async (event) => {
  const on = event.target.checked;
  event.target.checked = !on;
  const ok = await confirmDialog(on ? "Switch to analyzer mode?" : "Switch to live trading?", h("p", {}, on ? "Orders go to the paper engine, filled at the broker's live prices; nothing is sent to the broker." : "Orders go to the broker with real money."), on ? "Analyze" : "Go live", !on);
  if (!ok) return;
  try {
    await api("analyzer/toggle", { mode: on });
    await refreshAnalyzer();
    banner(on ? "Analyzer mode: paper trading." : "Live mode: orders go to the broker.", true);
    route();
  } catch (e) {
    showError(e);
  }
});

window.addEventListener("hashchange", route);

request("GET", "/dashboard/session")
  .then((res) => signedIn(res.data))
  .catch(() => renderSignIn(""));
