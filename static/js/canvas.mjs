// The canvas: typed text is never lost.
//
// - Every keystroke keeps a draft in localStorage, keyed by mission, box and the version the
//   text was based on: "lodestar:canvas:<mission>:<box>:<version>" → {text, at}.
// - htmx autosaves the box (see the form's hx-trigger); this module shows "Saving…", clears the
//   draft once the server has the text, and on failure shows "Not saved" with a retry button.
// - On page load, a draft that differs from the text the server sent is offered back
//   ("You have unsaved text from 10:41 – restore / discard"). A restored draft is saved against
//   the version it was based on, so if someone changed the box meanwhile, the conflict panel
//   shows both texts instead of overwriting theirs.
//
// The board and the editor panel: the page sends the twelve boxes as a board (cards) followed
// by one editor per box. Without JavaScript both stay on the page (a card's link jumps to its
// editor). With it, the editors become a panel beside the board: choosing a card opens that
// box's editor (and only it); Escape or "Close" closes it and puts focus back on the card.
//
// Live: about every second the page asks the server for the board (the ETag it last got, so an
// unchanged board costs a 304) and says which box is open here, for the others' presence.
// Cards and the "also on this canvas" line are replaced; an editor is refreshed from the
// server only when its box changed and nobody is typing in it here, so what is being typed
// is never overwritten (a save based on an older version gets the conflict panel).

const canvas = document.getElementById("canvas");

if (canvas) {
  const missionId = canvas.dataset.canvasMission;
  const msg = canvas.dataset;
  const prefix = (box) => `lodestar:canvas:${missionId}:${box}:`;

  const storage = (() => {
    try {
      const probe = "lodestar:probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch {
      return null; // private mode or disabled: autosave still works, drafts do not
    }
  })();

  const drafts = (box) => {
    if (!storage) return [];
    const found = [];
    for (let i = 0; i < storage.length; i += 1) {
      const key = storage.key(i);
      if (key && key.startsWith(prefix(box))) {
        try {
          const value = JSON.parse(storage.getItem(key));
          found.push({ key, version: Number(key.slice(prefix(box).length)), ...value });
        } catch {
          storage.removeItem(key);
        }
      }
    }
    return found.sort((a, b) => (a.at < b.at ? 1 : -1));
  };

  const clearDrafts = (box) => drafts(box).forEach((draft) => storage.removeItem(draft.key));

  const keepDraft = (box, version, text) => {
    if (!storage) return;
    clearDrafts(box);
    try {
      storage.setItem(prefix(box) + version, JSON.stringify({ text, at: new Date().toISOString() }));
    } catch {
      // storage full: nothing more we can do here; the autosave still runs
    }
  };

  const parts = (form) => ({
    box: form.dataset.canvasBox,
    text: form.querySelector("[data-canvas-text]"),
    version: form.querySelector("input[name=version]"),
    status: form.querySelector("[role=status]"),
    retry: form.querySelector("[data-canvas-retry]"),
    offer: form.querySelector("[data-canvas-draft]"),
    print: form.closest(".lodestar-canvas-box__editor")?.querySelector(".lodestar-canvas-box__print"),
  });

  const timeOf = (iso) =>
    new Date(iso).toLocaleTimeString(document.documentElement.lang || undefined, {
      hour: "2-digit",
      minute: "2-digit",
    });

  const offerDraft = (form) => {
    const p = parts(form);
    const [draft] = drafts(p.box);
    if (!draft || !p.offer) return;
    if (draft.text === p.text.value) {
      clearDrafts(p.box);
      return;
    }
    const older = draft.version < Number(p.version.value);
    const text = document.createElement("p");
    text.className = "govuk-body govuk-!-margin-bottom-2";
    text.textContent = (older ? msg.msgDraftOlder : msg.msgDraft).replace("{time}", timeOf(draft.at));
    const restore = document.createElement("button");
    restore.type = "button";
    restore.className = "govuk-button govuk-button--secondary govuk-!-margin-bottom-0";
    restore.textContent = msg.msgRestore;
    const discard = document.createElement("button");
    discard.type = "button";
    discard.className = "lodestar-link-button";
    discard.textContent = msg.msgDiscard;
    const actions = document.createElement("div");
    actions.className = "govuk-button-group govuk-!-margin-bottom-0";
    actions.append(restore, discard);
    p.offer.replaceChildren(text, actions);
    p.offer.hidden = false;
    restore.addEventListener("click", () => {
      p.offer.hidden = true;
      p.offer.replaceChildren();
      p.text.value = draft.text;
      // Saved against the version the draft was based on: a newer version means a conflict
      // panel, never a silent overwrite.
      p.version.value = String(draft.version);
      p.text.dispatchEvent(new Event("keyup")); // the character count follows
      p.text.focus();
      window.htmx.trigger(form, "submit");
    });
    discard.addEventListener("click", () => {
      clearDrafts(p.box);
      p.offer.hidden = true;
      p.offer.replaceChildren();
      p.text.focus();
    });
  };

  const setStatus = (form, text, { retry = false, signIn = false } = {}) => {
    const p = parts(form);
    if (p.status) {
      p.status.textContent = text;
      if (signIn) {
        const link = document.createElement("a");
        link.className = "govuk-link";
        link.href = msg.signIn;
        link.textContent = msg.msgSignIn;
        p.status.append(" ", link);
      }
    }
    if (p.retry) p.retry.hidden = !retry;
  };

  // True when the browser followed a redirect (to the sign-in page) instead of an answer.
  const wasRedirected = (detail) => {
    const url = detail.xhr?.responseURL;
    if (!url) return false;
    const asked = new URL(detail.requestConfig?.path || "", window.location.href);
    return new URL(url).pathname !== asked.pathname;
  };

  const setUp = (root) => {
    root.querySelectorAll("form[data-canvas-box]").forEach((form) => {
      if (form.dataset.canvasReady) return;
      form.dataset.canvasReady = "1";
      const p = parts(form);
      p.text.addEventListener("input", () => {
        keepDraft(p.box, p.version.value, p.text.value);
      });
      p.retry?.addEventListener("click", () => window.htmx.trigger(form, "submit"));
      offerDraft(form);
    });
  };

  // Which text each request carried, so a success only clears what the server really has.
  const sent = new WeakMap();

  document.body.addEventListener("htmx:beforeRequest", (event) => {
    const form = event.detail.elt.closest?.("form[data-canvas-box]");
    if (form && event.detail.elt === form) {
      sent.set(form, parts(form).text.value);
      setStatus(form, msg.msgSaving);
    }
    const resolving = event.detail.elt.closest?.("[data-canvas-resolve]");
    if (resolving) {
      // Keep mine / take theirs / merge is a deliberate choice: the old draft has served.
      clearDrafts(resolving.dataset.canvasResolve);
    }
  });

  document.body.addEventListener("htmx:beforeSwap", (event) => {
    const xhr = event.detail.xhr;
    // A conflict (409) brings the conflict panel: show it.
    if (xhr.status === 409) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
    // A redirect followed to the sign-in page means the session ended: never swap it in.
    if (wasRedirected(event.detail)) {
      event.detail.shouldSwap = false;
      event.detail.isError = true;
    }
  });

  document.body.addEventListener("htmx:afterRequest", (event) => {
    const form = event.detail.elt;
    if (!(form instanceof HTMLFormElement) || !form.matches("form[data-canvas-box]")) return;
    const xhr = event.detail.xhr;
    const p = parts(form);
    const redirected = wasRedirected(event.detail);
    if (event.detail.successful && xhr.status === 200 && !redirected) {
      // The server has the text we sent, at the version the response swapped in.
      if (p.text.value === sent.get(form)) {
        clearDrafts(p.box);
      } else {
        keepDraft(p.box, p.version.value, p.text.value);
      }
      if (p.print) p.print.textContent = sent.get(form) ?? "";
      if (p.retry) p.retry.hidden = true;
      markDrafts();
      return;
    }
    if (xhr?.status === 422 || xhr?.status === 409) return; // the server said why; draft kept
    if (xhr?.status === 401 || redirected) {
      setStatus(form, msg.msgSignedOut, { retry: true, signIn: true });
    } else if (xhr?.status === 403) {
      setStatus(form, msg.msgRefused, { retry: true });
    } else {
      setStatus(form, msg.msgNotSaved, { retry: true });
    }
  });

  document.body.addEventListener("htmx:sendError", (event) => {
    const form = event.detail.elt.closest?.("form[data-canvas-box]");
    if (form) setStatus(form, msg.msgNotSaved, { retry: true });
  });

  document.body.addEventListener("htmx:afterSwap", (event) => {
    setUp(document);
    const elt = event.detail.elt;
    const conflict = elt.matches?.("[data-canvas-conflict]") ? elt : elt.querySelector?.("[data-canvas-conflict]");
    conflict?.querySelector(".lodestar-conflict__banner")?.focus();
  });

  // Comments: htmx swaps a box's comment panel (200, or 422 with the message). After a swap,
  // focus goes where the server marked (the panel's heading, or the comment box with an
  // error). A request that gets no panel back (signed out, refused, offline) says so in the
  // form and leaves the typed comment where it is.
  const commentProblem = (elt, text) => {
    const panel = elt.closest?.(".lodestar-canvas-comments");
    const problem = panel?.querySelector("[data-canvas-comment-problem]");
    if (!problem) return;
    problem.textContent = text;
    problem.hidden = false;
    problem.closest("details")?.setAttribute("open", "");
  };

  document.body.addEventListener("htmx:afterSettle", () => {
    const target = document.querySelector("[data-canvas-focus]");
    if (target) {
      target.removeAttribute("data-canvas-focus");
      target.focus();
    }
  });

  document.body.addEventListener("htmx:responseError", (event) => {
    const form = event.detail.elt.closest?.("form[data-canvas-comment-form]");
    if (!form) return;
    const status = event.detail.xhr?.status;
    if (status === 401) commentProblem(form, msg.msgCommentSignedOut);
    else if (status === 403) commentProblem(form, msg.msgCommentRefused);
    else commentProblem(form, msg.msgCommentFailed);
  });

  document.body.addEventListener("htmx:sendError", (event) => {
    const form = event.detail.elt.closest?.("form[data-canvas-comment-form]");
    if (form) commentProblem(form, msg.msgCommentFailed);
  });

  // Printing shows what is in the boxes now, saved or not.
  window.addEventListener("beforeprint", () => {
    canvas.querySelectorAll("form[data-canvas-box]").forEach((form) => {
      const p = parts(form);
      if (p.print) p.print.textContent = p.text.value;
    });
  });


  // --- board and editor panel ---------------------------------------------------------------
  const editors = () => Array.from(canvas.querySelectorAll("[data-canvas-editor]"));
  const editorFor = (key) => canvas.querySelector(`[data-canvas-editor="${CSS.escape(key)}"]`);
  let openKey = "";

  const focusEditor = (editor) => {
    const text = editor.querySelector("[data-canvas-text]");
    (text || editor.querySelector(".lodestar-canvas-box__title")).focus({ preventScroll: false });
  };

  const openBox = (key, { focus = true, target = null } = {}) => {
    const editor = editorFor(key);
    if (!editor) return;
    editors().forEach((other) => {
      other.hidden = other !== editor;
    });
    openKey = key;
    canvas.classList.add("lodestar-canvas-workspace--open");
    canvas.querySelectorAll("[data-canvas-card]").forEach((card) => {
      card.classList.toggle("lodestar-board-card--open", card.dataset.canvasCard === key);
    });
    if (target && editor.contains(target)) {
      target.closest("details")?.setAttribute("open", "");
      target.scrollIntoView({ block: "center" });
      if (target.matches("textarea, input, [tabindex]")) target.focus();
    } else if (focus) {
      focusEditor(editor);
    }
    poll();
  };

  const closeBox = () => {
    if (!openKey) return;
    const key = openKey;
    editorFor(key).hidden = true;
    openKey = "";
    canvas.classList.remove("lodestar-canvas-workspace--open");
    canvas.querySelectorAll(".lodestar-board-card--open").forEach((card) => {
      card.classList.remove("lodestar-board-card--open");
    });
    if (window.location.hash) window.history.replaceState(null, "", window.location.pathname + window.location.search);
    document.getElementById(`card-${key}-open`)?.focus();
    markDrafts();
    poll();
  };

  // Opens the box that holds what the address points at: #box-purpose, #box-purpose-text,
  // #comment-12 (the error summary, the comment total and links from elsewhere use these).
  // On page load the browser also moves focus to the address's target; focusing the text
  // then would lose it at once, and losing it autosaves. So a box opened by the address on
  // load gets focus on its title, after the browser is done.
  const openFromHash = ({ onLoad = false } = {}) => {
    const id = decodeURIComponent(window.location.hash.slice(1));
    if (!id) return false;
    const target = document.getElementById(id);
    const editor = target?.closest("[data-canvas-editor]");
    if (!editor) return false;
    const inside = target === editor ? null : target;
    openBox(editor.dataset.canvasEditor, { target: onLoad ? null : inside, focus: !onLoad });
    if (onLoad) {
      window.setTimeout(() => {
        inside?.closest("details")?.setAttribute("open", "");
        if (inside) inside.scrollIntoView({ block: "center" });
        if (inside && inside.matches("[tabindex]")) inside.focus();
        else editor.querySelector(".lodestar-canvas-box__title")?.focus({ preventScroll: Boolean(inside) });
      }, 0);
    }
    return true;
  };

  const enhance = () => {
    canvas.classList.add("lodestar-canvas-workspace--js");
    canvas.querySelectorAll("[data-canvas-bar]").forEach((bar) => {
      bar.hidden = false;
    });
    editors().forEach((editor) => {
      editor.hidden = true;
    });
    canvas.addEventListener("click", (event) => {
      const opener = event.target.closest("[data-canvas-open]");
      if (opener) {
        event.preventDefault();
        window.history.replaceState(null, "", `#box-${opener.dataset.canvasOpen}`);
        openBox(opener.dataset.canvasOpen);
        return;
      }
      if (event.target.closest("[data-canvas-close]")) {
        closeBox();
        return;
      }
      // A click anywhere on a card (not on a link in it) opens it too.
      const card = event.target.closest("[data-canvas-card]");
      if (card && !event.target.closest("a, button")) openBox(card.dataset.canvasCard);
    });
    canvas.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && openKey && event.target.closest("[data-canvas-editor]")) {
        event.preventDefault();
        closeBox();
      }
    });
    window.addEventListener("hashchange", () => openFromHash());
    openFromHash({ onLoad: true });
  };

  // --- live board and presence ----------------------------------------------------------------
  let etag = "";
  let polling = false;

  const typingIn = (key) => {
    const editor = editorFor(key);
    const text = editor?.querySelector("[data-canvas-text]");
    if (!text) return false;
    return document.activeElement === text || drafts(key).length > 0 || editor.querySelector("[data-canvas-conflict]");
  };

  const refreshEditor = (key) => {
    const holder = document.getElementById(`box-${key}-editor`);
    const url = canvas.querySelector(`form[data-canvas-box="${CSS.escape(key)}"]`)?.getAttribute("action");
    if (holder && url) window.htmx.ajax("GET", url, { target: holder, swap: "outerHTML" });
  };

  const applyLive = (html) => {
    const incoming = new DOMParser().parseFromString(html, "text/html");
    const presenceNow = incoming.getElementById("canvas-presence");
    if (presenceNow) document.getElementById("canvas-presence")?.replaceWith(presenceNow);
    const board = incoming.getElementById("canvas-board-live");
    if (board) replaceBoard(board);
    markOpenBoxes();
  };

  // Each card says who else has its box open, from the presence line's list of people.
  const markOpenBoxes = () => {
    let people = [];
    try {
      people = JSON.parse(document.getElementById("canvas-people")?.textContent || "[]");
    } catch {
      people = [];
    }
    canvas.querySelectorAll("[data-canvas-card]").forEach((card) => {
      const marker = card.querySelector("[data-canvas-editing]");
      if (!marker) return;
      const names = people.filter((person) => person.box === card.dataset.canvasCard).map((person) => person.name);
      marker.textContent = names.length ? msg.msgOpenNow.replace("{names}", names.join(", ")) : "";
      marker.hidden = names.length === 0;
    });
  };

  // A card whose box has text kept in this browser but not saved says so, so the person
  // knows which box to open to get it back.
  const markDrafts = () => {
    canvas.querySelectorAll("[data-canvas-card]").forEach((card) => {
      const marker = card.querySelector("[data-canvas-draft-mark]");
      if (!marker) return;
      const key = card.dataset.canvasCard;
      const unsaved = key !== openKey && drafts(key).length > 0;
      marker.textContent = unsaved ? msg.msgDraftMark : "";
      marker.hidden = !unsaved;
    });
  };

  const replaceBoard = (board) => {
    const here = document.getElementById("canvas-board-cards");
    if (!here) return;
    const focusedId = here.contains(document.activeElement) ? document.activeElement.id : "";
    const cards = board.querySelector("#canvas-board-cards");
    if (!cards) return;
    here.replaceWith(cards);
    markDrafts();
    if (openKey) document.getElementById(`card-${openKey}`)?.classList.add("lodestar-board-card--open");
    if (focusedId) document.getElementById(focusedId)?.focus({ preventScroll: true });
    cards.querySelectorAll("[data-canvas-card]").forEach((card) => {
      const key = card.dataset.canvasCard;
      const version = canvas.querySelector(`#box-${CSS.escape(key)}-version`);
      if (version && version.value !== card.dataset.version && !typingIn(key)) refreshEditor(key);
    });
  };

  async function poll() {
    const url = canvas.dataset.liveUrl;
    if (!url || polling) return;
    polling = true;
    try {
      const address = new URL(url, window.location.href);
      if (openKey) address.searchParams.set("box", openKey);
      const response = await fetch(address, {
        headers: etag ? { "If-None-Match": etag } : {},
        cache: "no-store",
        credentials: "same-origin",
        redirect: "manual",
      });
      if (response.status === 200) {
        etag = response.headers.get("ETag") || "";
        applyLive(await response.text());
      }
    } catch {
      // offline for a moment: the next call tries again
    } finally {
      polling = false;
    }
  }

  setUp(document);
  enhance();
  markOpenBoxes();
  markDrafts();
  // About once a second while the page is in view (another person's save shows within a
  // second or two); every ten seconds in a tab in the background.
  const tick = () => {
    poll();
    window.setTimeout(tick, document.hidden ? 10_000 : 1_000);
  };
  window.setTimeout(tick, 1_000);
}
