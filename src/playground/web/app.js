// The page's controller: whose eyes (the user switcher), where they look (channel, DM, Home, files),
// and the loop that keeps the screen equal to the fake workspace: every change pushed by the server
// fetches this user's snapshot again and redraws what differs.
import { h } from "./dom.js";
import { showToast } from "./layout/dialogs.js";
import { createComposer } from "./layout/composer.js";
import { createConversationView } from "./layout/conversation.js";
import { renderFiles } from "./layout/files.js";
import { createHomeView } from "./layout/home.js";
import { createModalLayer } from "./layout/modal.js";
import { renderSidebar } from "./layout/sidebar.js";
import { surfaceContexts } from "./surface-context.js";

/** @typedef {import("./layout/sidebar.js").Place} Place */
/** @typedef {import("./api.js").SimulatorReply} SimulatorReply */

/**
 * @param {HTMLElement} root
 * @param {import("./api.js").PlaygroundApi} api
 * @param {string | undefined} initialUser
 */
export function mountPlayground(root, api, initialUser) {
  /** @type {{ userId: string, place: Place, snapshot: import("./types.js").Snapshot | undefined, viewErrors: Map<string, Record<string, string>>, seen: Map<string, number>, live: boolean }} */
  const ui = { userId: initialUser ?? "", place: { kind: "conversation", id: "" }, snapshot: undefined, viewErrors: new Map(), seen: new Map(), live: false };

  const sidebar = h("aside", { className: "sidebar" });
  const title = h("h1", { className: "main-title" });
  const body = h("section", { className: "main-body" });
  const dialogLayer = h("div", { className: "dialog-layer" });
  const toastLayer = h("div", { className: "toast-layer", "aria-live": "polite" });
  const modalLayer = h("div", { className: "modal-layer" });
  const toast = (/** @type {string} */ message, /** @type {"error" | "info"} */ kind = "info") => showToast(toastLayer, message, kind);

  const contexts = surfaceContexts({ api, userId: () => ui.userId, snapshot: () => ui.snapshot, perform, dialogLayer });
  const surfaceContext = contexts.forSurface;

  const conversationView = createConversationView({
    contextFor: (item, conversation) => surfaceContext({ channel: conversation.id, ts: item.ts }, "message", item.stateValues),
  });
  const homeView = createHomeView((view) => surfaceContext({ viewId: view.id }, "home", view.state.values));
  const modal = createModalLayer(modalLayer, {
    contextFor: (view, errors) => surfaceContext({ viewId: view.id }, "modal", view.state.values, errors),
    async submit(view, values) {
      const reply = await perform(api.send("/playground/view-submission", { user: ui.userId, viewId: view.id, values }));
      if (!reply) return;
      const errors = reply.clientErrors ?? (reply.responseAction === "errors" ? reply.errors : undefined);
      if (errors) ui.viewErrors.set(view.id, errors);
      else ui.viewErrors.delete(view.id);
      render();
    },
    async close(view) {
      ui.viewErrors.delete(view.id);
      await perform(api.send("/playground/view-closed", { user: ui.userId, viewId: view.id }));
    },
  });
  const composer = createComposer({
    hint: (message) => toast(message),
    async send(text) {
      const place = ui.place;
      const channel = place.kind === "conversation" ? place.id : undefined;
      return (await perform(api.send("/playground/command", { user: ui.userId, text, ...(channel ? { channel } : {}) }))) !== undefined;
    },
  });

  root.replaceChildren(h("div", { className: "workspace" }, sidebar, h("main", { className: "main" }, h("header", { className: "main-header" }, title), body, composer.element)), modalLayer, dialogLayer, toastLayer);

  /**
   * Sends an interaction and tells the user when Slack or the bot would have shown an error.
   * @param {Promise<SimulatorReply>} sending
   * @returns {Promise<SimulatorReply | undefined>}
   */
  async function perform(sending) {
    try {
      const reply = await sending;
      if (reply.sent && reply.status !== 200) toast(`The bot answered HTTP ${reply.status}${reply.status === 0 ? " (not reachable)" : ""}.`, "error");
      if (reply.ackProblem) toast(`Slack could not show the bot's reply: ${reply.ackProblem}`, "error");
      for (const problem of reply.problems ?? []) toast(`Slack would refuse the bot's reply: ${problem}`, "error");
      return reply;
    } catch (error) {
      toast(String(/** @type {Error} */ (error).message), "error");
      return undefined;
    } finally {
      void refresh();
    }
  }

  let refreshing = false;
  let again = false;
  async function refresh() {
    if (refreshing) {
      again = true;
      return;
    }
    refreshing = true;
    try {
      do {
        again = false;
        const snapshot = await api.state(ui.userId);
        const firstLook = ui.snapshot?.me.id !== snapshot.me.id;
        ui.snapshot = snapshot;
        ui.userId = snapshot.me.id;
        if (firstLook) for (const conversation of snapshot.conversations) ui.seen.set(conversation.id, conversation.items.length);
        render();
      } while (again);
    } catch (error) {
      const message = `Could not load the workspace: ${String(/** @type {Error} */ (error).message)}`;
      // Nothing to show yet (a bad ?user=, a server that is gone): say so on the page, not in a passing toast.
      if (!ui.snapshot) showLoadProblem(message);
      else toast(message, "error");
    } finally {
      refreshing = false;
    }
  }

  /** @param {string} message */
  function showLoadProblem(message) {
    title.textContent = "The playground could not open";
    composer.element.hidden = true;
    body.replaceChildren(h("div", { className: "load-problem", role: "alert" }, h("p", {}, message), h("p", {}, h("a", { href: "/" }, "Open the playground as the demo admin"))));
  }

  function render() {
    const snapshot = ui.snapshot;
    if (!snapshot) return;
    const shown = ui.place;
    const wanted = shown.kind === "conversation" ? snapshot.conversations.find((conversation) => conversation.id === shown.id) : undefined;
    if (shown.kind === "conversation" && !wanted) ui.place = { kind: "conversation", id: snapshot.conversations[0]?.id ?? "" };
    const place = ui.place;
    const current = place.kind === "conversation" ? snapshot.conversations.find((conversation) => conversation.id === place.id) : undefined;
    if (current) ui.seen.set(current.id, current.items.length);
    const unread = new Set(snapshot.conversations.filter((conversation) => conversation.items.length > (ui.seen.get(conversation.id) ?? 0)).map((conversation) => conversation.id));
    sidebar.replaceChildren(renderSidebar(snapshot, place, unread, ui.live, { go, switchUser }));

    composer.element.hidden = !current;
    if (current) {
      const label = current.kind === "dm" ? snapshot.bot.name : `#${current.name}`;
      title.textContent = label;
      composer.setTarget(`Message ${label}`);
      if (body.firstElementChild !== conversationView.element) body.replaceChildren(conversationView.element);
      conversationView.render(current, snapshot);
    } else if (place.kind === "home") {
      title.textContent = `${snapshot.bot.name} · Home`;
      if (body.firstElementChild !== homeView.element) body.replaceChildren(homeView.element);
      homeView.render(snapshot.home);
    } else {
      title.textContent = "Files";
      body.replaceChildren(renderFiles(snapshot.files));
    }
    modal.render(snapshot.modal, (viewId) => ui.viewErrors.get(viewId) ?? {});
  }

  /** @param {Place} place */
  function go(place) {
    ui.place = place;
    render();
    // Slack sends app_home_opened every time the user opens the tab.
    if (place.kind === "home") void perform(api.send("/playground/home-opened", { user: ui.userId }));
  }

  /** @param {string} userId */
  function switchUser(userId) {
    if (userId === ui.userId) return;
    ui.userId = userId;
    ui.viewErrors.clear();
    conversationView.clear();
    homeView.clear();
    modal.clear();
    const url = new URL(window.location.href);
    url.searchParams.set("user", userId);
    window.history.replaceState(null, "", url);
    void refresh().then(() => ui.place.kind === "home" && go(ui.place));
  }

  api.watch(
    () => void refresh(),
    (live) => {
      if (live === ui.live) return;
      ui.live = live;
      // After a reconnect, catch up on what happened while the stream was down.
      if (live) void refresh();
      else render();
    },
  );
  void refresh();
}
